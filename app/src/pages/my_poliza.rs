//! `/mi-poliza` (clients): the company's póliza — plan, hours used and left, a hand-drawn SVG
//! step chart of the balance over time (with a text alternative), expiry, the ledger linked
//! to tickets, notices (80 % used, 30 days to expiry), why it is not current (P19), and the
//! invoices with due dates, "with debts" explained (P19, P26).
use domain::api::billing::{InvoiceList, LedgerEntryView, LedgerView};
use domain::api::ContractView;
use domain::billing::LedgerKind;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::invoices::InvoiceLine;
use crate::components::page::Page;
use crate::components::tickets::{error_text, fmt_time, loc, now_utc, parse_time};
use crate::i18n::*;
use crate::I18n;

/// Everything the page shows, read at once.
#[derive(Clone)]
struct Poliza {
    contract: Option<ContractView>,
    ledger: Option<LedgerView>,
    invoices: InvoiceList,
}

async fn load() -> Result<Poliza, ApiError> {
    let contract = api::contract().await?;
    let ledger = match contract {
        Some(_) => Some(api::ledger().await?),
        None => None,
    };
    Ok(Poliza {
        contract,
        ledger,
        invoices: api::invoices().await?,
    })
}

#[component]
pub fn MyPolizaPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(load);
    view! {
        <Page title=|i| t_string!(i, poliza.title) lead=|i| t_string!(i, poliza.lead) class="poliza-page wide">
            <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Ok(p) => view! { <PolizaBody p /> }.into_any(),
                })}
            </Transition>
        </Page>
    }
}

#[component]
fn PolizaBody(p: Poliza) -> impl IntoView {
    let i18n = use_i18n();
    let Poliza {
        contract,
        ledger,
        invoices,
    } = p;
    let ledger = ledger.unwrap_or(LedgerView {
        contract_id: None,
        contract: None,
        entries: Vec::new(),
        notices: Vec::new(),
    });
    let summary = match contract.clone() {
        None => view! { <p class="notice" data-testid="no-poliza">{t!(i18n, poliza.none)}</p> }
            .into_any(),
        Some(c) => view! { <ContractSummary c /> }.into_any(),
    };
    let notices = ledger.notices.clone();
    let with_debts = invoices.with_debts;
    view! {
        {with_debts.then(|| view! { <p class="notice is-alert" role="alert" data-testid="with-debts">{t!(i18n, poliza.debts)}</p> })}
        {summary}
        {(!notices.is_empty()).then(|| view! {
            <ul class="poliza-notices" data-testid="poliza-notices">
                {notices.into_iter().map(|n| view! { <li class="notice notice-warn">{move || loc(i18n, &n)}</li> }).collect_view()}
            </ul>
        })}
        {contract.map(|c| {
            let entries = ledger.entries.clone();
            view! {
                <section class="card" aria-labelledby="chart-h">
                    <h2 id="chart-h">{t!(i18n, poliza.chart_title)}</h2>
                    <BalanceChart entries total=c.hours_total />
                </section>
                <Ledger entries=ledger.entries />
            }
        })}
        <section class="card" aria-labelledby="poliza-inv-h">
            <h2 id="poliza-inv-h">{t!(i18n, poliza.invoices)}</h2>
            {invoices.invoices.is_empty().then(|| view! { <p class="hint" data-testid="no-invoices">{t!(i18n, poliza.no_invoices)}</p> })}
            <ul class="admin-list" data-testid="invoices">
                {invoices.invoices.into_iter().map(|inv| view! { <InvoiceLine inv link=true /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ContractSummary(c: ContractView) -> impl IntoView {
    let i18n = use_i18n();
    let label = c.plan_label.clone();
    let reason = c.reason_message.clone();
    let used_pct = (c.hours_used * 100)
        .checked_div(c.hours_total)
        .unwrap_or(0)
        .min(100);
    view! {
        <section class="card poliza-summary" data-testid="poliza" data-current=c.current.to_string()
            data-remaining=c.hours_remaining data-used=c.hours_used data-total=c.hours_total aria-labelledby="poliza-plan">
            <h2 id="poliza-plan">{move || loc(i18n, &label)}
                " " <span class=if c.current { "tag tag-ok" } else { "tag tag-bad" }>
                    {move || if c.current { t_string!(i18n, poliza.current) } else { t_string!(i18n, poliza.not_current) }}
                </span>
            </h2>
            {reason.map(|r| view! { <p class="notice is-alert" data-testid="poliza-reason" data-reason=c.reason.clone().unwrap_or_default()>{move || loc(i18n, &r)}</p> })}
            <dl class="facts-inline">
                <div><dt>{t!(i18n, poliza.total)}</dt><dd>{format!("{} h", c.hours_total)}</dd></div>
                <div><dt>{t!(i18n, poliza.used)}</dt><dd data-testid="poliza-used">{format!("{} h", c.hours_used)}</dd></div>
                <div><dt>{t!(i18n, poliza.remaining)}</dt><dd data-testid="poliza-remaining"><strong>{format!("{} h", c.hours_remaining)}</strong></dd></div>
                <div><dt>{t!(i18n, poliza.starts)}</dt><dd>{c.starts_on.clone()}</dd></div>
                <div><dt>{t!(i18n, poliza.expires)}</dt><dd data-testid="poliza-expires">{c.expires_on.clone()}</dd></div>
            </dl>
            <div class="meter" aria-hidden="true"><span style=format!("width:{used_pct}%")></span></div>
        </section>
    }
}

fn kind_label(i18n: I18n, k: LedgerKind) -> &'static str {
    match k {
        LedgerKind::Grant => t_string!(i18n, poliza.k_grant),
        LedgerKind::Charge => t_string!(i18n, poliza.k_charge),
        LedgerKind::Correction => t_string!(i18n, poliza.k_correction),
    }
}

/// The ledger, oldest first, each movement linked to its ticket.
#[component]
fn Ledger(entries: Vec<LedgerEntryView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="ledger-h">
            <h2 id="ledger-h">{t!(i18n, poliza.ledger)}</h2>
            {entries.is_empty().then(|| view! { <p class="hint">{t!(i18n, poliza.no_entries)}</p> })}
            <ol class="admin-list" id="ledger-list" data-testid="ledger">
                {entries.into_iter().map(|e| {
                    let kind = e.kind;
                    let n = e.balance_after;
                    view! {
                        <li class="admin-item" data-testid="ledger-entry" data-kind=format!("{kind:?}").to_lowercase()
                            data-hours=e.hours data-balance=e.balance_after data-ticket=e.ticket_id.clone().unwrap_or_default()>
                            <span><strong>{move || kind_label(i18n, kind)}</strong>
                                {format!(" {:+} h · ", e.hours)}{t!(i18n, poliza.balance, n = move || n)}</span>
                            {e.ticket_id.clone().map(|id| view! {
                                <A href=format!("/tickets/{id}") attr:data-testid="ledger-ticket">{e.ticket_number.clone().unwrap_or(id)}</A>
                            })}
                            {e.reason.clone().map(|r| view! { <span class="msg-body">{r}</span> })}
                            <span class="hint">{fmt_time(i18n, &e.created_at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The balance after each movement as a step line, drawn by hand (no chart library), with
/// its text alternative in `<title>`/`<desc>` and the ledger list as the full data.
#[component]
fn BalanceChart(entries: Vec<LedgerEntryView>, total: u32) -> impl IntoView {
    let i18n = use_i18n();
    let points: Vec<(i64, i64, String)> = entries
        .iter()
        .filter_map(|e| {
            let t = parse_time(&e.created_at)?;
            Some((t.timestamp(), e.balance_after, e.created_at.clone()))
        })
        .collect();
    let (Some(first), Some(last)) = (points.first().cloned(), points.last().cloned()) else {
        return view! { <p class="hint">{t!(i18n, poliza.no_entries)}</p> }.into_any();
    };
    let (w, h, left, right, top, bottom) = (320.0, 150.0, 34.0, 312.0, 10.0, 124.0);
    let t0 = first.0;
    let t1 = now_utc().timestamp().max(last.0).max(t0 + 1);
    let ymax = points
        .iter()
        .map(|p| p.1)
        .chain([i64::from(total), 1])
        .max()
        .unwrap_or(1);
    let x = |t: i64| left + (right - left) * (t - t0) as f64 / (t1 - t0) as f64;
    let y = |b: i64| bottom - (bottom - top) * (b.max(0) as f64) / ymax as f64;
    let mut d = format!("M{:.1} {:.1}", x(first.0), y(first.1));
    for p in &points[1..] {
        d += &format!(" H{:.1} V{:.1}", x(p.0), y(p.1));
    }
    d += &format!(" H{right:.1}");
    let day = |s: &str| s.get(..10).unwrap_or(s).to_string();
    let (from, to, n) = (first.1, last.1, points.len());
    let (start, end) = (day(&first.2), day(&last.2));
    let (start2, end2) = (start.clone(), end.clone());
    let dots = points
        .iter()
        .map(|p| {
            view! { <circle cx=format!("{:.1}", x(p.0)) cy=format!("{:.1}", y(p.1)) r="3" /> }
        })
        .collect_view();
    view! {
        <figure class="balance-chart" data-testid="balance-chart" data-last=to>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-labelledby="chart-t chart-d" preserveAspectRatio="xMidYMid meet">
                <title id="chart-t">{t!(i18n, poliza.chart_title)}</title>
                <desc id="chart-d">{t!(i18n, poliza.chart_desc, from = move || from, start = move || start.clone(), to = move || to, end = move || end.clone(), n = move || n)}</desc>
                <line class="axis" x1=left y1=bottom x2=right y2=bottom />
                <line class="grid" x1=left y1=top x2=right y2=top />
                <text class="tick" x=left - 4.0 y=bottom + 4.0 text-anchor="end">"0 h"</text>
                <text class="tick" x=left - 4.0 y=top + 4.0 text-anchor="end">{format!("{ymax} h")}</text>
                <text class="tick" x=left y=h - 6.0 text-anchor="start">{start2}</text>
                <text class="tick" x=right y=h - 6.0 text-anchor="end">{end2}</text>
                <path class="line" d=d />
                <g class="dots">{dots}</g>
            </svg>
        </figure>
    }
    .into_any()
}
