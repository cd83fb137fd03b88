//! `/horario` — "Horario de atención" (issue 4, SPA part).
//!
//! Whether support is open right now and when that changes (`GET /api/calendar/status`,
//! refreshed every minute), the office hours and zone, and the year's non-working days
//! (`GET /api/calendar/holidays?year=`) with a previous/next year switcher kept in the
//! address (`/horario?anio=2027`, so it survives a reload). Statutory rest days (Ley Federal
//! del Trabajo, art. 74) and days added by the company are marked differently.
//!
//! Also home of the small date helpers the knowledge-base pages use (names come from the
//! locale files: `hours.months`, `hours.weekdays`).
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::page::set_title;
use crate::i18n::*;
use crate::I18n;
use domain::api::calendar::{CalendarStatus, HolidayView};
use domain::holidays::HolidayKind;

// ---------------------------------------------------------------- dates

/// Fills `{name}` placeholders of a translated text (the KB and hours texts use single
/// braces, so leptos_i18n returns them as plain `&'static str`).
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// `YYYY-MM-DD…` → date (the API's RFC 3339 times start with the office-local date).
pub fn ymd(s: &str) -> Option<NaiveDate> {
    let y = s.get(0..4)?.parse().ok()?;
    let m = s.get(5..7)?.parse().ok()?;
    let d = s.get(8..10)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `…THH:MM…` of an RFC 3339 time, as written by the API (office offset).
fn local_time(s: &str) -> Option<NaiveDateTime> {
    let h = s.get(11..13)?.parse().ok()?;
    let m = s.get(14..16)?.parse().ok()?;
    Some(ymd(s)?.and_time(NaiveTime::from_hms_opt(h, m, 0)?))
}

fn nth(list: &str, i: usize) -> String {
    list.split(',').nth(i).unwrap_or("").trim().to_string()
}

fn month_name(i18n: I18n, d: NaiveDate) -> String {
    nth(t_string!(i18n, hours.months), d.month0() as usize)
}

fn weekday_name(i18n: I18n, d: NaiveDate) -> String {
    nth(
        t_string!(i18n, hours.weekdays),
        d.weekday().num_days_from_monday() as usize,
    )
}

/// "jueves 1 de enero de 2026" / "Thursday, January 1, 2026".
pub fn long_date(i18n: I18n, d: NaiveDate) -> String {
    fill(
        t_string!(i18n, hours.date_long),
        &[
            ("wd", &(weekday_name(i18n, d))),
            ("d", &(d.day())),
            ("m", &(month_name(i18n, d))),
            ("y", &(d.year())),
        ],
    )
}

/// "1 de enero de 2026" / "January 1, 2026".
pub fn medium_date(i18n: I18n, d: NaiveDate) -> String {
    fill(
        t_string!(i18n, hours.date_medium),
        &[
            ("d", &(d.day())),
            ("m", &(month_name(i18n, d))),
            ("y", &(d.year())),
        ],
    )
}

/// "jueves 1 de enero" / "Thursday, January 1".
fn day_month(i18n: I18n, d: NaiveDate) -> String {
    fill(
        t_string!(i18n, hours.date_day_month),
        &[
            ("wd", &(weekday_name(i18n, d))),
            ("d", &(d.day())),
            ("m", &(month_name(i18n, d))),
        ],
    )
}

fn hhmm(t: NaiveDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "UTC−06:00".
fn utc_label(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '−' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The visitor's UTC offset in minutes (east positive).
fn browser_offset() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// "hoy a las 18:00", "mañana a las 09:00", "el lunes 5 de enero a las 09:00".
fn when(i18n: I18n, at: NaiveDateTime, today: NaiveDate) -> String {
    let time = hhmm(at);
    let day = at.date();
    if day == today {
        fill(t_string!(i18n, hours.today_at), &[("time", &(time))])
    } else if Some(day) == today.succ_opt() {
        fill(t_string!(i18n, hours.tomorrow_at), &[("time", &(time))])
    } else {
        fill(
            t_string!(i18n, hours.day_at),
            &[("day", &(day_month(i18n, day))), ("time", &(time))],
        )
    }
}

// ---------------------------------------------------------------- page

#[component]
pub fn HoursPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || t_string!(i18n, hours.title));

    let status = LocalResource::new(api::calendar_status);
    // Open/closed changes with the clock: ask again every minute while the page is open.
    if let Ok(handle) =
        set_interval_with_handle(move || status.refetch(), std::time::Duration::from_secs(60))
    {
        on_cleanup(move || handle.clear());
    }

    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        query.with(|q| {
            q.get("anio")
                .and_then(|y| y.trim().parse::<i32>().ok())
                .filter(|y| (1900..=2200).contains(y))
        })
    });
    let holidays = LocalResource::new(move || api::holiday_year(wanted.get()));

    let today = Memo::new(move |_| status.get().and_then(|r| r.ok()).and_then(|s| ymd(&s.now)));

    view! {
        <section class="page hours-page" data-testid="hours-page">
            <h1>{t!(i18n, hours.title)}</h1>
            <p class="lead">{t!(i18n, hours.lead)}</p>
            {move || match status.get() {
                None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="form-error" role="alert">{t!(i18n, hours.status_error)}</p> }.into_any(),
                Some(Ok(s)) => view! { <OpenNow status=s /> }.into_any(),
            }}
            <dl class="facts" data-testid="hours-facts">
                <div>
                    <dt>{t!(i18n, hours.days_label)}</dt>
                    <dd>{t!(i18n, hours.days)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, hours.time_label)}</dt>
                    <dd data-testid="hours-time">
                        {move || match status.get() {
                            Some(Ok(s)) => fill(t_string!(i18n, hours.time_range), &[("opens", &(s.opens)), ("closes", &(s.closes))]),
                            _ => t_string!(i18n, hours.time).to_string(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, hours.zone_label)}</dt>
                    <dd data-testid="hours-zone">
                        {move || match status.get() {
                            Some(Ok(s)) if s.offset_minutes != -360 => utc_label(s.offset_minutes),
                            _ => t_string!(i18n, hours.zone).to_string(),
                        }}
                    </dd>
                </div>
            </dl>
            <p>{t!(i18n, hours.note)}</p>

            <section class="holidays" aria-labelledby="festivos">
                {move || {
                    // While a new year loads, keep showing the previous one (no jump).
                    let shown = holidays.get().and_then(|r| r.ok());
                    let year = shown.as_ref().map(|h| h.year).or_else(|| wanted.get());
                    view! { <YearSwitch year=year /> }
                }}
                {move || match holidays.get() {
                    None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                    Some(Err(_)) => view! { <p class="form-error" role="alert">{t!(i18n, hours.holidays_error)}</p> }.into_any(),
                    Some(Ok(h)) => view! { <HolidayList list=h.holidays year=h.year today=today.get() /> }.into_any(),
                }}
                <p class="hint">{t!(i18n, hours.holidays_note)}</p>
            </section>
        </section>
    }
}

#[component]
fn OpenNow(status: CalendarStatus) -> impl IntoView {
    let i18n = use_i18n();
    let now = local_time(&status.now);
    let today = now.map(|n| n.date());
    let next = if status.open {
        local_time(&status.next_closing)
    } else {
        local_time(&status.next_opening)
    };
    let open = status.open;
    let offset = status.offset_minutes;
    let change = move || match (next, today) {
        (Some(at), Some(today)) => {
            let w = when(i18n, at, today);
            if open {
                fill(t_string!(i18n, hours.closes_at), &[("when", &(w))])
            } else {
                fill(t_string!(i18n, hours.opens_at), &[("when", &(w))])
            }
        }
        _ => String::new(),
    };
    // The same moment on the visitor's clock, when it differs from the office's.
    let theirs = move || {
        let mine = browser_offset();
        if mine == offset {
            return None;
        }
        let at = next? + Duration::minutes((mine - offset) as i64);
        let their_today = now? + Duration::minutes((mine - offset) as i64);
        Some(fill(
            t_string!(i18n, hours.your_time),
            &[
                ("when", &(when(i18n, at, their_today.date()))),
                ("zone", &(utc_label(mine))),
            ],
        ))
    };
    let office_now = now.map(hhmm).unwrap_or_default();
    let non_working = !status.today_is_working_day;
    view! {
        <div
            class=if open { "open-now is-open" } else { "open-now is-closed" }
            data-testid="hours-status"
            data-open=if open { "true" } else { "false" }
            role="status"
        >
            <p class="open-state">
                <span class="dot" aria-hidden="true"></span>
                {move || if open { t_string!(i18n, hours.open_now) } else { t_string!(i18n, hours.closed_now) }}
            </p>
            <p class="open-change" data-testid="hours-next">{change}</p>
            {move || theirs().map(|t| view! { <p class="hint">{t}</p> })}
            <p class="hint">
                {move || fill(t_string!(i18n, hours.office_clock), &[("time", &(office_now.clone()))])}
                {non_working.then(|| view! { " " {t!(i18n, hours.non_working_today)} })}
            </p>
        </div>
    }
}

#[component]
fn YearSwitch(year: Option<i32>) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |y: i32, testid: &'static str, label: String| {
        let href = format!("/horario?anio={y}");
        view! {
            <A href=href scroll=false attr:class="btn btn-secondary year-btn" attr:data-testid=testid attr:aria-label=label>
                {if testid == "year-prev" { format!("← {y}") } else { format!("{y} →") }}
            </A>
        }
    };
    view! {
        <div class="year-switch">
            <h2 id="festivos" data-testid="holiday-year" data-year=year.map(|y| y.to_string())>
                {move || match year {
                    Some(y) => fill(t_string!(i18n, hours.holidays_of), &[("year", &(y))]),
                    None => t_string!(i18n, hours.holidays_heading).to_string(),
                }}
            </h2>
            {year.map(|y| {
                view! {
                    <nav class="year-nav" aria-label=move || t_string!(i18n, hours.year_nav)>
                        {(y > 1900).then(|| link(y - 1, "year-prev", fill(t_string!(i18n, hours.prev_year), &[("year", &(y - 1))])))}
                        {(y < 2200).then(|| link(y + 1, "year-next", fill(t_string!(i18n, hours.next_year), &[("year", &(y + 1))])))}
                    </nav>
                }
            })}
        </div>
    }
}

#[component]
fn HolidayList(list: Vec<HolidayView>, year: i32, today: Option<NaiveDate>) -> impl IntoView {
    let i18n = use_i18n();
    let statutory = list.iter().filter(|h| h.kind != HolidayKind::Added).count();
    let added = list.len() - statutory;
    // The first holiday from today on (only meaningful for the current year).
    let next = today.and_then(|t| list.iter().filter_map(|h| ymd(&h.date)).find(|d| *d >= t));
    let items = list
        .into_iter()
        .map(|h| {
            let date = ymd(&h.date);
            let added = h.kind == HolidayKind::Added;
            let past = matches!((date, today), (Some(d), Some(t)) if d < t);
            let is_next = date.is_some() && date == next;
            let weekend = date.is_some_and(|d| d.weekday().num_days_from_monday() >= 5);
            let (name, name_en) = (h.name.clone(), h.name_en.clone());
            let name = move || {
                if i18n.get_locale() == Locale::en && !name_en.is_empty() {
                    name_en.clone()
                } else {
                    name.clone()
                }
            };
            let class = format!(
                "holiday{}{}{}",
                if added { " is-added" } else { " is-statutory" },
                if past { " is-past" } else { "" },
                if is_next { " is-next" } else { "" }
            );
            view! {
                <li class=class data-testid="holiday" data-date=h.date.clone() data-kind=h.kind.as_str()>
                    <time datetime=h.date.clone() class="holiday-date">
                        {let raw = h.date.clone(); move || date.map(|d| long_date(i18n, d)).unwrap_or_else(|| raw.clone())}
                    </time>
                    <span class="holiday-name">{name}</span>
                    <span class="holiday-tags">
                        <span class=if added { "badge badge-added" } else { "badge badge-law" } data-testid="holiday-kind">
                            {move || if added { t_string!(i18n, hours.kind_added) } else { t_string!(i18n, hours.kind_statutory) }}
                        </span>
                        {weekend.then(|| view! { <span class="badge badge-muted">{t!(i18n, hours.weekend)}</span> })}
                        {is_next.then(|| view! { <span class="badge badge-next">{t!(i18n, hours.next_holiday)}</span> })}
                    </span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <p class="holiday-count" data-testid="holiday-count">
            {move || fill(t_string!(i18n, hours.count), &[("year", &(year)), ("statutory", &(statutory)), ("added", &(added))])}
        </p>
        <ul class="holiday-list" data-testid="holiday-list">{items}</ul>
    }
}
