//! The change engine: load the snapshot (the ticket with its timeline ∥ the calendar ∥ what
//! the command needs besides, one step) → ask a `domain::ticket::plan` planner → commit the
//! plan as one guarded batch (`repo::commit`) → answer from the plan, without reading back.
use std::future::Future;

use chrono::{DateTime, Utc};
use domain::calendar::BusinessCalendar;
use domain::sla::TimelineEvent;
use domain::ticket::plan::{Plan, Snapshot, Who};
use worker::{D1PreparedStatement, Response};

use super::super::Ctx;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::repo::commit::{self, Author, OtherSeen, Target};
use crate::repo::sql;
use crate::repo::tickets::{self as repo, Guard, TicketRow};
use crate::util::{db_time, new_id, now, parse_db_time};

use super::*;

/// The snapshot a planner decides on.
pub(crate) struct Loaded {
    pub(crate) cal: BusinessCalendar,
    pub(crate) row: TicketRow,
    pub(crate) timeline: repo::Timeline,
    /// The SLA timeline of `timeline`.
    pub(crate) clock: Vec<TimelineEvent>,
}

impl Loaded {
    pub(crate) async fn load(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Loaded> {
        let (cal, row, timeline) = load_visible(ctx, caller, id).await?;
        let clock = super::timeline(&timeline.messages, &timeline.events);
        Ok(Loaded {
            cal,
            row,
            timeline,
            clock,
        })
    }

    pub(crate) fn snapshot(&self) -> ApiResult<Snapshot<'_>> {
        snapshot_of(&self.row, &self.clock)
    }
}

/// The planner's view of a stored ticket.
pub(crate) fn snapshot_of<'a>(
    row: &'a TicketRow,
    clock: &'a [TimelineEvent],
) -> ApiResult<Snapshot<'a>> {
    let at = |s: &Option<String>| s.as_deref().and_then(parse_db_time);
    Ok(Snapshot {
        id: &row.id,
        number: &row.number,
        status: status_of(row)?,
        priority: row.priority.parse().map_err(internal("priority"))?,
        requester_id: &row.requester_id,
        assignee_id: row.assignee_id.as_deref(),
        paused_since: at(&row.paused_since),
        auto_close_at: at(&row.auto_close_at),
        resolved_at: at(&row.resolved_at),
        reopen_until: at(&row.reopen_until),
        timeline: clock,
    })
}

/// The caller as a planner sees them.
pub(crate) fn who(caller: &Caller) -> Who<'_> {
    Who {
        id: &caller.id,
        name: &caller.name,
        role: caller.role,
        suspension: caller.suspension.as_ref(),
    }
}

/// A plan and, for a merge, what the batch must know about the survivor.
pub(crate) struct Decision {
    pub(crate) plan: Plan,
    pub(crate) other: Option<OtherSeen>,
    /// Statements of the command besides the plan's (a paid-service step's offer rows), run
    /// first in the batch and guarded by the status read, like the plan's writes.
    pub(crate) extra: Vec<sql::Sql>,
}

impl From<Plan> for Decision {
    fn from(plan: Plan) -> Self {
        Decision {
            plan,
            other: None,
            extra: vec![],
        }
    }
}

/// A committed (or empty) plan and the ticket after it.
pub(crate) struct Committed {
    pub(crate) cal: BusinessCalendar,
    pub(crate) row: TicketRow,
    pub(crate) timeline: repo::Timeline,
    pub(crate) written: Written,
    pub(crate) at: DateTime<Utc>,
}

impl Committed {
    /// The ticket detail after the change, built from the plan.
    pub(crate) fn respond(self, caller: &Caller, status: u16) -> ApiResult<Response> {
        json(
            status,
            &detail(&self.cal, caller, &self.row, self.timeline, self.at)?,
        )
    }
}

/// Plans with `decide` on the current snapshot and commits the plan in one guarded batch;
/// plans again when a concurrent writer changed the status first. `extra` is loaded with the
/// first snapshot (e.g. the merge survivor, the new assignee).
pub(crate) async fn change<E>(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    extra: impl Future<Output = E>,
    decide: impl Fn(&Loaded, &E, DateTime<Utc>) -> ApiResult<Decision>,
) -> ApiResult<Committed> {
    let (loaded, extra) = futures_util::future::join(Loaded::load(ctx, caller, id), extra).await;
    let mut loaded = loaded?;
    for _ in 0..12 {
        let at = now();
        let Decision { plan, other, extra } = decide(&loaded, &extra, at)?;
        if plan.is_noop() {
            let written = Written {
                message_ids: vec![],
                seqs: vec![],
                event_ids: vec![],
                queue_position: loaded.row.queue_position,
            };
            let Loaded {
                cal, row, timeline, ..
            } = loaded;
            return Ok(Committed {
                cal,
                row,
                timeline,
                written,
                at,
            });
        }
        if let Some(written) = commit_plan(ctx, caller, &loaded, &plan, other, extra, at).await? {
            let (row, timeline) = after_plan(
                &loaded.row,
                &loaded.timeline,
                &plan,
                &written,
                caller,
                &db_time(at),
            );
            tell_live(ctx, caller, &plan, &written, &row, &timeline, &loaded.cal);
            return Ok(Committed {
                cal: loaded.cal,
                row,
                timeline,
                written,
                at,
            });
        }
        loaded = Loaded::load(ctx, caller, id).await?; // the status changed under us
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
struct Position {
    queue_position: Option<i64>,
}

/// One batch: the plan's statements, its notices, the guarded update, the due times and the
/// new place in the line. `None` when the guard failed (nothing was written).
async fn commit_plan(
    ctx: &Ctx,
    caller: &Caller,
    l: &Loaded,
    plan: &Plan,
    other: Option<OtherSeen>,
    extra: Vec<sql::Sql>,
    at: DateTime<Utc>,
) -> ApiResult<Option<Written>> {
    let message_ids = plan
        .messages
        .iter()
        .map(|_| new_id())
        .collect::<ApiResult<Vec<_>>>()?;
    let now_s = db_time(at);
    let from = status_of(&l.row)?;
    let target = Target {
        id: &l.row.id,
        status: from,
        seen: mark_of(&l.timeline),
    };
    let author = Author {
        id: &caller.id,
        kind: actor_of(caller).as_str(),
    };
    let b = commit::change_batch(target, plan, &message_ids, author, &now_s, other)?;
    let bind = |q: &sql::Sql| crate::repo::bind(&ctx.db, q);
    let first = extra.len();
    let mut stmts = extra
        .iter()
        .chain(&b.writes)
        .map(bind)
        .collect::<ApiResult<Vec<_>>>()?;
    let guard = Guard {
        ticket_id: &l.row.id,
        status: from.as_str(),
    };
    let notices = notices(ctx, caller, l, plan, &message_ids, guard, at)?;
    ctx.drain_after
        .set(ctx.drain_after.get() || !notices.is_empty());
    stmts.extend(notices);
    let update = stmts.len();
    stmts.push(bind(&b.update)?);
    stmts.push(bind(&b.due)?);
    if let Some(od) = &b.other_due {
        stmts.push(bind(od)?);
    }
    for a in &b.after {
        stmts.push(bind(a)?);
    }
    stmts.push(bind(&sql::queue_position(&l.row.id))?);
    let results = repo::commit_counted(&ctx.db, stmts).await?;
    if repo::changes(&results[update]) == 0 {
        return Ok(None);
    }
    // Another writer interleaved: recompute from the stored timeline.
    if repo::changes(&results[update + 1]) == 0 {
        refresh_due(ctx, &l.cal, &l.row.id).await?;
    }
    if let (Some(into), true) = (&plan.move_content_to, b.other_due.is_some()) {
        if repo::changes(&results[update + 2]) == 0 {
            refresh_due(ctx, &l.cal, &into.id).await?;
        }
    }
    // The values the inserts returned (`RETURNING seq` / `RETURNING id`).
    let pick = |i: usize, k: &str| {
        crate::repo::rows::<serde_json::Value>(&results[i])
            .ok()
            .and_then(|r| r.first().and_then(|v| v.get(k)).and_then(|v| v.as_i64()))
            .unwrap_or(0)
    };
    let seqs = (0..plan.messages.len())
        .map(|i| pick(first + b.first_message + i, "seq"))
        .collect();
    let event_ids = (0..plan.events.len())
        .map(|i| pick(first + b.first_event + i, "id"))
        .collect();
    let queue_position = results
        .last()
        .and_then(|r| crate::repo::rows::<Position>(r).ok())
        .and_then(|r| r.into_iter().next())
        .and_then(|p| p.queue_position);
    Ok(Some(Written {
        message_ids,
        seqs,
        event_ids,
        queue_position,
    }))
}

/// Issue 11: the plan's notices as statements of the same batch.
fn notices(
    ctx: &Ctx,
    caller: &Caller,
    l: &Loaded,
    plan: &Plan,
    message_ids: &[String],
    guard: Guard<'_>,
    at: DateTime<Utc>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let row = &l.row;
    crate::notify::ticket::planned(
        &ctx.db,
        &l.cal,
        &ctx.origin,
        &crate::notify::ticket::TicketFacts {
            id: &row.id,
            number: &row.number,
            subject: &row.subject,
            company: &row.company_name,
            requester_id: &row.requester_id,
        },
        &caller.name,
        &plan.notices,
        &plan.messages,
        message_ids,
        Some((guard.ticket_id, guard.status)),
        at,
    )
}

/// Issue 15: once a plan is committed, the ticket's live sockets get its messages (notes to
/// staff sockets only) and, when more than messages changed, a hint to read the ticket
/// again; a client's public message also tells the staff lobby (the ticket queue is stale).
/// Sent after the response (or by the ticket's object itself, for a socket's message).
fn tell_live(
    ctx: &Ctx,
    caller: &Caller,
    plan: &Plan,
    written: &Written,
    after: &TicketRow,
    timeline: &repo::Timeline,
    cal: &BusinessCalendar,
) {
    use domain::api::live::{LobbyFrame, ServerFrame};
    let mut frames = vec![];
    let mut client_wrote = false;
    for (m, id) in plan.messages.iter().zip(&written.message_ids) {
        if m.ticket.is_some() {
            continue;
        }
        if let Some(row) = timeline.messages.iter().find(|r| &r.id == id) {
            let view = message_view(cal, row, vec![]);
            client_wrote |= !caller.role.is_staff() && !view.internal;
            frames.push((view.internal, ServerFrame::Message { message: view }));
        }
    }
    let more = plan.action.is_some()
        || !plan.events.is_empty()
        || plan.columns.assignee.is_some()
        || plan.flag_message.is_some()
        || plan.move_content_to.is_some();
    if more {
        frames.push((
            false,
            ServerFrame::Changed {
                what: "ticket".into(),
                status: Some(after.status.clone()),
            },
        ));
    }
    let mut live = ctx.live.borrow_mut();
    if !frames.is_empty() {
        live.push(crate::live::Push::Ticket {
            ticket_id: after.id.clone(),
            frames,
        });
    }
    if let Some(into) = &plan.move_content_to {
        live.push(crate::live::Push::changed(&into.id, "merged", None));
    }
    if client_wrote || more {
        live.push(crate::live::Push::Lobby(LobbyFrame::Tickets {
            ticket_id: after.id.clone(),
            what: if client_wrote {
                "client_message"
            } else {
                "changed"
            }
            .into(),
        }));
    }
}
