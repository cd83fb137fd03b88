//! Read models: a ticket row and its timeline → the typed views of `domain::api`.
use chrono::{DateTime, Utc};
use domain::api::{
    AttachmentView, ClientInfo, EventData, EventView, LocalizedText, MessageView, PausedView, Role,
    ServiceRef, SlaView, TicketDetail, TicketRef, TicketSummary, UserRef,
};
use domain::calendar::BusinessCalendar;
use domain::contract::Coverage;
use domain::sla::{self, PauseReason, Priority, TimelineEvent};
use domain::ticket::commands::{self, Command};
use domain::ticket::messages::MessageKind;
use domain::ticket::plan::{self, EventKind, Plan};
use domain::validation::Lang;
use domain::workflow::{self};
use worker::Response;

use super::super::calendar::{calendar, office_time};
use super::super::Ctx;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::repo::tickets::{self as repo, EventRow, MessageRow, TicketRow};
use crate::util::{db_time, now, parse_db_time};

use super::*;

// ---------------------------------------------------------------------------
// Views

pub(crate) fn text(f: impl Fn(Lang) -> String) -> LocalizedText {
    LocalizedText::new(f(Lang::Es), f(Lang::En))
}

pub(crate) fn t(cal: &BusinessCalendar, stored: &str) -> String {
    parse_db_time(stored)
        .map(|at| office_time(cal, at))
        .unwrap_or_else(|| stored.to_string())
}

pub(crate) fn t_opt(cal: &BusinessCalendar, stored: &Option<String>) -> Option<String> {
    stored.as_deref().map(|s| t(cal, s))
}

pub(crate) fn coverage_of(s: &str) -> ApiResult<Coverage> {
    match s {
        "free" => Ok(Coverage::Free),
        "contract" => Ok(Coverage::Contract),
        "per_event" => Ok(Coverage::PerEvent),
        _ => Err(ApiError::Internal(format!("bad coverage {s}"))),
    }
}

pub(crate) fn paused_view(
    cal: &BusinessCalendar,
    reason: PauseReason,
    since: DateTime<Utc>,
) -> PausedView {
    PausedView {
        reason,
        since: office_time(cal, since),
        label: text(|l| reason.label(l).to_string()),
    }
}

pub(crate) fn summary(
    cal: &BusinessCalendar,
    row: &TicketRow,
    at: DateTime<Utc>,
) -> ApiResult<TicketSummary> {
    let status = status_of(row)?;
    let priority: Priority = row.priority.parse().map_err(internal("priority"))?;
    let paused = match (&row.paused_reason, &row.paused_since) {
        (Some(r), Some(since)) => {
            let reason: PauseReason = r.parse().map_err(internal("paused_reason"))?;
            parse_db_time(since).map(|s| paused_view(cal, reason, s))
        }
        _ => None,
    };
    let due = row.due_at.as_deref().and_then(parse_db_time);
    Ok(TicketSummary {
        id: row.id.clone(),
        number: row.number.clone(),
        subject: row.subject.clone(),
        status,
        status_label: text(|l| status.label(l).to_string()),
        priority,
        category: row.category.parse().map_err(internal("category"))?,
        coverage: coverage_of(&row.coverage)?,
        company: domain::api::CompanyRef {
            id: row.company_id.clone(),
            name: row.company_name.clone(),
        },
        service: ServiceRef {
            id: row.service_id.clone(),
            name: row.service_name.clone(),
            kind: row.service_kind.clone(),
        },
        requester: UserRef {
            id: row.requester_id.clone(),
            name: row.requester_name.clone(),
            role: Some("client".into()),
        },
        assignee: row
            .assignee_id
            .clone()
            .zip(row.assignee_name.clone())
            .map(|(id, name)| UserRef {
                id,
                name,
                role: None,
            }),
        created_at: t(cal, &row.created_at),
        updated_at: t(cal, &row.updated_at),
        due_at: due.map(|d| office_time(cal, d)),
        target_hours: priority.target_hours(),
        breached: sla::is_breached(status.is_open(), paused.is_some(), due, at),
        sla_flag: sla::breach::sla_flag(
            domain::ticket::Status::LINE.contains(&status),
            row.due_at.as_deref(),
            row.sla_risk_for.as_deref(),
            row.sla_breach_for.as_deref(),
        ),
        paused,
        queue_position: row.queue_position,
        auto_close_at: t_opt(cal, &row.auto_close_at),
        reopen_until: t_opt(cal, &row.reopen_until),
        merged_into: row
            .merged_into
            .clone()
            .zip(row.merged_into_number.clone())
            .map(|(id, number)| TicketRef { id, number }),
    })
}

/// The SLA timeline of a ticket: public client messages, public staff replies
/// and the status changes recorded as events.
pub(crate) fn timeline(messages: &[MessageRow], events: &[EventRow]) -> Vec<TimelineEvent> {
    let mut out = Vec::new();
    for m in messages {
        if let Some(e) =
            parse_db_time(&m.created_at).and_then(|at| clock_event(&m.kind, m.internal != 0, at))
        {
            out.push(e);
        }
    }
    for e in events
        .iter()
        .filter(|e| EventKind::parse(&e.kind) == Some(EventKind::Status))
    {
        let data = event_data(e);
        if let (Some(from), Some(to), Some(at)) = (data.from, data.to, parse_db_time(&e.created_at))
        {
            out.extend(workflow::status_timeline(from, to, at));
        }
    }
    out
}

/// What a message of `kind` does to the SLA clock (P7), as a timeline event.
pub(crate) fn clock_event(kind: &str, internal: bool, at: DateTime<Utc>) -> Option<TimelineEvent> {
    plan::clock_event(MessageKind::parse(kind)?, internal, at)
}

/// The due time stored with a ticket: the running target's, none while the clock is paused.
pub(crate) fn due_time(
    cal: &BusinessCalendar,
    priority: Priority,
    timeline: &[TimelineEvent],
    at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    plan::stored_due(cal, priority, timeline, at)
}

/// The last write a timeline shows (for guarded due-time updates).
pub(crate) fn mark_of(t: &repo::Timeline) -> repo::Mark {
    repo::Mark {
        m: t.messages.iter().map(|m| m.seq).max().unwrap_or(0),
        e: t.events.iter().map(|e| e.id).max().unwrap_or(0),
    }
}

pub(crate) fn event_data(e: &EventRow) -> EventData {
    e.data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default()
}

pub(crate) fn attachment_view(cal: &BusinessCalendar, a: &repo::AttachmentRow) -> AttachmentView {
    AttachmentView {
        id: a.id.clone(),
        name: a.name.clone(),
        size: a.size,
        content_type: a.content_type.clone(),
        message_id: a.message_id.clone(),
        created_at: t(cal, &a.created_at),
        url: format!("/api/attachments/{}", a.id),
    }
}

pub(crate) fn message_view(
    cal: &BusinessCalendar,
    m: &MessageRow,
    atts: Vec<AttachmentView>,
) -> MessageView {
    MessageView {
        id: m.id.clone(),
        seq: m.seq,
        kind: m.kind.clone(),
        internal: m.internal != 0,
        body: m.body.clone(),
        author: m
            .author_id
            .clone()
            .zip(m.author_name.clone())
            .map(|(id, name)| UserRef {
                id,
                name,
                role: m.author_role.clone(),
            }),
        created_at: t(cal, &m.created_at),
        flagged: m.flagged != 0,
        attachments: atts,
    }
}

/// The full ticket as the caller may see it, from a row and its timeline. Pure: never
/// writes (the due time shown is the one the timeline gives now).
pub(crate) fn detail(
    cal: &BusinessCalendar,
    caller: &Caller,
    row: &TicketRow,
    parts: repo::Timeline,
    at: DateTime<Utc>,
) -> ApiResult<TicketDetail> {
    let staff = caller.role.is_staff();
    let repo::Timeline {
        messages,
        events,
        attachments,
    } = parts;
    let priority: Priority = row.priority.parse().map_err(internal("priority"))?;
    let state = sla::compute(cal, priority, &timeline(&messages, &events), at);
    let due = if state.paused.is_some() {
        None
    } else {
        state.due_at
    };
    let mut fresh = row.clone();
    fresh.due_at = due.map(db_time);
    let mut summary = summary(cal, &fresh, at)?;
    if let Some((reason, since)) = state.paused {
        summary.paused = Some(paused_view(cal, reason, since));
    }
    summary.breached = state.breached && state.paused.is_none();

    let visible_atts: Vec<&repo::AttachmentRow> = attachments
        .iter()
        .filter(|a| staff || a.internal == 0)
        .collect();
    let messages_out: Vec<MessageView> = messages
        .iter()
        .filter(|m| staff || m.internal == 0)
        .map(|m| {
            let atts = visible_atts
                .iter()
                .filter(|a| a.message_id.as_deref() == Some(&m.id))
                .map(|a| attachment_view(cal, a))
                .collect();
            message_view(cal, m, atts)
        })
        .collect();
    let events_out = events
        .iter()
        .filter(|e| staff || !sla::breach::staff_only_event(&e.kind))
        .map(|e| EventView {
            id: e.id,
            kind: e.kind.clone(),
            actor_kind: e.actor_kind.clone(),
            actor: e
                .actor_id
                .clone()
                .zip(e.actor_name.clone())
                .map(|(id, name)| UserRef {
                    id,
                    name,
                    role: None,
                }),
            data: event_data(e),
            created_at: t(cal, &e.created_at),
        })
        .collect();
    let status = summary.status;
    let actions = commands::allowed_actions(&command_context(caller, row, status, at));
    let can_reopen = caller.role == Role::Client && actions.contains(&Command::Reopen);
    let paused_minutes = |r: PauseReason| state.paused_minutes.get(&r).copied().unwrap_or(0);
    Ok(TicketDetail {
        description: row.description.clone().unwrap_or_default(),
        steps: row.steps.clone(),
        sla: SlaView {
            target_hours: priority.target_hours(),
            due_at: summary.due_at.clone(),
            remaining_minutes: state.remaining_minutes,
            breached: summary.breached,
            missed_targets: state.missed_targets,
            paused_minutes_waiting_client: paused_minutes(PauseReason::WaitingClient),
            paused_minutes_waiting_third_party: paused_minutes(PauseReason::WaitingThirdParty),
            paused_minutes_waiting_release: paused_minutes(PauseReason::WaitingRelease),
            breach_reason: staff.then(|| breach_reason_view(row)).flatten(),
            breach_recordable: staff && row.sla_breach_for.is_some(),
        },
        can_reopen,
        actions,
        linked_to: row
            .linked_to
            .clone()
            .zip(row.linked_to_number.clone())
            .map(|(id, number)| TicketRef { id, number }),
        client_info: if staff {
            row.client_info
                .as_deref()
                .and_then(|c| serde_json::from_str::<ClientInfo>(c).ok())
        } else {
            None
        },
        messages: messages_out,
        events: events_out,
        attachments: visible_atts
            .iter()
            .map(|a| attachment_view(cal, a))
            .collect(),
        summary,
    })
}

/// What the database gave the batch's inserts: the message seqs and the event ids, in plan
/// order, and the ticket's place in the line after it.
pub(crate) struct Written {
    pub(crate) message_ids: Vec<String>,
    pub(crate) seqs: Vec<i64>,
    pub(crate) event_ids: Vec<i64>,
    pub(crate) queue_position: Option<i64>,
}

/// The ticket and its timeline after a committed plan, built from the snapshot and the plan
/// (no read-back). Pure.
pub(crate) fn after_plan(
    row: &TicketRow,
    timeline: &repo::Timeline,
    plan: &Plan,
    written: &Written,
    caller: &Caller,
    now: &str,
) -> (TicketRow, repo::Timeline) {
    let c = &plan.columns;
    let fmt = |v: Option<DateTime<Utc>>| v.map(db_time);
    let mut r = row.clone();
    r.status = c.status.as_str().into();
    r.paused_reason = c.paused_reason.map(|p| p.as_str().into());
    r.paused_since = fmt(c.paused_since);
    r.auto_close_at = fmt(c.auto_close_at);
    r.resolved_at = fmt(c.resolved_at);
    r.reopen_until = fmt(c.reopen_until);
    r.due_at = fmt(c.due_at);
    r.updated_at = now.into();
    r.queue_position = written.queue_position;
    if let Some(a) = &c.assignee {
        r.assignee_id = a.as_ref().map(|u| u.id.clone());
        r.assignee_name = a.as_ref().map(|u| u.name.clone());
    }
    if let Some(m) = &c.merged_into {
        r.merged_into = Some(m.id.clone());
        r.merged_into_number = Some(m.number.clone());
    }
    let mut t = repo::Timeline {
        messages: if plan.move_content_to.is_some() {
            Vec::new() // moved to the survivor
        } else {
            timeline.messages.clone()
        },
        events: timeline.events.clone(),
        attachments: if plan.move_content_to.is_some() {
            Vec::new()
        } else {
            timeline.attachments.clone()
        },
    };
    if let Some(mid) = &plan.flag_message {
        for m in t.messages.iter_mut().filter(|m| &m.id == mid) {
            m.flagged = 1;
        }
    }
    for (i, m) in plan.messages.iter().enumerate() {
        if m.ticket.is_some() {
            continue;
        }
        t.messages.push(MessageRow {
            id: written.message_ids[i].clone(),
            seq: written.seqs.get(i).copied().unwrap_or(0),
            kind: m.kind.as_str().into(),
            internal: m.internal as i64,
            body: m.body.clone(),
            author_id: m.by_caller.then(|| caller.id.clone()),
            author_name: m.by_caller.then(|| caller.name.clone()),
            author_role: m.by_caller.then(|| caller.role.as_str().into()),
            flagged: 0,
            created_at: now.into(),
        });
    }
    for (i, e) in plan.events.iter().enumerate() {
        if e.ticket.is_some() {
            continue;
        }
        t.events.push(EventRow {
            id: written.event_ids.get(i).copied().unwrap_or(0),
            kind: e.kind.as_str().into(),
            actor_id: Some(caller.id.clone()),
            actor_name: Some(caller.name.clone()),
            actor_kind: actor_of(caller).as_str().into(),
            data: serde_json::to_string(&e.data).ok(),
            created_at: now.into(),
        });
    }
    (r, t)
}

/// The calendar and the ticket with its timeline, read concurrently; 404 unless the caller
/// may see it.
pub(crate) async fn load_visible(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
) -> ApiResult<(BusinessCalendar, TicketRow, repo::Timeline)> {
    let (cal, found) =
        futures_util::future::join(calendar(ctx), repo::get_with_timeline(&ctx.db, id)).await;
    match found? {
        Some((row, timeline)) if can_see(caller, &row) => Ok((cal?, row, timeline)),
        _ => Err(ApiError::NotFound),
    }
}

/// `GET /api/tickets/{id}` and replays: the detail, read in one step, writing nothing.
pub(crate) async fn respond_read(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    status: u16,
) -> ApiResult<Response> {
    let (cal, row, timeline) = load_visible(ctx, caller, id).await?;
    json(status, &detail(&cal, caller, &row, timeline, now())?)
}

/// Recomputes and stores the due time of a ticket from its stored timeline (only after a
/// batch whose planned due time a concurrent writer invalidated).
pub(crate) async fn refresh_due(ctx: &Ctx, cal: &BusinessCalendar, id: &str) -> ApiResult<()> {
    if let Some((row, tl)) = repo::get_with_timeline(&ctx.db, id).await? {
        let priority: Priority = row.priority.parse().map_err(internal("priority"))?;
        let due = due_time(cal, priority, &timeline(&tl.messages, &tl.events), now()).map(db_time);
        if due != row.due_at {
            repo::store_due(&ctx.db, &row.id, due.as_deref(), mark_of(&tl)).await?;
        }
    }
    Ok(())
}

/// The recorded breach reason (P9), both languages of its label.
fn breach_reason_view(row: &TicketRow) -> Option<domain::api::BreachReasonView> {
    let reason = sla::breach::BreachReason::parse(row.sla_breach_reason.as_deref()?)?;
    Some(domain::api::BreachReasonView {
        reason,
        label: text(|l| reason.label(l).to_string()),
        note: row.sla_breach_note.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use domain::ticket::messages::{ReplyKind, ReplyRequest};
    use domain::ticket::{plan as planner, Status};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap()
    }

    fn caller(role: Role) -> Caller {
        Caller {
            id: if role == Role::Client {
                "u-ana"
            } else {
                "u-agent"
            }
            .into(),
            name: "Nombre".into(),
            email: "x@demo.mx".into(),
            role,
            company: None,
            suspension: None,
            phone: None,
            session_hash: None,
        }
    }

    fn row() -> TicketRow {
        let s = |v: &str| v.to_string();
        TicketRow {
            id: s("t1"),
            number: s("T-2026-000001"),
            subject: s("Correo"),
            status: s("open"),
            priority: s("medium"),
            category: s("incident"),
            coverage: s("free"),
            company_id: s("c-alfa"),
            company_name: s("Alfa"),
            company_only_own: 0,
            service_id: s("s1"),
            service_name: s("Hosting"),
            service_kind: s("hosting"),
            requester_id: s("u-ana"),
            requester_name: s("Ana"),
            assignee_id: None,
            assignee_name: None,
            created_at: db_time(at() - Duration::hours(2)),
            updated_at: db_time(at() - Duration::hours(2)),
            due_at: None,
            paused_reason: None,
            paused_since: None,
            auto_close_at: None,
            resolved_at: None,
            reopen_until: None,
            merged_into: None,
            merged_into_number: None,
            linked_to: None,
            linked_to_number: None,
            queue_position: Some(3),
            sla_risk_for: None,
            sla_breach_for: None,
            sla_breach_reason: None,
            sla_breach_note: None,
            description: Some(s("Desde ayer")),
            steps: None,
            client_info: Some(s(r#"{"ip":"203.0.113.1"}"#)),
        }
    }

    fn message(id: &str, seq: i64, kind: &str, internal: bool, when: DateTime<Utc>) -> MessageRow {
        MessageRow {
            id: id.into(),
            seq,
            kind: kind.into(),
            internal: internal as i64,
            body: "b".into(),
            author_id: None,
            author_name: None,
            author_role: None,
            flagged: 0,
            created_at: db_time(when),
        }
    }

    fn tl() -> repo::Timeline {
        repo::Timeline {
            messages: vec![
                message("m1", 1, "client", false, at() - Duration::hours(2)),
                message("m2", 2, "note", true, at() - Duration::hours(1)),
            ],
            events: vec![],
            attachments: vec![],
        }
    }

    #[test]
    fn clients_never_see_notes_or_client_info() {
        let cal = BusinessCalendar::default();
        let d = detail(&cal, &caller(Role::Client), &row(), tl(), at()).unwrap();
        assert_eq!(d.messages.len(), 1);
        assert!(d.client_info.is_none());
        assert!(!d.actions.contains(&Command::Note));
        let s = detail(&cal, &caller(Role::Agent), &row(), tl(), at()).unwrap();
        assert_eq!(s.messages.len(), 2);
        assert!(s.client_info.is_some());
        assert!(s.actions.contains(&Command::Take));
    }

    #[test]
    fn the_due_time_shown_comes_from_the_timeline_not_the_stored_column() {
        let cal = BusinessCalendar::default();
        let d = detail(&cal, &caller(Role::Agent), &row(), tl(), at()).unwrap();
        assert!(
            d.summary.due_at.is_some(),
            "the client message runs a target"
        );
        assert!(d.sla.remaining_minutes.is_some());
        assert_eq!(d.summary.queue_position, Some(3));
        assert_eq!(d.summary.status_label.es, Status::Open.label(Lang::Es));
    }

    #[test]
    fn the_timeline_counts_public_messages_and_status_events_only() {
        let mut t = tl();
        t.events.push(EventRow {
            id: 1,
            kind: "status".into(),
            actor_id: None,
            actor_name: None,
            actor_kind: "agent".into(),
            data: Some(r#"{"from":"open","to":"waiting_release"}"#.into()),
            created_at: db_time(at() - Duration::minutes(30)),
        });
        t.events.push(EventRow {
            id: 2,
            kind: "assigned".into(),
            data: Some(r#"{"from":"open","to":"closed"}"#.into()),
            ..t.events[0].clone()
        });
        let clock = timeline(&t.messages, &t.events);
        assert_eq!(
            clock.len(),
            2,
            "the client message and the pause: {clock:?}"
        );
    }

    #[test]
    fn after_a_reply_the_answer_is_built_from_the_plan() {
        let cal = BusinessCalendar::default();
        let agent = caller(Role::Agent);
        let r = row();
        let t = tl();
        let clock = timeline(&t.messages, &t.events);
        let snap = super::super::snapshot_of(&r, &clock).unwrap();
        let req = ReplyRequest {
            kind: ReplyKind::AwaitingClient,
            internal: false,
        };
        let p = planner::plan_message(
            &snap,
            &super::super::who(&agent),
            "¿Puedes revisar?".into(),
            req,
            &cal,
            at(),
        )
        .unwrap();
        let written = Written {
            message_ids: vec!["m9".into()],
            seqs: vec![9],
            event_ids: vec![11, 12],
            queue_position: None,
        };
        let (r2, t2) = after_plan(&r, &t, &p, &written, &agent, &db_time(at()));
        assert_eq!(r2.status, "waiting_client");
        assert_eq!(
            r2.assignee_id.as_deref(),
            Some("u-agent"),
            "the reply took it"
        );
        assert_eq!(r2.paused_reason.as_deref(), Some("waiting_client"));
        assert!(r2.auto_close_at.is_some() && r2.due_at.is_none());
        assert_eq!(t2.messages.last().unwrap().seq, 9);
        let kinds: Vec<&str> = t2.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["assigned", "status"]);
        assert_eq!(t2.events[1].id, 12);
        let d = detail(&cal, &agent, &r2, t2, at()).unwrap();
        assert_eq!(d.summary.status, Status::WaitingClient);
        assert!(d.summary.paused.is_some());
        assert_eq!(d.summary.queue_position, None);
        assert!(d.actions.contains(&Command::Resume));
    }
}
