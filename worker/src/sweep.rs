//! Scheduled sweeps. Each run is recorded in `sweep_runs` with its counts.
use serde::Serialize;
use worker::{D1Database, Env};

use chrono::{DateTime, Utc};
use domain::api::EventData;
use domain::calendar::BusinessCalendar;
use domain::ticket::{self, Action, Actor, Status, TransitionContext};
use domain::workflow;

use crate::error::{ApiError, ApiResult};
use crate::repo::{calendar, sweeps, tickets, users};
use crate::util::{db_time, now};

#[derive(Debug, Default, Serialize)]
pub struct SweepCounts {
    pub expired_sessions: usize,
    /// `waiting_client` tickets resolved after the 48 h wait (P17).
    pub auto_resolved: usize,
    /// `resolved` tickets closed after the 48 h wait (P17).
    pub auto_closed: usize,
    /// E-mail delivered from the outbox by this run.
    pub mail: crate::notify::DrainCounts,
}

pub async fn run(env: &Env, db: &D1Database, cron: &str) -> ApiResult<SweepCounts> {
    crate::routes::dev::load_clock(env, db).await?;
    let started = now();
    let run_id = sweeps::start(db, cron, &db_time(started)).await?;
    let (auto_resolved, auto_closed) = auto_close(db, started).await?;
    let counts = SweepCounts {
        expired_sessions: users::delete_expired_sessions(db, &db_time(started)).await?,
        auto_resolved,
        auto_closed,
        mail: crate::notify::drain(env, db, now()).await?,
    };
    sweeps::finish(
        db,
        run_id,
        &db_time(now()),
        &serde_json::to_string(&counts)?,
    )
    .await?;
    Ok(counts)
}

/// P17: tickets whose `auto_close_at` passed move `waiting_client → resolved` and
/// `resolved → closed`, as `domain::ticket::apply(_, AutoClose, Sweep, _)` decides.
/// Set-based: per rule one INSERT … SELECT of event rows, then one UPDATE, all in
/// one batch (one transaction), so running twice or concurrently changes nothing more.
/// Tickets resolved here get their warranty window (P18) and a new 48 h auto-close
/// deadline from this run's instant, the same for all of them.
async fn auto_close(db: &D1Database, at: DateTime<Utc>) -> ApiResult<(usize, usize)> {
    let cal = BusinessCalendar::new(calendar::load(db).await?);
    let ctx = TransitionContext {
        now: at,
        reopen_deadline: None,
    };
    let target = |from: Status| {
        ticket::apply(from, Action::AutoClose, Actor::Sweep, &ctx)
            .map_err(|e| ApiError::Internal(format!("sweep rule: {e}")))
    };
    let now_s = db_time(at);
    let data = |from: Status, to: Status| {
        serde_json::to_string(&EventData {
            from: Some(from),
            to: Some(to),
            action: Some(Action::AutoClose.as_str().into()),
            reason: Some("auto_close_48h".into()),
            ..Default::default()
        })
    };
    // Closing first: tickets resolved by this run get a future deadline anyway.
    let closing = target(Status::Resolved)?;
    let resolving = target(Status::WaitingClient)?;
    let mut stmts = tickets::auto_close_rule(
        db,
        Status::Resolved.as_str(),
        closing.as_str(),
        &data(Status::Resolved, closing)?,
        &now_s,
        None,
        None,
        None,
    )?;
    let d = workflow::deadlines(&cal, Status::WaitingClient, resolving, at, false);
    let set = |c: workflow::Change<DateTime<Utc>>| c.apply(None).map(db_time);
    let (resolved_at, reopen_until, next) = (
        set(d.resolved_at),
        set(d.reopen_until),
        set(d.auto_close_at),
    );
    stmts.extend(tickets::auto_close_rule(
        db,
        Status::WaitingClient.as_str(),
        resolving.as_str(),
        &data(Status::WaitingClient, resolving)?,
        &now_s,
        resolved_at.as_deref(),
        reopen_until.as_deref(),
        next.as_deref(),
    )?);
    let changes = tickets::run_sweep(db, stmts).await?;
    // [events, UPDATE resolved→closed, events, UPDATE waiting_client→resolved]
    Ok((
        changes.get(3).copied().unwrap_or(0),
        changes.get(1).copied().unwrap_or(0),
    ))
}
