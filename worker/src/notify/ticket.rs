//! Ticket notices for the handlers' write batches: creation confirmation, public staff
//! replies (to the client), client messages (to the assignee). Internal notes and system
//! messages notify nobody.
use chrono::{DateTime, Utc};
use domain::calendar::BusinessCalendar;
use domain::notify::{render, Facts, Kind};
use domain::ticket::plan::{NewMessage, Notice as PlannedNotice};
use domain::validation::Lang;
use worker::{D1Database, D1PreparedStatement};

use crate::error::ApiResult;
use crate::repo::notices::{fan_out, Notice, Recipients};
use crate::util::db_time;

/// The ticket as a notice needs it.
#[derive(Clone, Copy)]
pub struct TicketFacts<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub subject: &'a str,
    pub company: &'a str,
    pub requester_id: &'a str,
}

/// `due` in office time, readable: `2026-12-04 17:00 (-06:00)`.
pub fn office(cal: &BusinessCalendar, t: DateTime<Utc>) -> String {
    cal.to_local(t).format("%Y-%m-%d %H:%M (%:z)").to_string()
}

pub fn link(origin: &str, ticket_id: &str) -> String {
    format!("{origin}/tickets/{ticket_id}")
}

/// Both languages of one notice, and its statements for `to`.
#[allow(clippy::too_many_arguments)]
pub fn statements(
    db: &D1Database,
    kind: Kind,
    facts: &Facts,
    dedupe_key: &str,
    ticket_id: Option<&str>,
    to: &Recipients<'_>,
    guard: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let es = render(kind, facts, Lang::Es);
    let en = render(kind, facts, Lang::En);
    let now_s = db_time(now);
    let path = ticket_id.map(|t| format!("/tickets/{t}"));
    fan_out(
        db,
        &Notice {
            kind: kind.as_str(),
            dedupe_key,
            mandatory: kind.mandatory(),
            ticket_id,
            link: path.as_deref(),
            subject: [&es.subject, &en.subject],
            body: [&es.body, &en.body],
            text: [&es.text, &en.text],
            html: [&es.html, &en.html],
            now: &now_s,
        },
        to,
        guard,
    )
}

fn facts(t: &TicketFacts<'_>, origin: &str) -> Facts {
    Facts {
        company: t.company.to_string(),
        number: t.number.to_string(),
        subject: t.subject.to_string(),
        link: link(origin, t.id),
        ..Default::default()
    }
}

/// The creation confirmation (target and due time in office time) for the requester.
pub fn created(
    db: &D1Database,
    cal: &BusinessCalendar,
    origin: &str,
    t: &TicketFacts<'_>,
    target_hours: i64,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let mut f = facts(t, origin);
    f.target_hours = Some(target_hours);
    f.due = due.map(|d| office(cal, d));
    statements(
        db,
        Kind::TicketCreated,
        &f,
        &format!("created:{}", t.id),
        Some(t.id),
        &Recipients {
            user: Some(t.requester_id),
            ..Default::default()
        },
        None,
        now,
    )
}

/// The notices a `domain::ticket::plan` planner decided, as statements of the change's
/// batch. `message_ids[i]` is the id given to `messages[i]`.
#[allow(clippy::too_many_arguments)]
pub fn planned(
    db: &D1Database,
    cal: &BusinessCalendar,
    origin: &str,
    t: &TicketFacts<'_>,
    author_name: &str,
    notices: &[PlannedNotice],
    messages: &[NewMessage],
    message_ids: &[String],
    guard: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let mut out = Vec::new();
    for n in notices {
        match n {
            PlannedNotice::Created {
                to,
                target_hours,
                due,
            } => {
                let facts = TicketFacts {
                    requester_id: to,
                    ..*t
                };
                out.extend(created(db, cal, origin, &facts, *target_hours, *due, now)?);
            }
            PlannedNotice::ConductWarning { to } => {
                out.extend(conduct_warning(db, origin, t, to, guard, now)?);
            }
            PlannedNotice::Message {
                message,
                kind,
                to,
                except,
            } => {
                let mut f = facts(t, origin);
                f.author = Some(author_name.to_string());
                f.excerpt = messages.get(*message).map(|m| m.body.clone());
                let id = message_ids.get(*message).map(String::as_str).unwrap_or("");
                out.extend(statements(
                    db,
                    *kind,
                    &f,
                    &format!("msg:{id}"),
                    Some(t.id),
                    &Recipients {
                        user: Some(to),
                        except: Some(except),
                        ..Default::default()
                    },
                    guard,
                    now,
                )?);
            }
        }
    }
    Ok(out)
}

/// P27: the formal warning to a client after their first flagged message (mandatory:
/// mutes do not apply; stored once per person).
pub fn conduct_warning(
    db: &D1Database,
    origin: &str,
    t: &TicketFacts<'_>,
    client_id: &str,
    guard: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    statements(
        db,
        Kind::ConductWarning,
        &facts(t, origin),
        "conduct_warning",
        Some(t.id),
        &Recipients {
            user: Some(client_id),
            ..Default::default()
        },
        guard,
        now,
    )
}
