//! The client's choices once the ticket is resolved or closed (P16, P18).
use chrono::Duration;
use domain::api::TicketDetail;
use domain::ticket::commands::Command;
use domain::ticket::Status;
use leptos::prelude::*;
use leptos_router::components::A;

use super::{Ctl, Request};
use crate::components::tickets::{fmt_local, parse_time};
use crate::i18n::*;
use crate::I18n;

fn day_before(i18n: I18n, exclusive: &str) -> String {
    parse_time(exclusive)
        .map(|t| {
            let s = fmt_local(i18n, t - Duration::seconds(1));
            s.rsplit_once(' ').map(|(d, _)| d.to_string()).unwrap_or(s)
        })
        .unwrap_or_default()
}

/// Confirm the solution, reopen inside the warranty window, or — after it —
/// open a new ticket linked to this one (P16, P18).
#[component]
pub(super) fn ClientActions(d: TicketDetail, staff: bool, ctl: Ctl) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary;
    let ended = matches!(s.status, Status::Resolved | Status::Closed);
    if staff || !ended {
        return None;
    }
    let id = s.id.clone();
    let id2 = s.id.clone();
    let until = s
        .reopen_until
        .as_deref()
        .map(|u| day_before(i18n, u))
        .unwrap_or_default();
    let resolved = d.actions.contains(&Command::Confirm);
    let can_reopen = d.actions.contains(&Command::Reopen);
    Some(view! {
        <div class="client-actions card" data-testid="client-actions">
            {resolved.then(|| view! {
                <p>{t!(i18n, ticket.resolved_ask)}</p>
                <button type="button" class="btn" data-testid="confirm-close" disabled=move || ctl.busy.get()
                    on:click=move |_| ctl.run(Request::Action(id.clone(), "close"))>
                    {t!(i18n, ticket.confirm_close)}
                </button>
            })}
            {if can_reopen {
                let until = until.clone();
                view! {
                    <p data-testid="reopen-until">{t!(i18n, ticket.reopen_until, date = move || until.clone())}</p>
                    <button type="button" class="btn btn-secondary" data-testid="reopen" disabled=move || ctl.busy.get()
                        on:click=move |_| ctl.run(Request::Action(id2.clone(), "reopen"))>
                        {t!(i18n, ticket.reopen)}
                    </button>
                }.into_any()
            } else {
                let href = format!("/nuevo-ticket?linked_to={}", s.number);
                let until = until.clone();
                // Closed without ever being resolved (out of scope, merged): no warranty.
                let text = if s.reopen_until.is_none() {
                    view! { <p data-testid="closed-unresolved">{t!(i18n, ticket.closed_unresolved)}</p> }.into_any()
                } else {
                    view! { <p data-testid="warranty-over">{t!(i18n, ticket.warranty_over, date = move || until.clone())}</p> }.into_any()
                };
                view! {
                    {text}
                    <A href=href attr:class="btn btn-secondary" attr:data-testid="new-linked">{t!(i18n, ticket.new_linked)}</A>
                }.into_any()
            }}
        </div>
    })
}
