//! The confirmation shown once the ticket exists, and what happens right after
//! (closing the KB session, uploading the screenshots).
use domain::api::TicketDetail;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::state::FormState;
use crate::api;
use crate::components::tickets::{fmt_time, upload_all, Picked};
use crate::i18n::*;
use crate::pages::kb::{end_kb_session, kb_session};

/// The ticket was created: show it, report the KB session, upload the screenshots
/// (attached to its opening message).
pub(super) fn after_create(state: FormState, detail: TicketDetail) {
    let id = detail.summary.id.clone();
    let first = detail.messages.first().map(|m| m.id.clone());
    state.created.set(Some(detail));
    window().scroll_to_with_x_and_y(0.0, 0.0);
    let tid = id.clone();
    let sid = kb_session();
    end_kb_session();
    spawn_local(async move { api::kb_event("ticket_submitted", &sid, None, Some(tid)).await });
    let picked = state.files.get_untracked();
    if !picked.is_empty() {
        state.uploading.set(true);
        spawn_local(async move {
            state.upload_failed.set(upload_all(id, first, picked).await);
            state.uploading.set(false);
        });
    }
}

/// Number, target and due time of the new ticket, with the upload progress;
/// nothing until the ticket exists.
#[component]
pub(super) fn Created(state: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let FormState {
        created,
        files,
        uploading,
        upload_failed,
        ..
    } = state;
    move || {
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
