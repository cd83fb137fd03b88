//! `/mis-tickets` — the client's (company's) tickets with status, priority,
//! due time or pause, and place in the FIFO line (P7, P8, P9).
//! Reached only through `Guarded` (see `lib.rs`).
use domain::api::TicketSummary;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::page::Page;
use crate::components::tickets::{
    error_text, ticking_now, use_calendar, PriorityBadge, SlaTimer, StatusBadge,
};
use crate::i18n::*;

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let i18n = use_i18n();
    let only_active = RwSignal::new(true);
    let list = LocalResource::new(move || {
        let q = if only_active.get() {
            "status=active&per_page=100"
        } else {
            "per_page=100"
        };
        api::tickets(q.to_string())
    });
    let now = ticking_now(30);
    let cal = use_calendar();
    view! {
        <Page title=|i| t_string!(i, my_tickets.title) lead=|i| t_string!(i, my_tickets.lead) class="my-tickets-page wide">
            <p class="actions">
                <A href="/nuevo-ticket" attr:class="btn" attr:data-testid="new-ticket">{t!(i18n, nav.new_ticket)}</A>
            </p>
            <div class="segmented" role="group">
                <button type="button" aria-pressed=move || only_active.get().to_string() on:click=move |_| only_active.set(true)>
                    {t!(i18n, my_tickets.active)}
                </button>
                <button type="button" aria-pressed=move || (!only_active.get()).to_string() data-testid="show-all" on:click=move |_| only_active.set(false)>
                    {t!(i18n, my_tickets.all)}
                </button>
            </div>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Ok(l) if l.tickets.is_empty() => view! { <p class="notice" data-testid="no-tickets">{t!(i18n, my_tickets.empty)}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="ticket-list" data-testid="ticket-list">
                            {l.tickets.into_iter().map(|t| view! { <ClientRow t now cal /> }).collect::<Vec<_>>()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </Page>
    }
}

#[component]
fn ClientRow(
    t: TicketSummary,
    now: RwSignal<chrono::DateTime<chrono::Utc>>,
    cal: RwSignal<Option<domain::calendar::BusinessCalendar>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let place = t.queue_position;
    let (number, subject) = (t.number.clone(), t.subject.clone());
    view! {
        <li class="ticket-card" data-testid="ticket-row" data-number=t.number.clone() data-status=t.status.as_str()>
            <A href=format!("/tickets/{}", t.id) attr:class="ticket-link">
                <span class="ticket-number">{number}</span>
                <span class="ticket-subject">{subject}</span>
            </A>
            <div class="meta">
                <StatusBadge status=t.status />
                <PriorityBadge priority=t.priority />
                <span class="hint">{t.service.name.clone()}</span>
            </div>
            <div class="meta">
                <span class="hint">{t!(i18n, ticket.due)}</span>
                <SlaTimer ticket=t.clone() now cal />
                {place.map(|n| view! {
                    <span class="place" data-testid="queue-place">{t!(i18n, my_tickets.place, n = move || n)}</span>
                })}
            </div>
        </li>
    }
}
