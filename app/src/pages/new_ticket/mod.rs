//! `/nuevo-ticket` — "Levantar un ticket" (issue 5; P2, P3, P7, P10–P13).
//!
//! One form; on a phone its four fieldsets are shown one at a time (CSS
//! `.wizard .step:not(.is-current)`), on a desktop all at once. The SLA due
//! time is previewed with `domain::sla::due_at` over the office calendar. The
//! form fill has one random `Idempotency-Key`, so a double submit or a retry
//! after a network error creates one ticket. Screenshots are uploaded after
//! the ticket exists, attached to its opening message.
//! Reached only through `Guarded` (see `lib.rs`).
//!
//! The steps share one `FormState` (a `Copy` bundle of signals, `state.rs`):
//! `service_step.rs`, `describe_step.rs`, `attach_step.rs`, `confirm_step.rs`;
//! `created.rs` is the confirmation that replaces the form.
mod attach_step;
mod confirm_step;
mod created;
mod describe_step;
mod service_step;
mod state;

use domain::api::{CreateTicketRequest, ServiceView, TicketOptions};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::page::Page;
use crate::components::tickets::{add_files, error_text, pasted_files, random_key};
use crate::i18n::*;
use crate::I18n;
use attach_step::AttachStep;
use confirm_step::ConfirmStep;
use created::{after_create, Created};
use describe_step::DescribeStep;
use service_step::ServiceStep;
use state::{FormState, STEPS};

pub fn kind_label(i18n: I18n, kind: &str) -> &'static str {
    match kind {
        "hosting" => t_string!(i18n, ticket.kind_hosting),
        "email" => t_string!(i18n, ticket.kind_email),
        "domain" => t_string!(i18n, ticket.kind_domain),
        "developed_system" => t_string!(i18n, ticket.kind_developed_system),
        "web_site" => t_string!(i18n, ticket.kind_web_site),
        "softlik" => t_string!(i18n, ticket.kind_softlik),
        _ => "",
    }
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let data =
        LocalResource::new(|| async { (api::services(None).await, api::ticket_options().await) });
    let i18n = use_i18n();
    view! {
        <Page title=|i| t_string!(i, new_ticket.title) lead=|i| t_string!(i, new_ticket.lead) class="new-ticket-page wide">
            <p class="notice">{t!(i18n, new_ticket.only_channel)}</p>
            {move || match data.get() {
                None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                Some((Ok(services), Ok(options))) => view! { <TicketForm services options /> }.into_any(),
                Some((Err(e), _)) | Some((_, Err(e))) => {
                    view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any()
                }
            }}
        </Page>
    }
}

/// The four steps, the wizard buttons, the create action and, once the ticket
/// exists, the confirmation in place of the form.
#[component]
fn TicketForm(services: Vec<ServiceView>, options: TicketOptions) -> impl IntoView {
    let i18n = use_i18n();
    let linked_to = use_query_map().with_untracked(|q| q.get("linked_to"));
    let no_service = !services.iter().any(|s| s.eligible);
    let state = FormState::new(&services, options.categories);
    let FormState {
        subject,
        description,
        steps,
        files,
        rejected,
        step,
        error,
        warned,
        created,
        uploading,
        ..
    } = state;

    // One key per form fill: a double submit or a retry after a network error
    // creates one ticket.
    let key = random_key();
    let submit = Action::new_local(move |body: &CreateTicketRequest| {
        api::create_ticket(body.clone(), key.clone())
    });
    let pending = submit.pending();
    let outcome = submit.value();
    Effect::new(move |_| {
        let Some(result) = outcome.get() else {
            return;
        };
        // Only the outcome is tracked (not, say, the language of the error text).
        untrack(|| match result {
            Ok(detail) => after_create(state, detail),
            Err(e) => state.show_error(i18n, &e),
        });
    });

    // Editing the text again re-arms the P27 warning.
    Effect::new(move |_| {
        subject.track();
        description.track();
        steps.track();
        warned.set(Vec::new());
    });
    let linked_for_submit = linked_to.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // On a phone, Enter in a field of an earlier step moves on.
        if step.get_untracked() < STEPS && is_phone() {
            state.go(i18n, step.get_untracked() + 1);
            return;
        }
        if let Some(m) = state.missing(i18n, 2) {
            error.set(Some(m.to_string()));
            step.set(if state.missing(i18n, 1).is_some() {
                1
            } else {
                2
            });
            return;
        }
        // P27: warn once about rude or threatening words; the next submit sends as written.
        if state.warn_offensive() {
            return;
        }
        let body = state.request(linked_for_submit.clone());
        submit.dispatch(body);
        error.set(None);
    };

    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let pasted = pasted_files(&ev);
        if !pasted.is_empty() {
            ev.prevent_default();
            add_files(i18n, pasted, files, rejected);
        }
    };
    let busy = Signal::derive(move || pending.get() || uploading.get());

    view! {
        <div hidden=move || created.with(Option::is_some)>
            <form class="ticket-form wizard" novalidate on:submit=on_submit on:paste=on_paste data-testid="new-ticket-form" data-step=move || step.get().to_string()>
                <p class="step-count hint" aria-live="polite">
                    {t!(i18n, new_ticket.step_of, n = move || step.get(), total = move || STEPS)}
                </p>
                {linked_to.map(|l| view! { <p class="notice" data-testid="linked-notice">{t!(i18n, new_ticket.linked, number = move || l.clone())}</p> })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="form-error">{e}</p> })}
                <ServiceStep state services out_of_scope=options.out_of_scope no_service />
                <DescribeStep state />
                <AttachStep state busy />
                <ConfirmStep state pending no_service />
                <WizardNav state />
            </form>
        </div>
        <Created state />
    }
}

/// "Back" and "Next": on a phone the steps are shown one at a time.
#[component]
fn WizardNav(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let step = state.step;
    view! {
        <div class="wizard-nav">
            <button type="button" class="btn btn-secondary" data-testid="step-back" disabled=move || step.get() == 1 on:click=move |_| state.go(i18n, step.get_untracked() - 1)>
                {t!(i18n, new_ticket.back)}
            </button>
            <button type="button" class="btn" data-testid="step-next" class:hidden=move || step.get() == STEPS on:click=move |_| state.go(i18n, step.get_untracked() + 1)>
                {t!(i18n, new_ticket.next)}
            </button>
        </div>
    }
}

fn is_phone() -> bool {
    window()
        .match_media("(max-width: 47.99rem)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}
