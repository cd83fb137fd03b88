//! `/tickets/{id}` — one ticket, for its client and for staff (role-aware).
//!
//! Timeline of public messages (plus internal notes for staff) and events;
//! due time or pause reason (P7, P9); reply with screenshots; the client
//! confirms the solution or reopens inside the warranty window (P16–P18);
//! staff reply, add notes, send the two P17 messages, pause on a third party
//! or a release, resolve, close, close as out of scope (P10), merge (P12) and
//! flag abusive client messages (P27).
use chrono::{Duration, Utc};
use domain::api::{EventView, MessageView, PostMessageRequest, TicketDetail};
use domain::ticket::commands::Command;
use domain::ticket::Status;
use domain::validation::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::page::set_title;
use crate::components::tickets::{
    add_files, category_label, error_text, fmt_local, fmt_time, is_en, parse_time, pasted_files,
    status_label, ticking_now, upload_all, use_calendar, AttachmentPicker, Picked, PriorityBadge,
    Rejected, RespectWarning, SlaTimer, StatusBadge,
};
use crate::i18n::*;
use crate::session::use_session;
use crate::I18n;
use domain::respect::offensive_terms;

/// Everything a view of the ticket needs to act on it.
#[derive(Clone, Copy)]
struct Ctl {
    detail: RwSignal<Option<Result<TicketDetail, ApiError>>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    notice: RwSignal<Option<&'static str>>,
}

impl Ctl {
    /// Runs an action that answers with the updated ticket.
    fn run<F>(self, i18n: I18n, fut: F)
    where
        F: std::future::Future<Output = Result<TicketDetail, ApiError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        self.notice.set(None);
        spawn_local(async move {
            match fut.await {
                Ok(d) => self.detail.set(Some(Ok(d))),
                Err(e) => self.error.set(Some(error_text(i18n, &e))),
            }
            self.busy.set(false);
        });
    }
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let session = use_session();
    let staff = move || session.role().is_some_and(|r| r.is_staff());
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let ctl = Ctl {
        detail: RwSignal::new(None),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    Effect::new(move |_| {
        let id = id.get();
        spawn_local(async move { ctl.detail.set(Some(api::ticket(id).await)) });
    });
    set_title(move || t_string!(i18n, ticket.title));

    // Composer state lives here so that re-rendering the ticket keeps it.
    let body = RwSignal::new(String::new());
    let kind = RwSignal::new("reply");
    let files = RwSignal::new(Vec::<Picked>::new());
    let rejected = RwSignal::new(Vec::<Rejected>::new());
    let reason = RwSignal::new(String::new());
    let now = ticking_now(30);
    let cal = use_calendar();

    view! {
        <section class="page wide ticket-page">
            <p><A href=move || if staff() { "/cola".to_string() } else { "/mis-tickets".to_string() }>{move || if staff() { t_string!(i18n, ticket.back_queue) } else { t_string!(i18n, ticket.back_mine) }}</A></p>
            {move || ctl.error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="ticket-error">{e}</p> })}
            {move || ctl.notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {move || match ctl.detail.get() {
                None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                Some(Err(e)) if e.status == 404 => view! {
                    <div data-error="404"><h1>{t!(i18n, ticket.not_found)}</h1></div>
                }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(d)) => {
                    let staff = staff();
                    view! {
                        <Header d=d.clone() staff now cal />
                        <ClientActions d=d.clone() staff ctl />
                        <div class="ticket-layout">
                            <div class="ticket-main">
                                <Timeline d=d.clone() staff ctl />
                                <Composer d=d.clone() staff ctl body kind files rejected />
                            </div>
                            {staff.then(|| view! { <StaffPanel d=d.clone() ctl reason /> })}
                            {(staff && d.sla.breach_recordable).then(|| view! { <BreachReasonForm d=d.clone() ctl /> })}
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

fn day_before(i18n: I18n, exclusive: &str) -> String {
    parse_time(exclusive)
        .map(|t| {
            let s = fmt_local(i18n, t - Duration::seconds(1));
            s.rsplit_once(' ').map(|(d, _)| d.to_string()).unwrap_or(s)
        })
        .unwrap_or_default()
}

#[component]
fn Header(
    d: TicketDetail,
    staff: bool,
    now: RwSignal<chrono::DateTime<Utc>>,
    cal: RwSignal<Option<domain::calendar::BusinessCalendar>>,
) -> impl IntoView {
    let i18n = use_i18n();
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

/// Confirm the solution, reopen inside the warranty window, or — after it —
/// open a new ticket linked to this one (P16, P18).
#[component]
fn ClientActions(d: TicketDetail, staff: bool, ctl: Ctl) -> impl IntoView {
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
                    on:click=move |_| ctl.run(i18n, api::ticket_action(id.clone(), "close"))>
                    {t!(i18n, ticket.confirm_close)}
                </button>
            })}
            {if can_reopen {
                let until = until.clone();
                view! {
                    <p data-testid="reopen-until">{t!(i18n, ticket.reopen_until, date = move || until.clone())}</p>
                    <button type="button" class="btn btn-secondary" data-testid="reopen" disabled=move || ctl.busy.get()
                        on:click=move |_| ctl.run(i18n, api::ticket_action(id2.clone(), "reopen"))>
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

enum Entry {
    Msg(MessageView),
    Ev(EventView),
}

impl Entry {
    fn at(&self) -> &str {
        match self {
            Entry::Msg(m) => &m.created_at,
            Entry::Ev(e) => &e.created_at,
        }
    }
}

fn who(i18n: I18n, e: &EventView) -> String {
    e.actor
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| t_string!(i18n, ticket.system).to_string())
}

/// System messages carry both languages (`workflow::bilingual`); the page shows the
/// reader's half.
fn system_text(i18n: I18n, body: &str) -> String {
    let lang = if is_en(i18n) { Lang::En } else { Lang::Es };
    domain::workflow::in_language(body, lang).to_string()
}

/// A status or out-of-scope reason: the codes the server writes get their label; what an
/// agent typed is shown as typed.
fn reason_text(i18n: I18n, reason: &str) -> String {
    let code = reason.strip_prefix("out_of_scope:").unwrap_or(reason);
    match code {
        "duplicate" => t_string!(i18n, ticket.reason_duplicate),
        "development" => t_string!(i18n, ticket.oos_development),
        "training" => t_string!(i18n, ticket.oos_training),
        "third_party" => t_string!(i18n, ticket.oos_third_party),
        "consulting" => t_string!(i18n, ticket.oos_consulting),
        _ => return reason.to_string(),
    }
    .to_string()
}

/// "<who> <verb> <object>" without interpolated strings (smaller WASM).
fn event_text(i18n: I18n, e: &EventView) -> Option<(String, &'static str, String)> {
    let actor = who(i18n, e);
    let d = &e.data;
    let (verb, object) = match e.kind.as_str() {
        "created" => (t_string!(i18n, ticket.ev_created), String::new()),
        "status" => {
            let mut o = format!("«{}»", status_label(i18n, d.to?));
            if let Some(r) = d.reason.as_deref().filter(|r| !r.is_empty()) {
                o.push_str(" — ");
                o.push_str(&reason_text(i18n, r));
            }
            (t_string!(i18n, ticket.ev_status), o)
        }
        "assigned" => match &d.assignee {
            Some(a) => (t_string!(i18n, ticket.ev_assigned), a.name.clone()),
            None => (t_string!(i18n, ticket.ev_unassigned), String::new()),
        },
        "merged_into" => (
            t_string!(i18n, ticket.ev_merged_into),
            d.ticket.as_ref()?.number.clone(),
        ),
        "merged_from" => (
            t_string!(i18n, ticket.ev_merged_from),
            d.ticket.as_ref()?.number.clone(),
        ),
        "message_flagged" => (t_string!(i18n, ticket.ev_flagged), String::new()),
        "warranty_ended" => (t_string!(i18n, ticket.ev_warranty_ended), String::new()),
        "breach_reason" => (
            t_string!(i18n, ticket.ev_breach_reason),
            d.reason
                .as_deref()
                .and_then(domain::sla::breach::BreachReason::parse)
                .map(|r| {
                    r.label(if is_en(i18n) { Lang::En } else { Lang::Es })
                        .to_string()
                })
                .unwrap_or_default(),
        ),
        "out_of_scope" => (
            t_string!(i18n, ticket.ev_out_of_scope),
            reason_text(i18n, d.reason.as_deref().unwrap_or_default()),
        ),
        _ => return None,
    };
    Some((actor, verb, object))
}

fn kind_tag(i18n: I18n, kind: &str) -> Option<&'static str> {
    match kind {
        "note" => Some(t_string!(i18n, ticket.tag_note)),
        "awaiting_client" => Some(t_string!(i18n, ticket.tag_awaiting)),
        "resolved_confirm" => Some(t_string!(i18n, ticket.tag_resolved)),
        "system" => Some(t_string!(i18n, ticket.system)),
        _ => None,
    }
}

#[component]
fn Timeline(d: TicketDetail, staff: bool, ctl: Ctl) -> impl IntoView {
    let i18n = use_i18n();
    let tid = d.summary.id.clone();
    let mut entries: Vec<Entry> = d.messages.into_iter().map(Entry::Msg).collect();
    entries.extend(d.events.into_iter().map(Entry::Ev));
    // Same office offset everywhere, so the strings sort by time; messages
    // before the events they caused.
    entries.sort_by(|a, b| {
        a.at()
            .cmp(b.at())
            .then((matches!(a, Entry::Ev(_))).cmp(&matches!(b, Entry::Ev(_))))
    });
    let items = entries
        .into_iter()
        .filter_map(|e| match e {
            Entry::Ev(ev) => {
                let (actor, verb, object) = event_text(i18n, &ev)?;
                Some(view! {
                    <li class="event" data-testid="event" data-kind=ev.kind.clone()>
                        <span><strong>{actor}</strong> " " {verb} " " {object}</span> " · " <time class="hint">{fmt_time(i18n, &ev.created_at)}</time>
                    </li>
                }.into_any())
            }
            Entry::Msg(m) => {
                let author = m.author.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| t_string!(i18n, ticket.system).to_string());
                let tag = kind_tag(i18n, &m.kind);
                let can_flag = staff && m.kind == "client" && !m.flagged;
                let (tid, mid) = (tid.clone(), m.id.clone());
                let atts = m.attachments.iter().map(|a| view! {
                    <a href=a.url.clone() target="_blank" rel="noopener" class="thumb" data-testid="attachment">
                        <img src=a.url.clone() alt=a.name.clone() loading="lazy" />
                    </a>
                }).collect::<Vec<_>>();
                Some(view! {
                    <li class=format!("msg msg-{}", m.kind) class:is-note=m.internal data-testid="message" data-kind=m.kind.clone() data-id=m.id.clone()>
                        <p class="msg-head">
                            <strong>{author}</strong>
                            {tag.map(|t| view! { " " <span class="tag">{t}</span> })}
                            " · " <time class="hint">{fmt_time(i18n, &m.created_at)}</time>
                        </p>
                        {m.flagged.then(|| view! { <p class="form-error" data-testid="flagged">{t!(i18n, ticket.flagged)}</p> })}
                        <p class="msg-body">{if m.kind == "system" { system_text(i18n, &m.body) } else { m.body.clone() }}</p>
                        {(!atts.is_empty()).then(|| view! { <div class="thumbs">{atts}</div> })}
                        {can_flag.then(|| view! {
                            <button type="button" class="btn-link" data-testid="flag" on:click=move |_| ctl.run(i18n, api::flag_message(tid.clone(), mid.clone()))>
                                {t!(i18n, ticket.flag)}
                            </button>
                        })}
                    </li>
                }.into_any())
            }
        })
        .collect::<Vec<_>>();
    view! {
        <h2>{t!(i18n, ticket.timeline)}</h2>
        <ol class="timeline" data-testid="timeline">{items}</ol>
    }
}

#[component]
fn Composer(
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
        let id = id.clone();
        ctl.busy.set(true);
        ctl.error.set(None);
        spawn_local(async move {
            match api::post_message(id.clone(), req).await {
                Ok(m) => {
                    let picked = files.get_untracked();
                    let failed = if picked.is_empty() {
                        0
                    } else {
                        upload_all(id.clone(), Some(m.id), picked).await
                    };
                    if failed == 0 {
                        files.set(Vec::new());
                    }
                    body.set(String::new());
                    kind.set("reply");
                    ctl.detail.set(Some(api::ticket(id).await));
                    ctl.notice.set(Some(t_string!(i18n, ticket.sent)));
                }
                Err(e) => ctl.error.set(Some(error_text(i18n, &e))),
            }
            ctl.busy.set(false);
        });
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

#[component]
fn StaffPanel(d: TicketDetail, ctl: Ctl, reason: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary;
    let id = StoredValue::new(s.id.clone());
    // Exactly the commands the server allows now (`domain::ticket::commands`).
    let can = {
        let actions = d.actions.clone();
        move |c: Command| actions.contains(&c)
    };
    let open = [
        Command::WaitThirdParty,
        Command::WaitRelease,
        Command::Resume,
        Command::Resolve,
    ]
    .into_iter()
    .any(&can);
    let merge_into = RwSignal::new(String::new());
    let oos = RwSignal::new("development".to_string());
    let current_assignee = s
        .assignee
        .as_ref()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let assign_to = RwSignal::new(String::new());
    let staff = LocalResource::new(api::staff);

    let set_status = move |to: &'static str| {
        let r = reason.get_untracked();
        let r = (!r.trim().is_empty()).then_some(r);
        ctl.run(i18n, api::set_status(id.get_value(), to, r));
        reason.set(String::new());
    };
    let button = move |label: fn(I18n) -> &'static str, testid: &'static str, to: &'static str| {
        view! {
            <button type="button" class="btn btn-secondary btn-small" data-testid=testid disabled=move || ctl.busy.get() on:click=move |_| set_status(to)>
                {move || label(i18n)}
            </button>
        }
    };
    let info = d.client_info.map(|c| {
        let row = |label: &'static str, v: Option<String>| {
            v.map(|v| view! { <div><dt>{label}</dt><dd>{v}</dd></div> })
        };
        view! {
            <details class="card" data-testid="client-info">
                <summary>{t!(i18n, ticket.client_info)}</summary>
                <dl class="facts-inline">
                    {row("Browser", c.browser)}
                    {row("OS", c.os)}
                    {row("Lang", c.language)}
                    {row("TZ", c.time_zone)}
                    {row("Screen", c.screen)}
                    {row("App", c.app_version)}
                    {row("IP", c.ip)}
                    {row("UA", c.user_agent)}
                </dl>
            </details>
        }
    });

    view! {
        <aside class="staff-panel" data-testid="staff-actions">
            <h2>{t!(i18n, ticket.actions)}</h2>
            {can(Command::Take).then(|| view! {
                <button type="button" class="btn" data-testid="take" disabled=move || ctl.busy.get()
                    on:click=move |_| ctl.run(i18n, api::ticket_action(id.get_value(), "assign"))>
                    {t!(i18n, queue.take)}
                </button>
            })}
            {can(Command::Assign).then(|| view! {
                <div class="field">
                    <label for="assign-to">{t!(i18n, ticket.assign_to)}</label>
                    <select id="assign-to" data-testid="assign-to" on:change=move |ev| assign_to.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || staff.get().and_then(Result::ok).unwrap_or_default().into_iter()
                            .filter(|u| u.id != current_assignee)
                            .map(|u| view! { <option value=u.id.clone()>{u.name}</option> })
                            .collect::<Vec<_>>()}
                    </select>
                    <button type="button" class="btn btn-secondary btn-small" data-testid="assign"
                        disabled=move || ctl.busy.get() || assign_to.with(String::is_empty)
                        on:click=move |_| ctl.run(i18n, api::assign_to(id.get_value(), assign_to.get_untracked()))>
                        {t!(i18n, ticket.assign_do)}
                    </button>
                </div>
            })}
            {open.then(|| view! {
                <div class="field">
                    <label for="reason">{t!(i18n, ticket.reason)}</label>
                    <input id="reason" type="text" data-testid="status-reason" bind:value=reason />
                </div>
                <div class="actions">
                    {can(Command::WaitThirdParty).then(|| button(|i| t_string!(i, ticket.a_third_party), "wait-third-party", "waiting_third_party"))}
                    {can(Command::WaitRelease).then(|| button(|i| t_string!(i, ticket.a_release), "wait-release", "waiting_release"))}
                    {can(Command::Resume).then(|| button(|i| t_string!(i, ticket.a_resume), "resume", "open"))}
                    {can(Command::Resolve).then(|| button(|i| t_string!(i, ticket.a_resolve), "resolve", "resolved"))}
                </div>
            })}
            {can(Command::Close).then(|| view! {
                <div class="actions">{button(|i| t_string!(i, ticket.a_close), "close", "closed")}</div>
                <div class="field">
                    <label for="oos">{t!(i18n, ticket.oos)}</label>
                    <select id="oos" data-testid="oos-reason" on:change=move |ev| oos.set(event_target_value(&ev))>
                        <option value="development">{t!(i18n, ticket.oos_development)}</option>
                        <option value="training">{t!(i18n, ticket.oos_training)}</option>
                        <option value="third_party">{t!(i18n, ticket.oos_third_party)}</option>
                        <option value="consulting">{t!(i18n, ticket.oos_consulting)}</option>
                    </select>
                    <button type="button" class="btn btn-secondary btn-small" data-testid="oos-close" disabled=move || ctl.busy.get()
                        on:click=move |_| ctl.run(i18n, api::out_of_scope(id.get_value(), oos.get_untracked()))>
                        {t!(i18n, ticket.oos_close)}
                    </button>
                </div>
                <div class="field">
                    <label for="merge">{t!(i18n, ticket.merge)}</label>
                    <input id="merge" type="text" placeholder="T-2026-000001" data-testid="merge-into" bind:value=merge_into />
                    <button type="button" class="btn btn-secondary btn-small" data-testid="merge" disabled=move || ctl.busy.get() || merge_into.with(|m| m.trim().is_empty())
                        on:click=move |_| ctl.run(i18n, api::merge(id.get_value(), merge_into.get_untracked().trim().to_string()))>
                        {t!(i18n, ticket.merge_do)}
                    </button>
                </div>
            })}
            {can(Command::Reopen).then(|| button(|i| t_string!(i, ticket.a_reopen), "staff-reopen", "open"))}
            {info}
        </aside>
    }
}

/// Staff record why a breached target was missed (P9): a reason from the fixed list and
/// optional free text (required for "other").
#[component]
fn BreachReasonForm(d: TicketDetail, ctl: Ctl) -> impl IntoView {
    use domain::sla::breach::BreachReason;
    let i18n = use_i18n();
    let lang = move || if is_en(i18n) { Lang::En } else { Lang::Es };
    let current = d.sla.breach_reason.clone();
    let reason = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.reason.as_str().to_string())
            .unwrap_or_else(|| BreachReason::TeamWorkload.as_str().to_string()),
    );
    let note = RwSignal::new(
        current
            .as_ref()
            .and_then(|c| c.note.clone())
            .unwrap_or_default(),
    );
    let id = d.summary.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = note.get_untracked();
        let body = domain::api::BreachReasonRequest {
            reason: reason.get_untracked(),
            note: (!n.trim().is_empty()).then_some(n),
        };
        ctl.run(i18n, api::breach_reason(id.clone(), body));
    };
    let shown = current.map(|c| {
        let label = if is_en(i18n) { c.label.en } else { c.label.es };
        view! {
            <p data-testid="breach-current">
                {t!(i18n, ticket.breach_current)} " " <strong>{label}</strong>
                {c.note.map(|n| view! { " — " {n} })}
            </p>
        }
    });
    view! {
        <aside class="card breach-reason" data-testid="breach-reason">
            <h2>{t!(i18n, ticket.breach_title)}</h2>
            {shown}
            <form on:submit=submit>
                <div class="field">
                    <label for="breach-reason">{t!(i18n, ticket.breach_reason)}</label>
                    <select id="breach-reason" data-testid="breach-select" prop:value=move || reason.get()
                        on:change=move |ev| reason.set(event_target_value(&ev))>
                        {move || BreachReason::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str()>{r.label(lang())}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </div>
                <div class="field">
                    <label for="breach-note">{t!(i18n, ticket.breach_note)}</label>
                    <textarea id="breach-note" data-testid="breach-note" maxlength="500" rows="2"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="btn btn-secondary" data-testid="breach-save" disabled=move || ctl.busy.get()>
                    {t!(i18n, ticket.breach_save)}
                </button>
            </form>
        </aside>
    }
}
