//! `/nuevo-ticket` — "Levantar un ticket" (issue 5; P2, P3, P7, P10–P13).
//!
//! One form; on a phone its four fieldsets are shown one at a time (CSS
//! `.wizard .step:not(.is-current)`), on a desktop all at once. The SLA due
//! time is previewed with `domain::sla::due_at` over the office calendar. The
//! form fill has one random `Idempotency-Key`, so a double submit or a retry
//! after a network error creates one ticket. Screenshots are uploaded after
//! the ticket exists, attached to its opening message.
//! Reached only through `Guarded` (see `lib.rs`).
use std::time::Duration;

use domain::api::{
    CategoryOptionView, CreateTicketRequest, ServiceView, SimilarTicket, TicketDetail,
    TicketOptions,
};
use domain::contract::{Category, Coverage};
use domain::sla::{self, Priority};
use domain::validation::SUBJECT_MAX;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::page::Page;
use crate::components::tickets::{
    add_files, category_label, client_info, error_text, fmt_local, fmt_time, loc, pasted_files,
    priority_label, random_key, ticking_now, upload_all, use_calendar, AttachmentPicker, Picked,
    Rejected, RespectWarning,
};
use crate::i18n::*;
use crate::pages::kb::{end_kb_session, kb_session};
use crate::I18n;
use domain::api::kb::SearchResult;
use domain::respect::offensive_terms;

const STEPS: u8 = 4;

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

fn ineligible_reason(i18n: I18n, s: &ServiceView) -> String {
    match s.reason.as_deref() {
        Some("service_ended") => t_string!(i18n, new_ticket.reason_ended).to_string(),
        Some("service_end_of_life") => t_string!(i18n, new_ticket.reason_eol).to_string(),
        _ => s
            .reason_message
            .as_ref()
            .map(|m| loc(i18n, m))
            .unwrap_or_default(),
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

#[component]
fn TicketForm(services: Vec<ServiceView>, options: TicketOptions) -> impl IntoView {
    let i18n = use_i18n();
    let linked_to = use_query_map().with_untracked(|q| q.get("linked_to"));
    let cal = use_calendar();
    let now = ticking_now(30);

    let eligible: Vec<&ServiceView> = services.iter().filter(|s| s.eligible).collect();
    let service = RwSignal::new(if eligible.len() == 1 {
        eligible[0].id.clone()
    } else {
        String::new()
    });
    let no_service = eligible.is_empty();
    let category = RwSignal::new(None::<Category>);
    let priority = RwSignal::new(None::<Priority>);
    let subject = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let steps = RwSignal::new(String::new());
    let files = RwSignal::new(Vec::<Picked>::new());
    let rejected = RwSignal::new(Vec::<Rejected>::new());
    let step = RwSignal::new(1u8);
    let key = random_key();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let created = RwSignal::new(None::<TicketDetail>);
    let uploading = RwSignal::new(false);
    let upload_failed = RwSignal::new(0usize);
    let kb_hits = RwSignal::new(Vec::<SearchResult>::new());
    let similar = RwSignal::new(Vec::<SimilarTicket>::new());

    let cats = StoredValue::new(options.categories.clone());
    let cat_option = move |c: Category| -> Option<CategoryOptionView> {
        cats.with_value(|v| v.iter().find(|o| o.category == c).cloned())
    };

    // Choosing a category keeps the priority inside what it allows (P3).
    let choose_category = move |c: Category| {
        category.set(Some(c));
        if let Some(o) = cat_option(c) {
            if !priority
                .get_untracked()
                .is_some_and(|p| o.priorities.contains(&p))
            {
                priority.set(o.priorities.iter().next_back().copied());
            }
        }
    };

    // Live KB suggestions (P11) and similar open tickets (P12), debounced.
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let q = subject.get();
        let svc = service.get();
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        if q.trim().chars().count() < 3 {
            kb_hits.set(Vec::new());
            similar.set(Vec::new());
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    // Both calls degrade to "no suggestions" on any error.
                    let hits = api::kb_suggest(q.clone())
                        .await
                        .map(|h| h.results)
                        .unwrap_or_default();
                    if subject.get_untracked() != q {
                        return;
                    }
                    if !hits.is_empty() {
                        let q2 = q.clone();
                        spawn_local(async move {
                            api::kb_event("suggested", &kb_session(), Some(q2), None).await
                        });
                    }
                    kb_hits.set(hits);
                    let found = if svc.is_empty() {
                        Vec::new()
                    } else {
                        api::similar_tickets(svc, q.clone())
                            .await
                            .map(|s| s.tickets)
                            .unwrap_or_default()
                    };
                    if subject.get_untracked() == q {
                        similar.set(found);
                    }
                });
            },
            Duration::from_millis(350),
        )
        .ok();
        timer.set_value(handle);
    });

    // What is missing to leave a step (phone) or to submit.
    let missing = move |upto: u8| -> Option<&'static str> {
        if upto >= 1 {
            if service.with(String::is_empty) {
                return Some(t_string!(i18n, new_ticket.need_service));
            }
            if category.get().is_none() {
                return Some(t_string!(i18n, new_ticket.need_category));
            }
            if priority.get().is_none() {
                return Some(t_string!(i18n, new_ticket.need_priority));
            }
        }
        if upto >= 2 {
            if subject.with(|s| s.trim().is_empty()) {
                return Some(t_string!(i18n, new_ticket.need_subject));
            }
            if description.with(|s| s.trim().is_empty()) {
                return Some(t_string!(i18n, new_ticket.need_description));
            }
        }
        None
    };
    let go = move |to: u8| {
        if to > step.get_untracked() {
            if let Some(m) = missing(step.get_untracked()) {
                error.set(Some(m.to_string()));
                return;
            }
        }
        error.set(None);
        step.set(to.clamp(1, STEPS));
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };

    let warned = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        subject.track();
        description.track();
        steps.track();
        warned.set(Vec::new());
    });
    let submit_key = key.clone();
    let linked_for_submit = linked_to.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // On a phone, Enter in a field of an earlier step moves on.
        if step.get_untracked() < STEPS && is_phone() {
            go(step.get_untracked() + 1);
            return;
        }
        if let Some(m) = missing(2) {
            error.set(Some(m.to_string()));
            step.set(if missing(1).is_some() { 1 } else { 2 });
            return;
        }
        // P27: warn once about rude or threatening words; the next submit sends as written.
        if warned.with_untracked(Vec::is_empty) {
            let text = format!(
                "{}\n{}\n{}",
                subject.get_untracked(),
                description.get_untracked(),
                steps.get_untracked()
            );
            let terms = offensive_terms(&text);
            if !terms.is_empty() {
                warned.set(terms);
                return;
            }
        }
        let body = CreateTicketRequest {
            service_id: service.get_untracked(),
            priority: priority
                .get_untracked()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            category: category
                .get_untracked()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            subject: subject.get_untracked().trim().to_string(),
            description: description.get_untracked(),
            steps: Some(steps.get_untracked()).filter(|s| !s.trim().is_empty()),
            client_info: Some(client_info()),
            linked_to: linked_for_submit.clone(),
        };
        let key = submit_key.clone();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::create_ticket(body, key.clone()).await {
                Ok(detail) => {
                    let id = detail.summary.id.clone();
                    let first = detail.messages.first().map(|m| m.id.clone());
                    created.set(Some(detail));
                    pending.set(false);
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                    let tid = id.clone();
                    let sid = kb_session();
                    end_kb_session();
                    spawn_local(async move {
                        api::kb_event("ticket_submitted", &sid, None, Some(tid)).await
                    });
                    let picked = files.get_untracked();
                    if !picked.is_empty() {
                        uploading.set(true);
                        upload_failed.set(upload_all(id, first, picked).await);
                        uploading.set(false);
                    }
                }
                Err(e) => {
                    pending.set(false);
                    match e.field.as_deref() {
                        Some("service_id" | "category" | "priority") => step.set(1),
                        Some("subject" | "description" | "steps") => step.set(2),
                        _ => {}
                    }
                    error.set(Some(error_text(i18n, &e)));
                }
            }
        });
    };

    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let pasted = pasted_files(&ev);
        if !pasted.is_empty() {
            ev.prevent_default();
            add_files(i18n, pasted, files, rejected);
        }
    };

    // ----- pieces

    let service_choices = services
        .into_iter()
        .map(|s| {
            let id = s.id.clone();
            let id2 = s.id.clone();
            let reason = (!s.eligible).then(|| ineligible_reason(i18n, &s));
            let kind = s.kind.clone();
            view! {
                <label
                    class="choice"
                    class:is-disabled=!s.eligible
                    data-testid="service-option"
                    data-service-id=s.id.clone()
                    data-kind=s.kind.clone()
                    data-eligible=if s.eligible { "true" } else { "false" }
                >
                    <input
                        type="radio"
                        name="service"
                        value=s.id.clone()
                        disabled=!s.eligible
                        prop:checked=move || service.with(|v| *v == id)
                        on:change=move |_| service.set(id2.clone())
                    />
                    <span class="choice-body">
                        <span class="choice-title">{s.name.clone()}</span>
                        <span class="hint">{move || kind_label(i18n, &kind)}</span>
                        {reason.map(|r| view! { <span class="choice-reason" data-testid="service-reason">{r}</span> })}
                    </span>
                </label>
            }
        })
        .collect::<Vec<_>>();

    let category_choices = options
        .categories
        .iter()
        .map(|o| {
            let c = o.category;
            let coverage = o.coverage;
            let reason = o.reason_message.clone();
            view! {
                <label
                    class="choice"
                    class:is-disabled=!o.available
                    data-testid="category-option"
                    data-category=c.as_str()
                >
                    <input
                        type="radio"
                        name="category"
                        value=c.as_str()
                        disabled=!o.available
                        prop:checked=move || category.get() == Some(c)
                        on:change=move |_| choose_category(c)
                    />
                    <span class="choice-body">
                        <span class="choice-title">
                            {move || category_label(i18n, c)}
                            {o.paid.then(|| view! { " " <span class="tag">{t!(i18n, new_ticket.paid)}</span> })}
                        </span>
                        <span class="hint">
                            {move || match (coverage, reason.as_ref()) {
                                (_, Some(r)) if coverage.is_none() => loc(i18n, r),
                                (Some(Coverage::Contract), _) => t_string!(i18n, new_ticket.cov_contract).to_string(),
                                (Some(Coverage::PerEvent), _) => t_string!(i18n, new_ticket.cov_per_event).to_string(),
                                _ => t_string!(i18n, new_ticket.cov_free).to_string(),
                            }}
                        </span>
                    </span>
                </label>
            }
        })
        .collect::<Vec<_>>();

    let out_of_scope = options
        .out_of_scope
        .iter()
        .map(|o| {
            let (label, warning) = (o.label.clone(), o.warning.clone());
            view! { <li><strong>{move || loc(i18n, &label)}</strong> " — " {move || loc(i18n, &warning)}</li> }
        })
        .collect::<Vec<_>>();

    let priority_choices = Priority::ALL
        .into_iter()
        .map(|p| {
            let allowed = move || {
                category
                    .get()
                    .and_then(cat_option)
                    .is_some_and(|o| o.priorities.contains(&p))
            };
            let why = move || {
                if allowed() {
                    return None;
                }
                Some(match category.get() {
                    None => t_string!(i18n, new_ticket.pick_category_first),
                    Some(c) if c.is_paid() => t_string!(i18n, new_ticket.paid_is_high),
                    Some(_) => t_string!(i18n, new_ticket.high_is_paid),
                })
            };
            view! {
                <label class="choice" class:is-disabled=move || !allowed() data-testid="priority-option" data-priority=p.as_str()>
                    <input
                        type="radio"
                        name="priority"
                        value=p.as_str()
                        disabled=move || !allowed()
                        prop:checked=move || priority.get() == Some(p)
                        on:change=move |_| priority.set(Some(p))
                    />
                    <span class="choice-body">
                        <span class="choice-title">{move || priority_label(i18n, p)}</span>
                        <span class="hint">
                            {t!(i18n, new_ticket.target, hours = move || p.target_hours())}
                        </span>
                        {move || why().map(|w| view! { <span class="choice-reason">{w}</span> })}
                    </span>
                </label>
            }
        })
        .collect::<Vec<_>>();

    // Live due-time preview with the Worker's own rules (P7) and the office status (P4).
    let preview = move || {
        let (Some(c), Some(p)) = (cal.get(), priority.get()) else {
            return view! { <p class="hint">{t!(i18n, new_ticket.preview_pick)}</p> }.into_any();
        };
        let at = now.get();
        let due = c.to_local(sla::due_at(&c, p, at));
        let office = if c.is_open(at) {
            let closes = fmt_local(i18n, c.to_local(c.next_closing(at)));
            t!(
                i18n,
                new_ticket.office_open,
                closes = move || closes.clone()
            )
            .into_any()
        } else {
            let opens = fmt_local(i18n, c.to_local(c.next_opening(at)));
            t!(
                i18n,
                new_ticket.office_closed,
                opens = move || opens.clone()
            )
            .into_any()
        };
        view! {
            <p>
                {t!(i18n, new_ticket.preview_due)} " "
                <strong data-testid="sla-preview-due">{fmt_local(i18n, due)}</strong>
                " " {t!(i18n, new_ticket.office_time)}
            </p>
            <p class="hint">{t!(i18n, new_ticket.preview_rule, hours = move || p.target_hours())}</p>
            <p class="hint" data-testid="office-status">{office}</p>
        }
        .into_any()
    };

    let kb_box = move || {
        let hits = kb_hits.get();
        (!hits.is_empty()).then(|| {
            view! {
                <div class="suggestions" data-testid="kb-suggestions" aria-live="polite">
                    <p><strong>{t!(i18n, new_ticket.kb_title)}</strong></p>
                    <ul>
                        {hits
                            .into_iter()
                            .map(|h| {
                                let href = if h.url.is_empty() { format!("/kb/{}", h.slug) } else { h.url.clone() };
                                view! {
                                    <li>
                                        <a href=href target="_blank" rel="noopener">{h.title}</a>
                                        {(!h.summary.is_empty()).then(|| view! { <span class="hint">" — " {h.summary}</span> })}
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </ul>
                </div>
            }
        })
    };

    let similar_box = move || {
        let found = similar.get();
        (!found.is_empty()).then(|| {
            view! {
                <div class="callout-warn" data-testid="similar-warning" role="status">
                    <p><strong>{t!(i18n, new_ticket.similar_title)}</strong></p>
                    <ul>
                        {found
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <li>
                                        <A href=format!("/tickets/{}", t.id)>{t.number}</A>
                                        " — " {t.subject}
                                    </li>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </ul>
                    <p class="hint">{t!(i18n, new_ticket.similar_hint)}</p>
                </div>
            }
        })
    };

    let review = move || {
        let cat = category
            .get()
            .map(|c| category_label(i18n, c))
            .unwrap_or("—");
        let pr = priority
            .get()
            .map(|p| priority_label(i18n, p))
            .unwrap_or("—");
        let subj = subject.get();
        let n = files.with(Vec::len);
        view! {
            <dl class="review">
                <dt>{t!(i18n, new_ticket.f_category)}</dt><dd>{cat}</dd>
                <dt>{t!(i18n, new_ticket.f_priority)}</dt><dd>{pr}</dd>
                <dt>{t!(i18n, new_ticket.f_subject)}</dt><dd>{if subj.is_empty() { "—".to_string() } else { subj }}</dd>
                <dt>{t!(i18n, new_ticket.f_files)}</dt><dd>{n}</dd>
            </dl>
        }
    };

    let step_class = move |n: u8| move || step.get() == n;
    let uploading_sig = Signal::derive(move || pending.get() || uploading.get());

    let form = view! {
        <form class="ticket-form wizard" novalidate on:submit=on_submit on:paste=on_paste data-testid="new-ticket-form" data-step=move || step.get().to_string()>
            <p class="step-count hint" aria-live="polite">
                {t!(i18n, new_ticket.step_of, n = move || step.get(), total = move || STEPS)}
            </p>
            {linked_to.clone().map(|l| view! { <p class="notice" data-testid="linked-notice">{t!(i18n, new_ticket.linked, number = move || l.clone())}</p> })}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="form-error">{e}</p> })}

            <fieldset class="step" class:is-current=step_class(1) data-step="1">
                <legend>{t!(i18n, new_ticket.step1)}</legend>
                <h3 class="field-label">{t!(i18n, new_ticket.f_service)}</h3>
                {no_service.then(|| view! { <p class="form-error">{t!(i18n, new_ticket.no_service)}</p> })}
                <div class="choices" role="radiogroup">{service_choices}</div>
                <h3 class="field-label">{t!(i18n, new_ticket.f_category)}</h3>
                <div class="choices" role="radiogroup">{category_choices}</div>
                <details class="callout-warn" data-testid="out-of-scope" open>
                    <summary>{t!(i18n, new_ticket.oos_title)}</summary>
                    <ul>{out_of_scope}</ul>
                </details>
                <h3 class="field-label">{t!(i18n, new_ticket.f_priority)}</h3>
                <div class="choices choices-row" role="radiogroup">{priority_choices}</div>
                <div class="sla-preview" data-testid="sla-preview" aria-live="polite">{preview}</div>
            </fieldset>

            <fieldset class="step" class:is-current=step_class(2) data-step="2">
                <legend>{t!(i18n, new_ticket.step2)}</legend>
                <p class="hint">{t!(i18n, new_ticket.one_topic)}</p>
                <div class="field">
                    <label for="subject">{t!(i18n, new_ticket.f_subject)}</label>
                    <input
                        id="subject"
                        name="subject"
                        type="text"
                        autocomplete="off"
                        maxlength=SUBJECT_MAX.to_string()
                        data-testid="subject"
                        prop:value=move || subject.get()
                        on:input=move |ev| subject.set(event_target_value(&ev))
                    />
                </div>
                {kb_box}
                {similar_box}
                <div class="field">
                    <label for="description">{t!(i18n, new_ticket.f_description)}</label>
                    <textarea id="description" rows="6" data-testid="description" bind:value=description></textarea>
                </div>
                <div class="field">
                    <label for="steps">{t!(i18n, new_ticket.f_steps)}</label>
                    <textarea id="steps" rows="4" data-testid="steps" bind:value=steps></textarea>
                </div>
            </fieldset>

            <fieldset class="step" class:is-current=step_class(3) data-step="3">
                <legend>{t!(i18n, new_ticket.step3)}</legend>
                <AttachmentPicker list=files rejected disabled=uploading_sig />
            </fieldset>

            <fieldset class="step" class:is-current=step_class(4) data-step="4">
                <legend>{t!(i18n, new_ticket.step4)}</legend>
                {review}
                <p class="hint">{t!(i18n, new_ticket.auto_data)}</p>
                <RespectWarning terms=warned />
                <button type="submit" class="btn" data-testid="submit-ticket" disabled=move || pending.get() || no_service>
                    {move || if pending.get() {
                        t_string!(i18n, new_ticket.sending)
                    } else if warned.with(Vec::is_empty) {
                        t_string!(i18n, new_ticket.send)
                    } else {
                        t_string!(i18n, ticket.send_anyway)
                    }}
                </button>
            </fieldset>

            <div class="wizard-nav">
                <button type="button" class="btn btn-secondary" data-testid="step-back" disabled=move || step.get() == 1 on:click=move |_| go(step.get_untracked() - 1)>
                    {t!(i18n, new_ticket.back)}
                </button>
                <button type="button" class="btn" data-testid="step-next" class:hidden=move || step.get() == STEPS on:click=move |_| go(step.get_untracked() + 1)>
                    {t!(i18n, new_ticket.next)}
                </button>
            </div>
        </form>
    };

    let confirmation = move || {
        created.get().map(|d| {
            let s = d.summary;
            let due = s.due_at.as_deref().map(|t| fmt_time(i18n, t)).unwrap_or_else(|| "—".into());
            let href = format!("/tickets/{}", s.id);
            view! {
                <section class="confirmation card" data-testid="ticket-created" data-id=s.id.clone() data-number=s.number.clone()
                    data-uploads=move || if uploading.get() { "pending" } else { "done" }>
                    <h2>{t!(i18n, new_ticket.done_title)}</h2>
                    <p>
                        {t!(i18n, new_ticket.done_number)} " "
                        <strong class="ticket-number" data-testid="created-number">{s.number.clone()}</strong>
                    </p>
                    <dl class="review">
                        <dt>{t!(i18n, new_ticket.done_target)}</dt>
                        <dd data-testid="created-target">{let h = s.target_hours; t!(i18n, new_ticket.target, hours = move || h)}</dd>
                        <dt>{t!(i18n, new_ticket.done_due)}</dt>
                        <dd data-testid="created-due">{due} " " {t!(i18n, new_ticket.office_time)}</dd>
                    </dl>
                    <p class="hint">{t!(i18n, new_ticket.done_notified)}</p>
                    {move || (!files.with(Vec::is_empty)).then(|| view! {
                        <AttachmentList files />
                    })}
                    {move || (upload_failed.get() > 0).then(|| view! {
                        <p class="form-error" role="alert">{t!(i18n, new_ticket.upload_failed)}</p>
                    })}
                    <p class="actions">
                        <A href=href attr:class="btn" attr:data-testid="go-ticket">{t!(i18n, new_ticket.go_ticket)}</A>
                        <A href="/mis-tickets" attr:class="btn btn-secondary">{t!(i18n, nav.my_tickets)}</A>
                    </p>
                </section>
            }
        })
    };

    view! {
        <div hidden=move || created.with(Option::is_some)>{form}</div>
        {confirmation}
    }
}

/// Upload progress of the files of a created ticket.
#[component]
fn AttachmentList(files: RwSignal<Vec<Picked>>) -> impl IntoView {
    view! {
        <ul class="file-list" data-testid="upload-list">
            <For each=move || files.get() key=|p| p.key let:p>
                <li class="file-item">
                    <span class="file-name">{p.name.clone()}</span>
                    <progress max="1" value=move || p.progress.get()></progress>
                    {move || p.error.get().map(|e| view! { <span class="form-error">{e}</span> })}
                </li>
            </For>
        </ul>
    }
}

fn is_phone() -> bool {
    window()
        .match_media("(max-width: 47.99rem)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}
