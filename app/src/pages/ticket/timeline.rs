//! Messages and events in time order; staff flag abusive client messages (P27).
use domain::api::{EventView, MessageView, TicketDetail};
use domain::validation::Lang;
use leptos::prelude::*;

use super::{Ctl, Request};
use crate::components::tickets::{fmt_time, is_en, status_label};
use crate::i18n::*;
use crate::I18n;

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
pub(super) fn Timeline(d: TicketDetail, staff: bool, ctl: Ctl) -> impl IntoView {
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
                            <button type="button" class="btn-link" data-testid="flag" on:click=move |_| ctl.run(Request::Flag { id: tid.clone(), message_id: mid.clone() })>
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
