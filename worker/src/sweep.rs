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
    /// Running targets newly marked at risk (75 %) / breached (100 %).
    pub sla_at_risk: usize,
    pub sla_breached: usize,
    /// Clients reminded halfway through the 48 h wait (P17).
    pub wait_reminders: usize,
    /// Tickets declared final when their correction warranty ended (P18).
    pub warranty_ended: usize,
    /// Póliza notices: 30 days before the expiry date, 80 % of the hours, expired (P19, P22).
    pub poliza_expiring: usize,
    pub poliza_hours_low: usize,
    pub poliza_expired: usize,
    /// Invoices that became overdue (the company is "with debts", P26).
    pub invoices_overdue: usize,
    /// Tickets whose open pages were told of this run's changes (issue 15), at most
    /// `LIVE_PUSH_MAX`; the bells of the people it notified are told too.
    pub live_pushed: usize,
    /// Outbox rows this run put on the queue (or, without the queue, delivered itself).
    pub mail: crate::notify::DrainCounts,
    /// D1's accounting of this run's statements (before the drain, and of the drain).
    pub d1: crate::repo::D1Stats,
    pub d1_drain: crate::repo::D1Stats,
}

pub async fn run(env: &Env, db: &D1Database, cron: &str) -> ApiResult<SweepCounts> {
    crate::routes::dev::load_clock(env, db).await?;
    let started = now();
    crate::repo::take_stats();
    let run_id = sweeps::start(db, cron, &db_time(started)).await?;
    let (sla_at_risk, sla_breached) = sla_marks(env, db, started).await?;
    let wait_reminders = wait_reminders(env, db, started).await?;
    let (auto_resolved, auto_closed) = auto_close(db, &app_origin(env), started).await?;
    let warranty_ended = warranty_end(env, db, started).await?;
    let polizas = polizas(env, db, started).await?;
    let invoices_overdue = overdue_invoices(env, db, started).await?;
    let expired_sessions = users::delete_expired_sessions(db, &db_time(started)).await?;
    let d1 = crate::repo::take_stats();
    let live_pushed = push_live(env).await;
    let mail = crate::notify::dispatch(env, db, now()).await?;
    let counts = SweepCounts {
        d1,
        d1_drain: crate::repo::take_stats(),
        warranty_ended,
        poliza_expiring: polizas.expiring,
        poliza_hours_low: polizas.hours_low,
        poliza_expired: polizas.expired,
        invoices_overdue,
        expired_sessions,
        auto_resolved,
        auto_closed,
        sla_at_risk,
        sla_breached,
        wait_reminders,
        live_pushed,
        mail,
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

/// Ticket pages told per run; a run that changes more (a backlog after an outage) tells the
/// first ones, and the rest show the change when read again.
const LIVE_PUSH_MAX: usize = 200;

/// Tells the live objects what this run changed: each changed ticket's sockets (`changed`,
/// the ticket page reads it again), the staff lobby once (the queue is stale) and, through
/// `live::deliver`, the bells of everyone notified. Parallel, 20 objects at a time.
async fn push_live(env: &Env) -> usize {
    use crate::live::Push;
    use domain::api::live::LobbyFrame;
    let mut changed = crate::repo::take_changed();
    changed.truncate(LIVE_PUSH_MAX);
    let mut pushes: Vec<Push> = changed
        .iter()
        .map(|c| Push::changed(&c.ticket_id, &c.what, c.status.clone()))
        .collect();
    if let Some(first) = changed.first() {
        pushes.push(Push::Lobby(LobbyFrame::Tickets {
            ticket_id: first.ticket_id.clone(),
            what: "sweep".into(),
        }));
    }
    let mut chunks: Vec<Vec<Push>> = vec![];
    for p in pushes {
        match chunks.last_mut() {
            Some(c) if c.len() < 20 => c.push(p),
            _ => chunks.push(vec![p]),
        }
    }
    if chunks.is_empty() {
        // Notices only: `deliver` adds the people's pushes.
        crate::live::deliver(env, vec![]).await;
    }
    futures_util::future::join_all(chunks.into_iter().map(|c| crate::live::deliver(env, c))).await;
    changed.len()
}

/// P17: tickets whose `auto_close_at` passed move `waiting_client → resolved` and
/// `resolved → closed`, as `domain::ticket::apply(_, AutoClose, Sweep, _)` decides.
/// Set-based: per rule one INSERT … SELECT of event rows, then one UPDATE, all in
/// one batch (one transaction), so running twice or concurrently changes nothing more.
/// Tickets resolved here get their warranty window (P18) and a new 48 h auto-close
/// deadline from this run's instant, the same for all of them.
async fn auto_close(db: &D1Database, origin: &str, at: DateTime<Utc>) -> ApiResult<(usize, usize)> {
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
    // Issue 11: the client is told, after both rules (guarded by the status each ticket
    // reaches; once per deadline by the dedupe key).
    stmts.extend(auto_close_notices(db, origin, &cal, at).await?);
    let changes = tickets::run_sweep(db, stmts).await?;
    // [events, UPDATE resolved→closed, events, UPDATE waiting_client→resolved, notices…]
    Ok((
        changes.get(3).copied().unwrap_or(0),
        changes.get(1).copied().unwrap_or(0),
    ))
}

/// Tickets looked at per run by the SLA rule (the rest are taken by the next run).
const SLA_BATCH: i64 = 200;

/// SLA at risk (75 % of the target) and breached (100 %), once per target (issue 11).
/// One read of the candidates (soonest due first, bounded), the rule in `domain::notify`
/// per ticket, then one batch of guarded writes: the mark, its event, the notices.
async fn sla_marks(env: &Env, db: &D1Database, at: DateTime<Utc>) -> ApiResult<(usize, usize)> {
    use domain::notify::{sla_mark, Facts, Kind, SlaMark};
    use domain::sla::Priority;
    let cal = BusinessCalendar::new(calendar::load(db).await?);
    // A target at 75 % has at most 25 % of 72 working hours left: within 10 calendar days.
    let horizon = db_time(at + chrono::Duration::days(10));
    let candidates = sweeps::sla_candidates(db, &horizon, SLA_BATCH).await?;
    let origin = app_origin(env);
    let now_s = db_time(at);
    let mut stmts = Vec::new();
    // (index of the mark UPDATE in the batch, breached?)
    let mut marks: Vec<(usize, bool)> = Vec::new();
    for c in &candidates {
        let (Ok(priority), Some(due)) = (
            c.priority.parse::<Priority>(),
            crate::util::parse_db_time(&c.due_at),
        ) else {
            continue;
        };
        let target = priority.target_minutes() * 60;
        let remaining = if due > at {
            cal.working_seconds_between(at, due)
        } else {
            0
        };
        let mark = match sla_mark(target, remaining) {
            Some(SlaMark::AtRisk) if c.sla_risk_for.as_deref() == Some(c.due_at.as_str()) => {
                continue
            }
            Some(m) => m,
            None => continue,
        };
        let breached = mark == SlaMark::Breached;
        let data = serde_json::to_string(&EventData {
            reason: Some(
                if breached {
                    "sla_breached"
                } else {
                    "sla_at_risk"
                }
                .into(),
            ),
            ..Default::default()
        })?;
        marks.push((stmts.len(), breached));
        stmts.extend(sweeps::sla_mark(
            db, &c.id, &c.status, &c.due_at, breached, &now_s, &data,
        )?);
        let facts = Facts {
            company: c.company_name.clone(),
            number: c.number.clone(),
            subject: c.subject.clone(),
            link: crate::notify::ticket::link(&origin, &c.id),
            due: Some(crate::notify::ticket::office(&cal, due)),
            ..Default::default()
        };
        let (kind, to) = if breached {
            (
                Kind::SlaBreached,
                crate::repo::notices::Recipients {
                    user: c.assignee_id.as_deref(),
                    agents: c.assignee_id.is_none(),
                    admins: true,
                    ..Default::default()
                },
            )
        } else {
            (
                Kind::SlaAtRisk,
                crate::repo::notices::Recipients {
                    user: c.assignee_id.as_deref(),
                    agents: c.assignee_id.is_none(),
                    admins: false,
                    ..Default::default()
                },
            )
        };
        stmts.extend(crate::notify::ticket::statements(
            db,
            kind,
            &facts,
            &format!("{}:{}:{}", kind.as_str(), c.id, c.due_at),
            Some(&c.id),
            &to,
            Some((&c.id, &c.status)),
            at,
        )?);
    }
    if stmts.is_empty() {
        return Ok((0, 0));
    }
    let changes = tickets::run_sweep(db, stmts).await?;
    let count = |b: bool| {
        marks
            .iter()
            .filter(|m| m.1 == b)
            .map(|m| changes.get(m.0).copied().unwrap_or(0))
            .sum()
    };
    Ok((count(false), count(true)))
}

fn app_origin(env: &Env) -> String {
    env.var("APP_URL")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "http://127.0.0.1:8787".into())
}

/// P17: "reply to keep it open, otherwise it resolves on <date>", once per deadline.
async fn wait_reminders(env: &Env, db: &D1Database, at: DateTime<Utc>) -> ApiResult<usize> {
    use domain::notify::{reminder_due, Facts, Kind};
    let cal = BusinessCalendar::new(calendar::load(db).await?);
    let horizon = db_time(at + chrono::Duration::days(10));
    let now_s = db_time(at);
    let candidates = sweeps::wait_candidates(db, &now_s, &horizon, SLA_BATCH).await?;
    let origin = app_origin(env);
    let mut stmts = Vec::new();
    let mut updates = Vec::new();
    for c in &candidates {
        let Some(deadline) = crate::util::parse_db_time(&c.auto_close_at) else {
            continue;
        };
        if !reminder_due(cal.working_seconds_between(at, deadline)) {
            continue;
        }
        updates.push(stmts.len());
        stmts.extend(sweeps::reminded(db, &c.id, &c.auto_close_at, &now_s)?);
        let facts = Facts {
            company: c.company_name.clone(),
            number: c.number.clone(),
            subject: c.subject.clone(),
            link: crate::notify::ticket::link(&origin, &c.id),
            due: Some(crate::notify::ticket::office(&cal, deadline)),
            ..Default::default()
        };
        stmts.extend(crate::notify::ticket::statements(
            db,
            Kind::WaitReminder,
            &facts,
            &format!("wait_reminder:{}:{}", c.id, c.auto_close_at),
            Some(&c.id),
            &crate::repo::notices::Recipients {
                user: Some(&c.requester_id),
                ..Default::default()
            },
            Some((&c.id, "waiting_client")),
            at,
        )?);
    }
    if stmts.is_empty() {
        return Ok(0);
    }
    let changes = tickets::run_sweep(db, stmts).await?;
    Ok(updates
        .iter()
        .map(|i| changes.get(*i).copied().unwrap_or(0))
        .sum())
}

/// Notices of the P17 auto-resolve / auto-close for the tickets the rules are about to change.
async fn auto_close_notices(
    db: &D1Database,
    origin: &str,
    cal: &BusinessCalendar,
    at: DateTime<Utc>,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    use domain::notify::{Facts, Kind};
    let due = sweeps::auto_close_candidates(db, &db_time(at), sweeps::AUTO_CLOSE_BATCH).await?;
    let mut stmts = Vec::new();
    for c in &due {
        let (kind, reached) = if c.status == Status::Resolved.as_str() {
            (Kind::AutoClosed, Status::Closed)
        } else {
            (Kind::AutoResolved, Status::Resolved)
        };
        let facts = Facts {
            company: c.company_name.clone(),
            number: c.number.clone(),
            subject: c.subject.clone(),
            link: crate::notify::ticket::link(origin, &c.id),
            due: crate::util::parse_db_time(&c.auto_close_at)
                .map(|d| crate::notify::ticket::office(cal, d)),
            ..Default::default()
        };
        stmts.extend(crate::notify::ticket::statements(
            db,
            kind,
            &facts,
            &format!("{}:{}:{}", kind.as_str(), c.id, c.auto_close_at),
            Some(&c.id),
            &crate::repo::notices::Recipients {
                user: Some(&c.requester_id),
                ..Default::default()
            },
            Some((&c.id, reached.as_str())),
            at,
        )?);
    }
    Ok(stmts)
}

/// Rows looked at per run by the warranty, póliza and invoice rules (the next run takes
/// the rest: a sweep after a downtime catches up in a few runs, oldest first).
const NOTICE_BATCH: i64 = 100;

/// Sum of the `changes` of the statements at `idx` in a batch's results.
fn changed(changes: &[usize], idx: &[usize]) -> usize {
    idx.iter()
        .map(|i| changes.get(*i).copied().unwrap_or(0))
        .sum()
}

/// P18: once `reopen_until` passed (`domain::sweeps::warranty_ended`) the ticket is final:
/// marked for that window, a `warranty_ended` event on its timeline, the client told (a
/// notice that cannot be muted). One read of the candidates, one batch of guarded writes.
async fn warranty_end(env: &Env, db: &D1Database, at: DateTime<Utc>) -> ApiResult<usize> {
    use domain::notify::{Facts, Kind};
    let now_s = db_time(at);
    let candidates = sweeps::warranty_candidates(db, &now_s, NOTICE_BATCH).await?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let cal = BusinessCalendar::new(calendar::load(db).await?);
    let origin = app_origin(env);
    let mut stmts = Vec::new();
    let mut updates = Vec::new();
    for c in candidates
        .iter()
        .filter(|c| domain::sweeps::warranty_ended(&c.reopen_until, &now_s))
    {
        let data = serde_json::to_string(&EventData {
            reason: Some("warranty_ended".into()),
            ..Default::default()
        })?;
        updates.push(stmts.len());
        stmts.extend(sweeps::warranty_ended(db, c, &now_s, &data)?);
        stmts.extend(on_warranty_ended(db, &c.id)?);
        let facts = Facts {
            company: c.company_name.clone(),
            number: c.number.clone(),
            subject: c.subject.clone(),
            link: crate::notify::ticket::link(&origin, &c.id),
            due: crate::util::parse_db_time(&c.reopen_until)
                .map(|d| crate::notify::ticket::office(&cal, d)),
            ..Default::default()
        };
        stmts.extend(crate::notify::ticket::statements(
            db,
            Kind::WarrantyEnded,
            &facts,
            &format!("warranty_ended:{}:{}", c.id, c.reopen_until),
            Some(&c.id),
            &crate::repo::notices::Recipients {
                user: Some(&c.requester_id),
                ..Default::default()
            },
            Some((&c.id, &c.status)),
            at,
        )?);
    }
    let changes = tickets::run_sweep(db, stmts).await?;
    Ok(changed(&changes, &updates))
}

/// **Seam for the pólizas issue:** statements to run in the same batch as a ticket being
/// declared final (P18), e.g. purging the remote-session credentials stored on it (P15).
/// Nothing is stored yet, so nothing is purged.
fn on_warranty_ended(
    _db: &D1Database,
    _ticket_id: &str,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    Ok(Vec::new())
}

#[derive(Debug, Default)]
struct PolizaCounts {
    expiring: usize,
    hours_low: usize,
    expired: usize,
}

/// P19, P22: the company's clients and the admins are told 30 days before a póliza expires
/// by date, when 80 % of its hours are used and when it expires (by date or by hours), each
/// once per póliza. SQL prefilters by the bounds of `domain::sweeps::poliza_window`;
/// `domain::sweeps::poliza_notices` decides; one batch of guarded writes.
async fn polizas(env: &Env, db: &D1Database, at: DateTime<Utc>) -> ApiResult<PolizaCounts> {
    use domain::contract::{Contract, Plan};
    use domain::notify::{Facts, Kind};
    use domain::sweeps::{poliza_notices, poliza_window, PolizaNotice, HOURS_NOTICE_PERCENT};
    use sweeps::PolizaMark;
    let cal = BusinessCalendar::new(calendar::load(db).await?);
    let today = cal.local_date(at);
    let w = poliza_window(today);
    let (t, from, through, expiring) = (
        w.today.to_string(),
        w.expired_from.to_string(),
        w.expired_through.to_string(),
        w.expiring_through.to_string(),
    );
    let bounds = sweeps::PolizaBounds {
        today: &t,
        expired_from: &from,
        expired_through: &through,
        expiring_through: &expiring,
        hours_percent: HOURS_NOTICE_PERCENT,
    };
    let candidates = sweeps::poliza_candidates(db, &bounds, NOTICE_BATCH).await?;
    let origin = app_origin(env);
    let now_s = db_time(at);
    let mut stmts = Vec::new();
    let mut idx: [Vec<usize>; 3] = Default::default();
    for c in &candidates {
        let (Ok(plan), Ok(starts_on)) = (
            c.plan.parse::<Plan>(),
            chrono::NaiveDate::parse_from_str(&c.starts_on, "%Y-%m-%d"),
        ) else {
            continue;
        };
        let contract = Contract {
            plan,
            hours_total: c.hours_total.max(0) as u32,
            hours_used: c.hours_used.max(0) as u32,
            starts_on,
        };
        for notice in poliza_notices(&contract, today) {
            let (kind, mark, slot) = match notice {
                PolizaNotice::Expiring if c.notice_expiring_at.is_none() => {
                    (Kind::PolizaExpiring, PolizaMark::Expiring, 0)
                }
                PolizaNotice::HoursLow if c.notice_hours_at.is_none() => {
                    (Kind::PolizaHoursLow, PolizaMark::Hours, 1)
                }
                PolizaNotice::ExpiredByDate | PolizaNotice::ExpiredByHours => {
                    (Kind::PolizaExpired, PolizaMark::Expired, 2)
                }
                _ => continue,
            };
            idx[slot].push(stmts.len());
            stmts.push(sweeps::poliza_marked(db, &c.id, mark, &now_s)?);
            let facts = Facts {
                company: c.company_name.clone(),
                link: format!("{origin}/"),
                due: Some(contract.expires_on().to_string()),
                plan: Some(plan),
                hours: Some((c.hours_used, c.hours_total)),
                by_hours: notice == PolizaNotice::ExpiredByHours,
                ..Default::default()
            };
            stmts.extend(company_notice(
                db,
                kind,
                &facts,
                &format!("{}:{}", kind.as_str(), c.id),
                &c.company_id,
                at,
            )?);
        }
    }
    if stmts.is_empty() {
        return Ok(PolizaCounts::default());
    }
    let changes = tickets::run_sweep(db, stmts).await?;
    Ok(PolizaCounts {
        expiring: changed(&changes, &idx[0]),
        hours_low: changed(&changes, &idx[1]),
        expired: changed(&changes, &idx[2]),
    })
}

/// P26: an invoice past its due date (`domain::sweeps::overdue_if_due_before`) tells the
/// company's clients and the admins once. The company is "with debts" from then on: that
/// state is read from the unpaid invoices wherever it matters (P19), never stored twice.
async fn overdue_invoices(env: &Env, db: &D1Database, at: DateTime<Utc>) -> ApiResult<usize> {
    use domain::notify::{Facts, Kind};
    let cal = BusinessCalendar::new(calendar::load(db).await?);
    let before = domain::sweeps::overdue_if_due_before(cal.local_date(at)).to_string();
    let candidates = sweeps::overdue_invoices(db, &before, NOTICE_BATCH).await?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let origin = app_origin(env);
    let now_s = db_time(at);
    let mut stmts = Vec::new();
    let mut updates = Vec::new();
    for c in &candidates {
        updates.push(stmts.len());
        stmts.push(sweeps::invoice_marked(db, &c.id, &now_s)?);
        let facts = Facts {
            company: c.company_name.clone(),
            link: format!("{origin}/"),
            due: Some(c.due_on.clone()),
            amount_cents: Some(c.amount_cents),
            ..Default::default()
        };
        stmts.extend(company_notice(
            db,
            Kind::InvoiceOverdue,
            &facts,
            &format!("invoice_overdue:{}", c.id),
            &c.company_id,
            at,
        )?);
    }
    let changes = tickets::run_sweep(db, stmts).await?;
    Ok(changed(&changes, &updates))
}

/// A notice to every client of `company_id` and every admin (not about one ticket).
fn company_notice(
    db: &D1Database,
    kind: domain::notify::Kind,
    facts: &domain::notify::Facts,
    dedupe_key: &str,
    company_id: &str,
    at: DateTime<Utc>,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    crate::notify::ticket::statements(
        db,
        kind,
        facts,
        dedupe_key,
        None,
        &crate::repo::notices::Recipients {
            admins: true,
            company: Some(company_id),
            ..Default::default()
        },
        None,
        at,
    )
}
