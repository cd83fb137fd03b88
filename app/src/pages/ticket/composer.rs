//! The reply form: kind (staff), text with the P27 warning, screenshots.
use domain::api::{PostMessageRequest, TicketDetail};
use domain::respect::offensive_terms;
use domain::ticket::Status;
use leptos::prelude::*;

use super::{Ctl, Request};
use crate::components::tickets::{
    add_files, pasted_files, AttachmentPicker, Picked, Rejected, RespectWarning,
};
use crate::i18n::*;
use crate::I18n;

#[component]
pub(super) fn Composer(
    d: TicketDetail,
    staff: bool,
    ctl: Ctl,
    body: RwSignal<String>,
    kind: RwSignal<&'static str>,
    files: RwSignal<Vec<Picked>>,
    rejected: RwSignal<Vec<Rejected>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary;
    if !staff && s.status == Status::Closed {
        return view! { <p class="notice" data-testid="closed-note">{t!(i18n, ticket.closed_note)}</p> }.into_any();
    }
    let id = s.id.clone();
    // P27: rude or threatening words get a warning first; a second "send" sends as written.
    let warned = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        body.track();
        warned.set(Vec::new());
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ctl.busy.get_untracked() || body.with_untracked(|b| b.trim().is_empty()) {
            ctl.error
                .set(Some(t_string!(i18n, ticket.empty_reply).to_string()));
            return;
        }
        if warned.with_untracked(Vec::is_empty) {
            let terms = body.with_untracked(|b| offensive_terms(b));
            if !terms.is_empty() {
                warned.set(terms);
                return;
            }
        }
        let k = kind.get_untracked();
        let req = PostMessageRequest {
            body: body.get_untracked(),
            internal: Some(k == "note"),
            kind: (k != "note").then(|| k.to_string()),
        };
        ctl.run(Request::Message(id.clone(), req));
    };
    type Label = fn(I18n) -> &'static str;
    let kinds: &[(&'static str, Label)] = if staff {
        &[
            ("reply", |i| t_string!(i, ticket.k_reply)),
            ("note", |i| t_string!(i, ticket.k_note)),
            ("awaiting_client", |i| t_string!(i, ticket.k_awaiting)),
            ("resolved_confirm", |i| t_string!(i, ticket.k_resolved)),
        ]
    } else {
        &[]
    };
    let kind_choices = kinds
        .iter()
        .map(|&(k, label)| view! {
            <label class="choice choice-inline" data-testid=format!("kind-{k}")>
                <input type="radio" name="kind" value=k prop:checked=move || kind.get() == k on:change=move |_| kind.set(k) />
                <span>{move || label(i18n)}</span>
            </label>
        })
        .collect::<Vec<_>>();
    let busy = Signal::derive(move || ctl.busy.get());
    view! {
        <form class="composer card" data-testid="composer" on:submit=send
            on:paste=move |ev: leptos::ev::ClipboardEvent| {
                let pasted = pasted_files(&ev);
                if !pasted.is_empty() {
                    ev.prevent_default();
                    add_files(i18n, pasted, files, rejected);
                }
            }>
            <h2>{if staff { t!(i18n, ticket.compose_staff).into_any() } else { t!(i18n, ticket.compose_client).into_any() }}</h2>
            {staff.then(|| view! { <div class="choices choices-row" role="radiogroup">{kind_choices}</div> })}
            {move || (kind.get() == "note").then(|| view! { <p class="hint">{t!(i18n, ticket.note_hint)}</p> })}
            {move || matches!(kind.get(), "awaiting_client" | "resolved_confirm").then(|| view! { <p class="hint">{t!(i18n, ticket.p17_hint)}</p> })}
            {(!staff && s.status == Status::WaitingClient).then(|| view! { <p class="hint">{t!(i18n, ticket.reply_keeps_open)}</p> })}
            <div class="field">
                <label for="reply">{t!(i18n, ticket.message)}</label>
                <textarea id="reply" rows="5" data-testid="reply-body" bind:value=body></textarea>
            </div>
            <AttachmentPicker list=files rejected disabled=busy />
            <RespectWarning terms=warned />
            <button type="submit" class="btn" data-testid="send-reply" disabled=move || ctl.busy.get()>
                {move || if warned.with(Vec::is_empty) { t_string!(i18n, ticket.send) } else { t_string!(i18n, ticket.send_anyway) }}
            </button>
        </form>
    }
    .into_any()
}
