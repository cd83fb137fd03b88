//! `/cola` — the agents' queue (P8): arrival order by default, filters,
//! search, live SLA timers (recomputed every 30 s in the browser with the
//! office calendar, no refetch) and "take".
//! Reached only through `Guarded` (see `lib.rs`).
use domain::api::TicketSummary;
use domain::ticket::Status;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, enc};
use crate::components::page::Page;
use crate::components::tickets::{
    category_label, error_text, status_label, ticking_now, use_calendar, PriorityBadge, SlaTimer,
    StatusBadge,
};
use crate::i18n::*;
use crate::session::use_session;

const PER_PAGE: u32 = 50;

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new("active".to_string());
    let priority = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let breached = RwSignal::new(false);
    let sla = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    // Issue 15: a new ticket or a client's message reads the list again, without a reload.
    let _lobby = crate::pages::chat::use_lobby(
        move |f| {
            if matches!(f, domain::api::live::LobbyFrame::Tickets { .. }) {
                version.update(|v| *v += 1);
            }
        },
        RwSignal::new(crate::live::Link::Connecting),
    );

    let companies = LocalResource::new(api::companies);
    let services = LocalResource::new(move || {
        let c = company.get();
        async move {
            if c.is_empty() {
                Ok(Vec::new())
            } else {
                api::services(Some(c)).await
            }
        }
    });
    let list = LocalResource::new(move || {
        version.track();
        let mut query = format!("per_page={PER_PAGE}&page={}", page.get());
        for (k, v) in [
            ("status", status.get()),
            ("priority", priority.get()),
            ("company_id", company.get()),
            ("service_id", service.get()),
            ("assignee", assignee.get()),
            ("sla", sla.get()),
            ("q", q.get().trim().to_string()),
        ] {
            if !v.is_empty() {
                query.push_str(&format!("&{k}={}", enc(&v)));
            }
        }
        if breached.get() {
            query.push_str("&breached=true");
        }
        api::tickets(query)
    });
    // Any filter change goes back to the first page.
    Effect::new(move |_| {
        status.track();
        priority.track();
        company.track();
        service.track();
        assignee.track();
        breached.track();
        sla.track();
        q.track();
        // Only a change: setting the same page would read the list a second time on load.
        if page.get_untracked() != 1 {
            page.set(1);
        }
    });

    let now = ticking_now(30);
    let cal = use_calendar();
    let take = move |id: String| {
        spawn_local(async move {
            match api::ticket_action(id, "assign").await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        })
    };

    let sel = move |sig: RwSignal<String>| move |ev| sig.set(event_target_value(&ev));
    let statuses = move || {
        Status::ALL
            .into_iter()
            .map(|s| view! { <option value=s.as_str()>{status_label(i18n, s)}</option> })
            .collect::<Vec<_>>()
    };

    view! {
        <Page title=|i| t_string!(i, queue.title) lead=|i| t_string!(i, queue.lead) class="queue-page wide">
            <form class="filters" data-testid="queue-filters" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="f-q">{t!(i18n, queue.search)}</label>
                    <input id="f-q" type="search" data-testid="queue-search" on:change=move |ev| q.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="f-status">{t!(i18n, queue.f_status)}</label>
                    <select id="f-status" data-testid="filter-status" on:change=sel(status) prop:value=move || status.get()>
                        <option value="active">{t!(i18n, queue.active)}</option>
                        <option value="">{t!(i18n, queue.any)}</option>
                        {statuses}
                    </select>
                </div>
                <div class="field">
                    <label for="f-priority">{t!(i18n, queue.f_priority)}</label>
                    <select id="f-priority" data-testid="filter-priority" on:change=sel(priority)>
                        <option value="">{t!(i18n, queue.any)}</option>
                        <option value="high">{t!(i18n, ticket.pr_high)}</option>
                        <option value="medium">{t!(i18n, ticket.pr_medium)}</option>
                        <option value="low">{t!(i18n, ticket.pr_low)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="f-company">{t!(i18n, queue.f_company)}</label>
                    <select id="f-company" data-testid="filter-company" on:change=move |ev| { service.set(String::new()); company.set(event_target_value(&ev)); }>
                        <option value="">{t!(i18n, queue.any)}</option>
                        {move || companies.get().and_then(Result::ok).unwrap_or_default().into_iter()
                            .map(|c| view! { <option value=c.id>{c.name}</option> }).collect::<Vec<_>>()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-service">{t!(i18n, queue.f_service)}</label>
                    <select id="f-service" data-testid="filter-service" on:change=sel(service) disabled=move || company.with(String::is_empty)>
                        <option value="">{t!(i18n, queue.any)}</option>
                        {move || services.get().and_then(Result::ok).unwrap_or_default().into_iter()
                            .map(|s| view! { <option value=s.id>{s.name}</option> }).collect::<Vec<_>>()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-assignee">{t!(i18n, queue.f_assignee)}</label>
                    <select id="f-assignee" data-testid="filter-assignee" on:change=sel(assignee)>
                        <option value="">{t!(i18n, queue.any)}</option>
                        <option value="me">{t!(i18n, queue.mine)}</option>
                        <option value="none">{t!(i18n, queue.unassigned)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="f-sla">{t!(i18n, queue.f_sla)}</label>
                    <select id="f-sla" data-testid="filter-sla" on:change=sel(sla)>
                        <option value="">{t!(i18n, queue.any)}</option>
                        <option value="at_risk">{t!(i18n, queue.sla_at_risk)}</option>
                        <option value="breached">{t!(i18n, queue.sla_breached)}</option>
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" data-testid="filter-breached" on:change=move |ev| breached.set(event_target_checked(&ev)) />
                    {t!(i18n, queue.breached)}
                </label>
            </form>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Ok(l) if l.tickets.is_empty() => view! { <p class="notice" data-testid="queue-empty">{t!(i18n, queue.empty)}</p> }.into_any(),
                    Ok(l) => {
                        let more = i64::from(l.page * l.per_page) < l.total;
                        view! {
                            <p class="hint">{let n = l.total; t!(i18n, queue.total, n = move || n)}</p>
                            <ul class="ticket-list" data-testid="queue-list">
                                {l.tickets.into_iter().map(|t| view! { <QueueRow t now cal take /> }).collect::<Vec<_>>()}
                            </ul>
                            <div class="actions">
                                <button type="button" class="btn btn-secondary" disabled=move || page.get() == 1 on:click=move |_| page.update(|p| *p -= 1)>
                                    {t!(i18n, queue.prev)}
                                </button>
                                <button type="button" class="btn btn-secondary" disabled=!more on:click=move |_| page.update(|p| *p += 1)>
                                    {t!(i18n, queue.next)}
                                </button>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </Page>
    }
}

#[component]
fn QueueRow<F: Fn(String) + Copy + Send + Sync + 'static>(
    t: TicketSummary,
    now: RwSignal<chrono::DateTime<chrono::Utc>>,
    cal: RwSignal<Option<domain::calendar::BusinessCalendar>>,
    take: F,
) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_session().auth.with_untracked(|a| match a {
        crate::session::Auth::User(u) => u.id.clone(),
        _ => String::new(),
    });
    let id = t.id.clone();
    let can_take = t.status.is_open() && t.assignee.as_ref().is_none_or(|a| a.id != me);
    let category = t.category;
    let (number, subject) = (t.number.clone(), t.subject.clone());
    view! {
        <li class="ticket-card" data-testid="queue-row" data-number=t.number.clone() data-status=t.status.as_str() data-id=t.id.clone()>
            <A href=format!("/tickets/{}", t.id) attr:class="ticket-link">
                <span class="ticket-number">{number}</span>
                <span class="ticket-subject">{subject}</span>
            </A>
            <div class="meta">
                <StatusBadge status=t.status />
                <PriorityBadge priority=t.priority />
                {t.sla_flag.map(|f| {
                    let label = move || match f {
                        domain::sla::breach::SlaFlag::AtRisk => t_string!(i18n, queue.sla_at_risk),
                        domain::sla::breach::SlaFlag::Breached => t_string!(i18n, queue.sla_breached),
                    };
                    view! { <span class=format!("badge sla-flag sla-{}", f.as_str()) data-sla=f.as_str()>{label}</span> }
                })}
                <span class="hint">{move || category_label(i18n, category)}</span>
            </div>
            <div class="meta">
                <span>{t.company.name.clone()} " · " {t.service.name.clone()}</span>
                <span class="hint">
                    {match t.assignee.clone() {
                        Some(a) => a.name,
                        None => t_string!(i18n, queue.unassigned).to_string(),
                    }}
                </span>
            </div>
            <div class="meta">
                <SlaTimer ticket=t.clone() now cal />
                {can_take.then(|| view! {
                    <button type="button" class="btn btn-small" data-testid="take" on:click=move |_| take(id.clone())>
                        {t!(i18n, queue.take)}
                    </button>
                })}
            </div>
        </li>
    }
}
