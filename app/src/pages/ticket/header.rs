//! The ticket's head: number, subject, badges, facts, due time and auto-close warning.
use chrono::Utc;
use domain::api::TicketDetail;
use domain::ticket::Status;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::tickets::{category_label, fmt_time, PriorityBadge, SlaTimer, StatusBadge};
use crate::i18n::*;

#[component]
pub(super) fn Header(
    d: TicketDetail,
    staff: bool,
    now: RwSignal<chrono::DateTime<Utc>>,
    cal: RwSignal<Option<domain::calendar::BusinessCalendar>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A deep link's document was painted with this head's number and subject.
    crate::components::page::drop_boot_frame();
    let s = d.summary.clone();
    let category = s.category;
    let auto = s.auto_close_at.clone().map(|at| {
        let when = fmt_time(i18n, &at);
        let waiting = s.status == Status::WaitingClient;
        view! {
            <p class="callout-warn" data-testid="auto-close">
                {if waiting {
                    t!(i18n, ticket.auto_resolve, at = move || when.clone()).into_any()
                } else {
                    t!(i18n, ticket.auto_close, at = move || when.clone()).into_any()
                }}
            </p>
        }
    });
    view! {
        <header class="ticket-head" data-testid="ticket-head" data-status=s.status.as_str() data-number=s.number.clone() data-id=s.id.clone()>
            <p class="ticket-number">{s.number.clone()}</p>
            <h1>{s.subject.clone()}</h1>
            <div class="meta">
                <StatusBadge status=s.status />
                <PriorityBadge priority=s.priority />
                <span class="hint">{move || category_label(i18n, category)}</span>
                <span class="hint">{s.service.name.clone()}</span>
            </div>
            <dl class="facts-inline">
                {staff.then(|| view! {
                    <div><dt>{t!(i18n, ticket.company)}</dt><dd>{s.company.name.clone()}</dd></div>
                })}
                <div><dt>{t!(i18n, ticket.requester)}</dt><dd>{s.requester.name.clone()}</dd></div>
                <div><dt>{t!(i18n, ticket.assignee)}</dt><dd data-testid="assignee">
                    {s.assignee.clone().map(|a| a.name).unwrap_or_else(|| t_string!(i18n, queue.unassigned).to_string())}
                </dd></div>
                <div><dt>{t!(i18n, ticket.opened)}</dt><dd>{fmt_time(i18n, &s.created_at)}</dd></div>
                <div><dt>{t!(i18n, ticket.target)}</dt><dd>{let h = s.target_hours; t!(i18n, new_ticket.target, hours = move || h)}</dd></div>
                <div data-testid="ticket-sla"><dt>{t!(i18n, ticket.due)}</dt><dd><SlaTimer ticket=s.clone() now cal /></dd></div>
                {s.queue_position.map(|n| view! {
                    <div><dt>{t!(i18n, ticket.place)}</dt><dd data-testid="queue-place">{n}</dd></div>
                })}
            </dl>
            {auto}
            {d.steps.clone().map(|st| view! {
                <details class="card"><summary>{t!(i18n, ticket.steps)}</summary><p class="msg-body">{st}</p></details>
            })}
            {s.merged_into.clone().map(|m| view! {
                <p class="notice" data-testid="merged-into">{t!(i18n, ticket.merged_into)} " " <A href=format!("/tickets/{}", m.id)>{m.number}</A></p>
            })}
            {d.linked_to.clone().map(|m| view! {
                <p class="notice">{t!(i18n, ticket.linked_to)} " " <A href=format!("/tickets/{}", m.id)>{m.number}</A></p>
            })}
        </header>
    }
}
