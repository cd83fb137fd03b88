//! The change engine: a plan for the ticket's current state, committed in one guarded batch.
use chrono::{DateTime, Utc};
use domain::api::{EventData, TicketRef};
use domain::ticket::{self, Action, Status, TransitionContext};
use domain::workflow::{self};

use super::super::calendar::calendar;
use super::super::Ctx;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::repo::tickets::{self as repo, Guard, NewEvent, NewMessage, TicketRow, TicketUpdate};
use crate::util::{db_time, new_id, now, parse_db_time};

use super::*;

// ---------------------------------------------------------------------------
// The change engine

pub(crate) struct PlannedMessage {
    /// `None` = this ticket.
    pub(crate) ticket_id: Option<String>,
    pub(crate) id: String,
    pub(crate) kind: &'static str,
    pub(crate) internal: bool,
    pub(crate) body: String,
    pub(crate) by_caller: bool,
}

pub(crate) struct PlannedEvent {
    pub(crate) ticket_id: Option<String>,
    pub(crate) kind: &'static str,
    pub(crate) data: EventData,
}

#[derive(Default)]
pub(crate) struct Plan {
    pub(crate) action: Option<Action>,
    /// Re-sending "awaiting your answer" restarts the 48 h countdown.
    pub(crate) restart: bool,
    pub(crate) reason: Option<String>,
    pub(crate) messages: Vec<PlannedMessage>,
    pub(crate) events: Vec<PlannedEvent>,
    pub(crate) assignee: Option<Option<String>>,
    pub(crate) merge_into: Option<TicketRef>,
    pub(crate) flag_message: Option<String>,
}

impl Plan {
    pub(crate) fn message(
        &mut self,
        kind: &'static str,
        internal: bool,
        body: String,
        by_caller: bool,
    ) -> ApiResult<String> {
        let id = new_id()?;
        self.messages.push(PlannedMessage {
            ticket_id: None,
            id: id.clone(),
            kind,
            internal,
            body,
            by_caller,
        });
        Ok(id)
    }
    pub(crate) fn event(&mut self, kind: &'static str, data: EventData) {
        self.events.push(PlannedEvent {
            ticket_id: None,
            kind,
            data,
        });
    }
}

/// What a committed change left.
pub(crate) struct Committed {
    /// The ticket as it was read before the change.
    pub(crate) row: TicketRow,
    /// The planned messages: id and the sequence number the database gave them.
    pub(crate) messages: Vec<(String, Option<i64>)>,
    /// When the change happened (the messages' and events' time).
    pub(crate) at: DateTime<Utc>,
}

/// Applies the plan `decide` makes for the ticket's current state, retrying when a
/// concurrent writer changed the status first. Reads the ticket with its timeline and the
/// calendar concurrently, computes the new due time before writing, and commits messages,
/// events, the ticket and its due time in one guarded batch.
pub(crate) async fn change(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    decide: impl Fn(&TicketRow, Status) -> ApiResult<Plan>,
) -> ApiResult<Committed> {
    let actor = actor_of(caller);
    for _ in 0..12 {
        let (cal, found) =
            futures_util::future::join(calendar(ctx), repo::get_with_timeline(&ctx.db, id)).await;
        let cal = cal?;
        let (row, timeline) = match found? {
            Some((row, timeline)) if can_see(caller, &row) => (row, timeline),
            _ => return Err(ApiError::NotFound),
        };
        let from = status_of(&row)?;
        let plan = decide(&row, from)?;
        let at = now();
        let to = match plan.action {
            Some(action) => ticket::apply(
                from,
                action,
                actor,
                &TransitionContext {
                    now: at,
                    reopen_deadline: row.reopen_until.as_deref().and_then(parse_db_time),
                },
            )
            .map_err(transition_err)?,
            None => from,
        };
        let d = workflow::deadlines(&cal, from, to, at, plan.restart);
        let now_s = db_time(at);
        let guard = Guard {
            ticket_id: &row.id,
            status: from.as_str(),
        };
        let mut stmts = Vec::new();
        let mut event_rows: Vec<(String, &'static str, EventData)> = plan
            .events
            .iter()
            .map(|e| {
                (
                    e.ticket_id.clone().unwrap_or_else(|| row.id.clone()),
                    e.kind,
                    e.data.clone(),
                )
            })
            .collect();
        if from != to {
            event_rows.push((
                row.id.clone(),
                "status",
                EventData {
                    from: Some(from),
                    to: Some(to),
                    action: plan.action.map(|a| a.as_str().to_string()),
                    reason: plan.reason.clone(),
                    ..Default::default()
                },
            ));
        }
        if let Some(into) = &plan.merge_into {
            stmts.extend(repo::move_content(&ctx.db, &row.id, &into.id, guard)?);
        }
        if let Some(mid) = &plan.flag_message {
            stmts.push(repo::flag_message(&ctx.db, mid, guard)?);
        }
        let first_message = stmts.len();
        for m in &plan.messages {
            stmts.push(repo::insert_message(
                &ctx.db,
                &NewMessage {
                    id: &m.id,
                    ticket_id: m.ticket_id.as_deref().unwrap_or(&row.id),
                    author_id: m.by_caller.then_some(caller.id.as_str()),
                    kind: m.kind,
                    internal: m.internal,
                    body: &m.body,
                    now: &now_s,
                },
                guard,
            )?);
        }
        for (tid, kind, data) in &event_rows {
            stmts.push(repo::insert_event(
                &ctx.db,
                &NewEvent {
                    ticket_id: tid,
                    actor_id: Some(&caller.id),
                    actor_kind: actor.as_str(),
                    kind,
                    data: serde_json::to_string(data)?,
                    now: &now_s,
                },
                Some(guard),
            )?);
        }
        let old = |s: &Option<String>| s.as_deref().and_then(parse_db_time);
        let fmt = |v: Option<DateTime<Utc>>| v.map(db_time);
        let paused_reason = to.is_paused().map(|r| r.as_str());
        let paused_since = fmt(d.paused_since.apply(old(&row.paused_since)));
        let auto_close_at = fmt(d.auto_close_at.apply(old(&row.auto_close_at)));
        let resolved_at = fmt(d.resolved_at.apply(old(&row.resolved_at)));
        let reopen_until = fmt(d.reopen_until.apply(old(&row.reopen_until)));
        let update = TicketUpdate {
            status: to.as_str(),
            paused_reason,
            paused_since: paused_since.as_deref(),
            auto_close_at: auto_close_at.as_deref(),
            resolved_at: resolved_at.as_deref(),
            reopen_until: reopen_until.as_deref(),
            assignee_id: plan.assignee.as_ref().map(|a| a.as_deref()),
            merged_into: plan.merge_into.as_ref().map(|m| m.id.as_str()),
            now: &now_s,
        };
        stmts.push(repo::update_ticket(&ctx.db, &update, guard)?);
        // The due time of the timeline after this change, written in the same batch.
        let own = |t: &Option<String>| t.is_none();
        let mut after = super::timeline(&timeline.messages, &timeline.events);
        after.extend(
            plan.messages
                .iter()
                .filter(|m| own(&m.ticket_id))
                .filter_map(|m| clock_event(m.kind, m.internal, at)),
        );
        if from != to {
            after.extend(workflow::status_timeline(from, to, at));
        }
        let priority = row.priority.parse().map_err(internal("priority"))?;
        let due = due_time(&cal, priority, &after, at).map(db_time);
        stmts.push(repo::store_due_stmt(
            &ctx.db,
            &row.id,
            due.as_deref(),
            mark_of(&timeline),
            plan.messages.iter().filter(|m| own(&m.ticket_id)).count(),
            event_rows.iter().filter(|(t, ..)| *t == row.id).count(),
        )?);
        let results = repo::commit_counted(&ctx.db, stmts).await?;
        let n = results.len();
        if repo::changes(&results[n - 2]) == 0 {
            continue; // the status changed under us: plan again
        }
        if repo::changes(&results[n - 1]) == 0 {
            // Another writer interleaved: recompute from the stored timeline.
            refresh_due(ctx, &cal, caller, &row.id).await?;
        }
        let ids = plan
            .messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let seq = crate::repo::rows::<Seq>(&results[first_message + i])
                    .ok()
                    .and_then(|r| r.first().map(|s| s.seq));
                (m.id.clone(), seq)
            })
            .collect();
        return Ok(Committed {
            row,
            messages: ids,
            at,
        });
    }
    Err(ApiError::conflict(
        "concurrent_update",
        (
            "El ticket cambió mientras lo actualizabas; intenta de nuevo.",
            "The ticket changed while you were updating it; please retry.",
        ),
    ))
}

#[derive(serde::Deserialize)]
struct Seq {
    seq: i64,
}
