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
use domain::ticket::messages::{ClockEffect, MessageKind};
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
    for e in events.iter().filter(|e| e.kind == "status") {
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
    match MessageKind::parse(kind)?.clock_effect(internal) {
        ClockEffect::StartsTarget => Some(TimelineEvent::ClientMessage { at }),
        ClockEffect::MeetsTarget => Some(TimelineEvent::StaffReply { at }),
        ClockEffect::None => None,
    }
}

/// The due time stored with a ticket: the running target's, none while the clock is paused.
pub(crate) fn due_time(
    cal: &BusinessCalendar,
    priority: Priority,
    timeline: &[TimelineEvent],
    at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let state = sla::compute(cal, priority, timeline, at);
    if state.paused.is_some() {
        None
    } else {
        state.due_at
    }
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

/// Whether building a detail may write: reads never do; after a change the due time
/// computed from the new timeline is stored when it moved.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DueSync {
    ReadOnly,
    StoreIfChanged,
}

/// The full ticket as the caller may see it.
pub(crate) async fn detail(
    ctx: &Ctx,
    cal: &BusinessCalendar,
    caller: &Caller,
    row: &TicketRow,
    parts: repo::Timeline,
    sync: DueSync,
) -> ApiResult<TicketDetail> {
    let at = now();
    let staff = caller.role.is_staff();
    let repo::Timeline {
        messages,
        events,
        attachments,
    } = parts;
    let priority: Priority = row.priority.parse().map_err(internal("priority"))?;
    let state = sla::compute(cal, priority, &timeline(&messages, &events), at);

    // Keep the stored due time (used by lists and the breach filter) in step.
    let due = if state.paused.is_some() {
        None
    } else {
        state.due_at
    };
    let due_text = due.map(db_time);
    if sync == DueSync::StoreIfChanged && due_text != row.due_at {
        let mark = repo::Mark {
            m: messages.iter().map(|m| m.seq).max().unwrap_or(0),
            e: events.iter().map(|e| e.id).max().unwrap_or(0),
        };
        repo::store_due(&ctx.db, &row.id, due_text.as_deref(), mark).await?;
    }
    let mut fresh = row.clone();
    fresh.due_at = due_text;
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

/// The detail after a change: stores the due time when the new timeline moved it.
pub(crate) async fn respond_detail(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    status: u16,
) -> ApiResult<Response> {
    respond(ctx, caller, id, status, DueSync::StoreIfChanged).await
}

/// `GET /api/tickets/{id}`: the detail, writing nothing.
pub(crate) async fn respond_read(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    respond(ctx, caller, id, 200, DueSync::ReadOnly).await
}

async fn respond(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    status: u16,
    sync: DueSync,
) -> ApiResult<Response> {
    let (cal, row, timeline) = load_visible(ctx, caller, id).await?;
    json(
        status,
        &detail(ctx, &cal, caller, &row, timeline, sync).await?,
    )
}

/// Recomputes and stores the due time of a ticket (after a change made without reading it).
pub(crate) async fn refresh_due(
    ctx: &Ctx,
    cal: &BusinessCalendar,
    caller: &Caller,
    id: &str,
) -> ApiResult<()> {
    if let Some((row, timeline)) = repo::get_with_timeline(&ctx.db, id).await? {
        detail(ctx, cal, caller, &row, timeline, DueSync::StoreIfChanged).await?;
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
