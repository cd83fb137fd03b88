//! `/articulos/estadisticas` — what readers look for and whether the KB answers it
//! (`GET /api/kb/admin/stats?days=`): top searches, searches without results, most and least
//! helpful articles, and the P11 deflection rate (ticket-form sessions that did not end in a
//! ticket) per day.
use leptos::prelude::*;

use crate::api;
use crate::components::page::set_title;
use crate::i18n::*;
use crate::pages::hours::fill;
use crate::pages::hours::{medium_date, ymd};
use crate::I18n;
use domain::api::kb::{DeflectionDay, HelpfulStat, KbStats, QueryStat};

fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.0} %", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn KbStatsPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || t_string!(i18n, kb_admin.stats));
    let days = RwSignal::new(30u32);
    let data = LocalResource::new(move || api::kb_stats(days.get()));
    view! {
        <section class="page page-wide kb-stats" data-testid="kb-stats">
            <p class="kb-back"><a href="/articulos">{t!(i18n, kb_admin.back)}</a></p>
            <h1>{t!(i18n, kb_admin.stats)}</h1>
            <div class="field field-inline">
                <label for="kb-stats-days">{t!(i18n, kb_admin.period)}</label>
                <select id="kb-stats-days" data-testid="kb-stats-days"
                    on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(30))>
                    {[7u32, 30, 90, 365]
                        .into_iter()
                        .map(|d| view! {
                            <option value=d.to_string() selected=d == 30>
                                {move || fill(t_string!(i18n, kb_admin.last_days), &[("n", &(d))])}
                            </option>
                        })
                        .collect::<Vec<_>>()}
                </select>
            </div>
            {move || match data.get() {
                None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="form-error" role="alert">{t!(i18n, kb.load_error)}</p> }.into_any(),
                Some(Ok(s)) => view! { <Stats stats=s /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Stats(stats: KbStats) -> impl IntoView {
    let i18n = use_i18n();
    let d = stats.deflection;
    view! {
        <h2>{t!(i18n, kb_admin.deflection)}</h2>
        <p class="hint">{t!(i18n, kb_admin.deflection_hint)}</p>
        <dl class="facts stat-cards" data-testid="kb-stats-deflection">
            <div><dt>{t!(i18n, kb_admin.sessions)}</dt><dd>{d.sessions}</dd></div>
            <div><dt>{t!(i18n, kb_admin.deflected)}</dt><dd>{d.deflected}</dd></div>
            <div><dt>{t!(i18n, kb_admin.submitted)}</dt><dd>{d.submitted}</dd></div>
            <div><dt>{t!(i18n, kb_admin.rate)}</dt><dd data-testid="kb-stats-rate">{percent(d.rate)}</dd></div>
        </dl>
        <ByDay days=d.by_day />
        <div class="stat-grid">
            <div>
                <h2>{t!(i18n, kb_admin.top_searches)}</h2>
                <Queries list=stats.top_searches testid="kb-stats-top" />
            </div>
            <div>
                <h2>{t!(i18n, kb_admin.no_results)}</h2>
                <p class="hint">{t!(i18n, kb_admin.no_results_hint)}</p>
                <Queries list=stats.no_result_searches testid="kb-stats-none" />
            </div>
            <div>
                <h2>{t!(i18n, kb_admin.most_helpful)}</h2>
                <Helpful list=stats.most_helpful testid="kb-stats-most" />
            </div>
            <div>
                <h2>{t!(i18n, kb_admin.least_helpful)}</h2>
                <Helpful list=stats.least_helpful testid="kb-stats-least" />
            </div>
        </div>
    }
}

fn empty(i18n: I18n) -> AnyView {
    view! { <p class="hint">{t!(i18n, kb_admin.no_data)}</p> }.into_any()
}

#[component]
fn ByDay(days: Vec<DeflectionDay>) -> impl IntoView {
    let i18n = use_i18n();
    if days.is_empty() {
        return empty(i18n);
    }
    let max = days.iter().map(|d| d.sessions).max().unwrap_or(1).max(1);
    let rows = days
        .into_iter()
        .rev()
        .map(|d| {
            let date = ymd(&d.date);
            let width = format!("width:{}%", d.sessions * 100 / max);
            let deflected = d.sessions - d.submitted;
            let bar_deflected = format!(
                "width:{}%",
                if d.sessions > 0 { deflected * 100 / d.sessions } else { 0 }
            );
            view! {
                <tr>
                    <th scope="row">{move || date.map(|x| medium_date(i18n, x)).unwrap_or_else(|| d.date.clone())}</th>
                    <td>
                        <span class="kb-bar" style=width aria-hidden="true"><span class="kb-bar-fill" style=bar_deflected></span></span>
                        {d.sessions}
                    </td>
                    <td>{d.viewed_article}</td>
                    <td>{d.submitted}</td>
                    <td>{percent(d.rate)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid="kb-stats-days-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, kb_admin.date)}</th>
                        <th scope="col">{t!(i18n, kb_admin.sessions)}</th>
                        <th scope="col">{t!(i18n, kb_admin.viewed)}</th>
                        <th scope="col">{t!(i18n, kb_admin.submitted)}</th>
                        <th scope="col">{t!(i18n, kb_admin.rate)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Queries(list: Vec<QueryStat>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return empty(i18n);
    }
    let rows = list
        .into_iter()
        .map(|q| {
            view! {
                <tr>
                    <td><a href=format!("/kb?q={}", String::from(js_sys::encode_uri_component(&q.query)))>{q.query.clone()}</a></td>
                    <td>{q.count}</td>
                    <td>{format!("{:.1}", q.avg_results)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, kb_admin.query)}</th>
                        <th scope="col">{t!(i18n, kb_admin.times)}</th>
                        <th scope="col">{t!(i18n, kb_admin.avg_results)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Helpful(list: Vec<HelpfulStat>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return empty(i18n);
    }
    let rows = list
        .into_iter()
        .map(|h| {
            let total = h.helpful_yes + h.helpful_no;
            let share = if total > 0 {
                format!("{} %", h.helpful_yes * 100 / total)
            } else {
                "—".into()
            };
            view! {
                <tr>
                    <td><a href=format!("/articulos/editar/{}", h.slug)>{h.title.clone()}</a></td>
                    <td>{h.helpful_yes}</td>
                    <td>{h.helpful_no}</td>
                    <td>{share}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, kb_admin.article)}</th>
                        <th scope="col">{t!(i18n, kb.yes)}</th>
                        <th scope="col">{t!(i18n, kb.no)}</th>
                        <th scope="col">{t!(i18n, kb_admin.useful_share)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
