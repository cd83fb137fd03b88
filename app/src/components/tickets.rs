//! Shared pieces of the ticket screens (issue 5): labels, office times, the
//! business calendar in the browser (same `domain` code as the Worker), live
//! SLA timers, the screenshot picker and the submitter data (P13).
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};
use domain::api::{LocalizedText, TicketSummary};
use domain::calendar::{BusinessCalendar, CalendarSettings};
use domain::contract::Category;
use domain::sla::{PauseReason, Priority};
use domain::ticket::Status;
use domain::workflow::{sniff_image, ATTACHMENTS_PER_MESSAGE, ATTACHMENT_MAX_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::*;
use crate::lazy::lazy_part;
// Dates by `ymd`, not `str::parse::<NaiveDate>`: chrono's general parser is ~10 KB of WASM.
use crate::pages::hours::ymd;
use crate::I18n;

// ---------------------------------------------------------------- labels

pub fn is_en(i18n: I18n) -> bool {
    i18n.get_locale() == Locale::en
}

/// The API's two-language text in the current language.
pub fn loc(i18n: I18n, t: &LocalizedText) -> String {
    if is_en(i18n) {
        t.en.clone()
    } else {
        t.es.clone()
    }
}

pub fn status_label(i18n: I18n, s: Status) -> &'static str {
    match s {
        Status::New => t_string!(i18n, ticket.st_new),
        Status::Open => t_string!(i18n, ticket.st_open),
        Status::WaitingClient => t_string!(i18n, ticket.st_waiting_client),
        Status::WaitingThirdParty => t_string!(i18n, ticket.st_waiting_third_party),
        Status::WaitingRelease => t_string!(i18n, ticket.st_waiting_release),
        Status::AwaitingAuthorization => t_string!(i18n, ticket.st_awaiting_authorization),
        Status::Resolved => t_string!(i18n, ticket.st_resolved),
        Status::Closed => t_string!(i18n, ticket.st_closed),
    }
}

pub fn priority_label(i18n: I18n, p: Priority) -> &'static str {
    match p {
        Priority::Low => t_string!(i18n, ticket.pr_low),
        Priority::Medium => t_string!(i18n, ticket.pr_medium),
        Priority::High => t_string!(i18n, ticket.pr_high),
    }
}

pub fn category_label(i18n: I18n, c: Category) -> &'static str {
    match c {
        Category::Question => t_string!(i18n, ticket.cat_question),
        Category::Incident => t_string!(i18n, ticket.cat_incident),
        Category::SupportCase => t_string!(i18n, ticket.cat_support_case),
        Category::RemoteAssistance => t_string!(i18n, ticket.cat_remote_assistance),
        Category::PhoneAdvice => t_string!(i18n, ticket.cat_phone_advice),
    }
}

pub fn pause_label(i18n: I18n, r: PauseReason) -> &'static str {
    match r {
        PauseReason::WaitingClient => t_string!(i18n, ticket.pause_waiting_client),
        PauseReason::WaitingThirdParty => t_string!(i18n, ticket.pause_waiting_third_party),
        PauseReason::WaitingRelease => t_string!(i18n, ticket.pause_waiting_release),
    }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge st-{}", status.as_str()) data-status=status.as_str()>
            {move || status_label(i18n, status)}
        </span>
    }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge pr-{}", priority.as_str()) data-priority=priority.as_str()>
            {move || priority_label(i18n, priority)}
        </span>
    }
}

// ---------------------------------------------------------------- time

pub fn now_utc() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Parses the API's RFC 3339 times (`2026-12-29T10:00:00-06:00`, `…Z`,
/// optional fraction) without chrono's format machinery (smaller WASM).
pub fn parse_time(s: &str) -> Option<DateTime<FixedOffset>> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let naive = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => {
            let m = (num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?) as i32 * 60;
            if *sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    let offset = FixedOffset::east_opt(offset)?;
    naive.and_local_timezone(offset).single()
}

/// "lun 29/12/2026 10:00" / "Mon 2026-12-29 10:00" in the time's own offset (the office's).
pub fn fmt_local(i18n: I18n, t: DateTime<FixedOffset>) -> String {
    let wd = t.weekday().num_days_from_monday() as usize;
    let day = t_string!(i18n, ticket.weekdays)
        .split(',')
        .nth(wd)
        .unwrap_or("");
    if is_en(i18n) {
        format!(
            "{day} {}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    } else {
        format!(
            "{day} {:02}/{:02}/{} {:02}:{:02}",
            t.day(),
            t.month(),
            t.year(),
            t.hour(),
            t.minute()
        )
    }
}

/// An API time shown in office time (unparseable values are shown as they are).
pub fn fmt_time(i18n: I18n, s: &str) -> String {
    parse_time(s)
        .map(|t| fmt_local(i18n, t))
        .unwrap_or_else(|| s.to_string())
}

/// A signal with "now", refreshed every `secs` seconds while the page lives.
pub fn ticking_now(secs: u64) -> RwSignal<DateTime<Utc>> {
    let now = RwSignal::new(now_utc());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(now_utc()),
        std::time::Duration::from_secs(secs),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// "2 d 5 h", "3 h 20 min", "12 min" for a number of working minutes.
pub fn fmt_minutes(i18n: I18n, minutes: i64) -> String {
    let m = minutes.abs();
    let (d, h, mm) = (m / 1440, (m % 1440) / 60, m % 60);
    let dl = t_string!(i18n, ticket.unit_days);
    if d > 0 {
        format!("{d} {dl} {h} h")
    } else if h > 0 {
        format!("{h} h {mm} min")
    } else {
        format!("{mm} min")
    }
}

// ---------------------------------------------------------------- calendar

thread_local! {
    static CALENDAR: RefCell<Option<BusinessCalendar>> = const { RefCell::new(None) };
}

fn minutes_of(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
}

/// The office calendar built from the public endpoints (`/api/calendar/status`
/// for hours, offset and clock; `/api/calendar/holidays` for this year and the
/// next, so admin-added and admin-removed dates count too). Loaded once per
/// app session; `None` until it arrives (or if it cannot be loaded).
pub fn use_calendar() -> RwSignal<Option<BusinessCalendar>> {
    let cal = RwSignal::new(CALENDAR.with(|c| c.borrow().clone()));
    if cal.get_untracked().is_none() {
        spawn_local(async move {
            let year = now_utc().year();
            // The three requests go out together (one round trip, not three).
            let (status, this_year, next_year) = futures::future::join3(
                api::calendar_status(),
                api::holiday_year(Some(year)),
                api::holiday_year(Some(year + 1)),
            )
            .await;
            let Ok(status) = status else {
                return;
            };
            let mut settings = CalendarSettings {
                offset_minutes: status.offset_minutes,
                open_minute: minutes_of(&status.opens).unwrap_or(540),
                close_minute: minutes_of(&status.closes).unwrap_or(1080),
                clock: status.clock,
                added: BTreeMap::new(),
                removed: BTreeSet::new(),
            };
            for (y, list) in [(year, this_year), (year + 1, next_year)] {
                let Ok(list) = list else {
                    continue;
                };
                let listed: BTreeSet<NaiveDate> =
                    list.holidays.iter().filter_map(|h| ymd(&h.date)).collect();
                for h in domain::holidays::statutory(y) {
                    if !listed.contains(&h.date) {
                        settings.removed.insert(h.date);
                    }
                }
                for h in list
                    .holidays
                    .iter()
                    .filter(|h| h.kind == domain::holidays::HolidayKind::Added)
                {
                    if let Some(d) = ymd(&h.date) {
                        settings.added.insert(d, h.name.clone());
                    }
                }
            }
            let built = BusinessCalendar::new(settings);
            CALENDAR.with(|c| *c.borrow_mut() = Some(built.clone()));
            cal.set(Some(built));
        });
    }
    cal
}

/// Working minutes from `now` to `due` (negative once past due).
pub fn remaining_minutes(cal: &BusinessCalendar, now: DateTime<Utc>, due: DateTime<Utc>) -> i64 {
    if due >= now {
        cal.working_minutes_between(now, due)
    } else {
        -cal.working_minutes_between(due, now)
    }
}

/// Colour class of a running SLA timer by the share of the target left.
pub fn timer_class(remaining: i64, target_hours: i64) -> &'static str {
    let target = (target_hours * 60).max(1);
    if remaining < 0 {
        "sla-breached"
    } else if remaining * 4 < target {
        "sla-danger"
    } else if remaining * 2 < target {
        "sla-warn"
    } else {
        "sla-ok"
    }
}

/// The due time / pause / breach line of a ticket, live (`now` ticks).
#[component]
pub fn SlaTimer(
    ticket: TicketSummary,
    now: RwSignal<DateTime<Utc>>,
    cal: RwSignal<Option<BusinessCalendar>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let due = ticket.due_at.clone();
    let paused = ticket.paused.clone();
    let target = ticket.target_hours;
    let open = ticket.status.is_open();
    move || {
        if let Some(p) = &paused {
            let since = fmt_time(i18n, &p.since);
            return view! {
                <span class="sla sla-paused" data-testid="sla-timer" data-sla="paused">
                    {pause_label(i18n, p.reason)} " · " {t_string!(i18n, ticket.since)} " " {since}
                </span>
            }
            .into_any();
        }
        let Some(d) = due.as_deref().filter(|_| open) else {
            return view! { <span class="sla sla-none" data-testid="sla-timer" data-sla="none">"—"</span> }
                .into_any();
        };
        let when = fmt_time(i18n, d);
        let left = parse_time(d)
            .zip(cal.get())
            .map(|(due, cal)| remaining_minutes(&cal, now.get(), due.with_timezone(&Utc)));
        let class = left.map(|l| timer_class(l, target)).unwrap_or("sla-ok");
        let left_text = left.map(|l| {
            if l < 0 {
                format!(
                    " · {} {}",
                    t_string!(i18n, ticket.overdue_by),
                    fmt_minutes(i18n, l)
                )
            } else {
                format!(
                    " · {} {}",
                    t_string!(i18n, ticket.left),
                    fmt_minutes(i18n, l)
                )
            }
        });
        view! {
            <span class=format!("sla sla-due {class}") data-testid="sla-timer" data-sla=class>
                <time datetime=d.to_string()>{when}</time>
                {left_text}
            </span>
        }
        .into_any()
    }
}

// ---------------------------------------------------------------- screenshots

/// A screenshot chosen in the browser, already checked by its first bytes.
#[derive(Clone)]
pub struct Picked {
    pub key: u32,
    pub name: String,
    pub size: f64,
    pub file: SendWrapper<web_sys::File>,
    /// 0.0..=1.0 while uploading.
    pub progress: RwSignal<f64>,
    /// Upload error text (the API's message).
    pub error: RwSignal<Option<String>>,
}

thread_local! {
    static NEXT_KEY: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// Why a file was refused in the browser (nothing of it is uploaded).
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    pub name: String,
    pub why: &'static str,
}

async fn first_bytes(file: &web_sys::File) -> Vec<u8> {
    let Ok(slice) = file.slice_with_i32_and_i32(0, 16) else {
        return Vec::new();
    };
    match wasm_bindgen_futures::JsFuture::from(slice.array_buffer()).await {
        Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
        Err(_) => Vec::new(),
    }
}

/// Checks and adds `files` to `list`: PNG/JPEG by content, not empty, at most
/// 10 MB each and 5 in all (the same limits as the API, from `domain`). The checking and
/// the list of picked files are in the `attach` chunk, downloaded with the first file
/// (issue 14); if it cannot be downloaded, the files are refused with the "could not be
/// loaded" message and can be picked again.
pub fn add_files(
    i18n: I18n,
    files: Vec<web_sys::File>,
    list: RwSignal<Vec<Picked>>,
    rejected: RwSignal<Vec<Rejected>>,
) {
    if files.is_empty() {
        return;
    }
    let names: Vec<String> = files.iter().map(|f| f.name()).collect();
    let files = SendWrapper::new(files);
    spawn_local(async move {
        if attach::check(i18n, files, list, rejected).await.is_err() {
            let why = t_string!(i18n, errors.chunk_title);
            rejected.set(
                names
                    .into_iter()
                    .map(|name| Rejected { name, why })
                    .collect(),
            );
        }
    });
}

/// The `attach` chunk: what only a reader who picked a file needs.
mod attach {
    use super::*;

    crate::split_fn!(attach: pub(super) fn check(
        i18n: I18n,
        files: SendWrapper<Vec<web_sys::File>>,
        list: RwSignal<Vec<Picked>>,
        rejected: RwSignal<Vec<Rejected>>,
    ) -> () {
        check_files(i18n, files, list, rejected)
    });

    crate::split_part!(attach: pub(super) fn picked_list(list: RwSignal<Vec<Picked>>, disabled: Signal<bool>) {
        let i18n = use_i18n();
        let remove = move |key: u32| list.update(|l| l.retain(|p| p.key != key));
        view! {
            <For each=move || list.get() key=|p| p.key let:p>
                <li class="file-item" data-testid="file-item">
                    <span class="file-name">{p.name.clone()}</span>
                    <span class="hint">{size_text(p.size)}</span>
                    <progress max="1" value=move || p.progress.get() data-testid="file-progress"></progress>
                    {move || p.error.get().map(|e| view! { <span class="form-error">{e}</span> })}
                    <button
                        type="button"
                        class="btn-link"
                        disabled=move || disabled.get()
                        on:click=move |_| remove(p.key)
                    >
                        {t!(i18n, ticket.files_remove)}
                    </button>
                </li>
            </For>
        }
    });
}

fn check_files(
    i18n: I18n,
    files: SendWrapper<Vec<web_sys::File>>,
    list: RwSignal<Vec<Picked>>,
    rejected: RwSignal<Vec<Rejected>>,
) {
    spawn_local(async move {
        let mut refused = Vec::new();
        for file in files.take() {
            let name = file.name();
            let size = file.size();
            let why = if list.with_untracked(Vec::len) >= ATTACHMENTS_PER_MESSAGE {
                Some(t_string!(i18n, ticket.file_too_many))
            } else if size <= 0.0 {
                Some(t_string!(i18n, ticket.file_empty))
            } else if size > ATTACHMENT_MAX_BYTES as f64 {
                Some(t_string!(i18n, ticket.file_too_big))
            } else if sniff_image(&first_bytes(&file).await).is_none() {
                Some(t_string!(i18n, ticket.file_not_image))
            } else {
                None
            };
            match why {
                Some(why) => refused.push(Rejected { name, why }),
                None => {
                    let key = NEXT_KEY.with(|k| {
                        let v = k.get();
                        k.set(v + 1);
                        v
                    });
                    list.update(|l| {
                        l.push(Picked {
                            key,
                            name,
                            size,
                            file: SendWrapper::new(file),
                            progress: RwSignal::new(0.0),
                            error: RwSignal::new(None),
                        })
                    });
                }
            }
        }
        rejected.set(refused);
    });
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// Files of a paste event (screenshots copied to the clipboard).
pub fn pasted_files(ev: &web_sys::ClipboardEvent) -> Vec<web_sys::File> {
    file_list(ev.clipboard_data().and_then(|d| d.files()))
}

fn size_text(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / 1024.0 / 1024.0)
    } else {
        format!("{} KB", (bytes / 1024.0).ceil())
    }
}

/// Drop zone + "choose" + "take a photo" (phones) + the list with progress bars.
/// Pasting an image anywhere in the surrounding form is wired by the caller with
/// [`pasted_files`].
#[component]
pub fn AttachmentPicker(
    list: RwSignal<Vec<Picked>>,
    rejected: RwSignal<Vec<Rejected>>,
    #[prop(optional)] disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let over = RwSignal::new(false);
    let disabled = move || disabled.map(|d| d.get()).unwrap_or(false);
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            add_files(i18n, file_list(input.files()), list, rejected);
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if !disabled() {
            add_files(
                i18n,
                file_list(ev.data_transfer().and_then(|d| d.files())),
                list,
                rejected,
            );
        }
    };
    let picked = Memo::new(move |_| !list.with(Vec::is_empty));
    let locked = Signal::derive(disabled);
    view! {
        <div
            class="dropzone"
            class:is-over=move || over.get()
            data-testid="dropzone"
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            <p class="hint">{t!(i18n, ticket.files_hint)}</p>
            <div class="actions">
                <label class="btn btn-secondary file-btn">
                    {t!(i18n, ticket.files_choose)}
                    <input
                        type="file"
                        class="visually-hidden"
                        accept="image/png,image/jpeg"
                        multiple
                        data-testid="file-input"
                        disabled=disabled
                        on:change=on_change
                    />
                </label>
                <label class="btn btn-secondary file-btn camera-only">
                    {t!(i18n, ticket.files_camera)}
                    <input
                        type="file"
                        class="visually-hidden"
                        accept="image/png,image/jpeg"
                        capture="environment"
                        disabled=disabled
                        on:change=on_change
                    />
                </label>
            </div>
        </div>
        <ul class="file-list" data-testid="file-list">
            {move || picked.get().then(|| lazy_part(move || attach::picked_list(list, locked)))}
        </ul>
        {move || {
            let r = rejected.get();
            (!r.is_empty())
                .then(|| {
                    view! {
                        <ul class="form-error file-rejected" role="alert" data-testid="file-rejected">
                            {r
                                .into_iter()
                                .map(|r| view! { <li>{r.name} ": " {r.why}</li> })
                                .collect::<Vec<_>>()}
                        </ul>
                    }
                })
        }}
    }
}

/// Uploads every picked file to `ticket_id` (attached to `message_id`), one
/// after the other with progress; returns how many failed.
pub async fn upload_all(
    ticket_id: String,
    message_id: Option<String>,
    files: Vec<Picked>,
) -> usize {
    let mut failed = 0;
    for p in files {
        let progress = p.progress;
        let result = api::upload_attachment(&ticket_id, message_id.as_deref(), &p.file, move |f| {
            progress.set(f)
        })
        .await;
        match result {
            Ok(_) => progress.set(1.0),
            Err(e) => {
                failed += 1;
                p.error.set(Some(e.message));
            }
        }
    }
    failed
}

// ---------------------------------------------------------------- submitter data

/// A random key (Idempotency-Key, KB deflection session).
pub fn random_key() -> String {
    window()
        .crypto()
        .map(|c| c.random_uuid())
        .unwrap_or_else(|_| format!("k{}", (js_sys::Math::random() * 1e16) as u64))
}

fn browser_and_os(ua: &str) -> (String, String) {
    let pick = |list: &[(&str, &str)]| {
        list.iter()
            .find(|(needle, _)| ua.contains(needle))
            .map(|(_, name)| name.to_string())
            .unwrap_or_default()
    };
    let browser = pick(&[
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]);
    let os = pick(&[
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]);
    let version = |name: &str| {
        let tag = match name {
            "Edge" => "Edg/",
            "Opera" => "OPR/",
            "Firefox" => "Firefox/",
            "Chrome" | "Chromium" => "Chrome/",
            "Safari" => "Version/",
            _ => return String::new(),
        };
        ua.split(tag)
            .nth(1)
            .and_then(|v| v.split(['.', ' ']).next())
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    };
    let v = version(&browser);
    (format!("{browser}{v}"), os)
}

/// Browser, OS, language, time zone, screen size and app version (P13); the
/// Worker adds the IP and the raw User-Agent.
pub fn client_info() -> domain::api::ClientInfo {
    let w = window();
    let nav = w.navigator();
    let ua = nav.user_agent().unwrap_or_default();
    let (browser, os) = browser_and_os(&ua);
    let tz = js_sys::Reflect::get(
        &js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
            .resolved_options(),
        &"timeZone".into(),
    )
    .ok()
    .and_then(|v| v.as_string());
    let screen = w.screen().ok().and_then(|s| {
        Some(format!(
            "{}x{} @{}x",
            s.width().ok()?,
            s.height().ok()?,
            w.device_pixel_ratio()
        ))
    });
    let some = |s: String| (!s.is_empty()).then_some(s);
    domain::api::ClientInfo {
        browser: some(browser),
        os: some(os),
        language: nav.language(),
        time_zone: tz,
        screen,
        app_version: Some(env!("CARGO_PKG_VERSION").to_string()),
        ip: None,
        user_agent: None,
    }
}

/// The error text to show for a failed call: the API's message, or ours when
/// the server could not be reached.
pub fn error_text(i18n: I18n, e: &api::ApiError) -> String {
    if e.is_network() || e.message.trim().is_empty() || e.status >= 500 {
        t_string!(i18n, ticket.error_generic).to_string()
    } else {
        e.text(is_en(i18n))
    }
}

/// P27: the warning shown before a message with rude or threatening words is sent
/// (`terms` from `domain::respect::offensive_terms`; empty = nothing shown).
#[component]
pub fn RespectWarning(terms: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = terms.get();
        (!t.is_empty()).then(|| {
            let quoted = t
                .iter()
                .map(|w| format!("«{w}»"))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <div class="notice notice-warn" role="alert" data-testid="respect-warning">
                    <p><strong>{t!(i18n, ticket.respect_title)}</strong></p>
                    <p>{t!(i18n, ticket.respect_text)} " " <span data-testid="respect-terms">{quoted}</span></p>
                </div>
            }
        })
    }
}
