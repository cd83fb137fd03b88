//! Records of scheduled sweep runs.
use worker::D1Database;

use super::{first, n, run, s};
use crate::error::ApiResult;

pub async fn start(db: &D1Database, cron: &str, now: &str) -> ApiResult<i64> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    let row: Option<Id> = first(
        db,
        "INSERT INTO sweep_runs (cron, started_at) VALUES (?1, ?2) RETURNING id",
        &[s(cron), s(now)],
    )
    .await?;
    Ok(row.map(|r| r.id).unwrap_or(0))
}

pub async fn finish(db: &D1Database, id: i64, now: &str, counts_json: &str) -> ApiResult<()> {
    run(
        db,
        "UPDATE sweep_runs SET finished_at = ?2, counts = ?3 WHERE id = ?1",
        &[n(id), s(now), s(counts_json)],
    )
    .await?;
    Ok(())
}

#[derive(Debug, serde::Deserialize)]
pub struct SweepRun {
    pub id: i64,
    pub cron: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub counts: Option<String>,
}

pub async fn recent(db: &D1Database, limit: i64) -> ApiResult<Vec<SweepRun>> {
    super::all(
        db,
        "SELECT id, cron, started_at, finished_at, counts FROM sweep_runs ORDER BY id DESC LIMIT ?1",
        &[n(limit)],
    )
    .await
}

/// A running target the SLA sweep looks at.
#[derive(Debug, serde::Deserialize)]
pub struct SlaCandidate {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub priority: String,
    pub status: String,
    pub due_at: String,
    pub assignee_id: Option<String>,
    pub company_name: String,
    pub sla_risk_for: Option<String>,
}

/// Open, unpaused tickets due before `horizon` whose current target is not marked
/// breached yet, soonest first (index `tickets_sla_running`), at most `limit`.
pub async fn sla_candidates(
    db: &D1Database,
    horizon: &str,
    limit: i64,
) -> ApiResult<Vec<SlaCandidate>> {
    super::all(
        db,
        "SELECT t.id, t.number, t.subject, t.priority, t.status, t.due_at, t.assignee_id, \
           c.name AS company_name, t.sla_risk_for \
         FROM tickets t JOIN companies c ON c.id = t.company_id \
         WHERE t.status IN ('new', 'open') AND t.paused_since IS NULL AND t.due_at IS NOT NULL \
           AND t.due_at <= ?1 AND (t.sla_breach_for IS NULL OR t.sla_breach_for <> t.due_at) \
         ORDER BY t.due_at LIMIT ?2",
        &[s(horizon), n(limit)],
    )
    .await
}

/// Marks the ticket's current target at risk (`breached = false`) or breached, once: the
/// UPDATE is guarded by the due time it was computed for, and the event row is written
/// only when that UPDATE changed the ticket (`changes()`).
pub fn sla_mark(
    db: &D1Database,
    ticket_id: &str,
    status: &str,
    due_at: &str,
    breached: bool,
    now: &str,
    event_data: &str,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let update = if breached {
        "UPDATE tickets SET sla_breach_for = ?3, sla_breached_at = ?3, \
           sla_risk_for = COALESCE(sla_risk_for, ?3), sla_at_risk_at = COALESCE(sla_at_risk_at, ?4) \
         WHERE id = ?1 AND status = ?2 AND due_at = ?3 AND paused_since IS NULL \
           AND (sla_breach_for IS NULL OR sla_breach_for <> ?3)"
    } else {
        "UPDATE tickets SET sla_risk_for = ?3, sla_at_risk_at = ?4 \
         WHERE id = ?1 AND status = ?2 AND due_at = ?3 AND paused_since IS NULL \
           AND (sla_risk_for IS NULL OR sla_risk_for <> ?3)"
    };
    Ok(vec![
        super::stmt(db, update, &[s(ticket_id), s(status), s(due_at), s(now)])?,
        super::stmt(
            db,
            "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
             SELECT ?1, NULL, 'sweep', ?2, ?3, ?4 WHERE changes() > 0",
            &[
                s(ticket_id),
                s(if breached {
                    "sla_breached"
                } else {
                    "sla_at_risk"
                }),
                s(event_data),
                s(now),
            ],
        )?,
    ])
}

/// A ticket waiting for the client's answer (P17).
#[derive(Debug, serde::Deserialize)]
pub struct WaitCandidate {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub auto_close_at: String,
    pub requester_id: String,
    pub company_name: String,
}

/// `waiting_client` tickets whose deadline is between `now` and `horizon` and not reminded
/// for that deadline yet (index `tickets_auto_close`), soonest first, at most `limit`.
pub async fn wait_candidates(
    db: &D1Database,
    now: &str,
    horizon: &str,
    limit: i64,
) -> ApiResult<Vec<WaitCandidate>> {
    super::all(
        db,
        "SELECT t.id, t.number, t.subject, t.auto_close_at, t.requester_id, c.name AS company_name \
         FROM tickets t JOIN companies c ON c.id = t.company_id \
         WHERE t.auto_close_at IS NOT NULL AND t.auto_close_at > ?1 AND t.auto_close_at <= ?2 \
           AND t.status = 'waiting_client' \
           AND (t.reminder_for IS NULL OR t.reminder_for <> t.auto_close_at) \
         ORDER BY t.auto_close_at LIMIT ?3",
        &[s(now), s(horizon), n(limit)],
    )
    .await
}

/// Records the reminder for this deadline (once) and its event.
pub fn reminded(
    db: &D1Database,
    ticket_id: &str,
    auto_close_at: &str,
    now: &str,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    Ok(vec![
        super::stmt(
            db,
            "UPDATE tickets SET reminder_for = ?2 WHERE id = ?1 AND status = 'waiting_client' \
               AND auto_close_at = ?2 AND (reminder_for IS NULL OR reminder_for <> ?2)",
            &[s(ticket_id), s(auto_close_at)],
        )?,
        super::stmt(
            db,
            "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
             SELECT ?1, NULL, 'sweep', 'wait_reminder', NULL, ?2 WHERE changes() > 0",
            &[s(ticket_id), s(now)],
        )?,
    ])
}

/// A ticket whose 48 h wait ended (P17), read before the auto-close rule runs.
#[derive(Debug, serde::Deserialize)]
pub struct AutoCloseCandidate {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub auto_close_at: String,
    pub requester_id: String,
    pub company_name: String,
}

pub async fn auto_close_candidates(
    db: &D1Database,
    now: &str,
    limit: i64,
) -> ApiResult<Vec<AutoCloseCandidate>> {
    super::all(
        db,
        "SELECT t.id, t.number, t.subject, t.status, t.auto_close_at, t.requester_id, \
           c.name AS company_name \
         FROM tickets t JOIN companies c ON c.id = t.company_id \
         WHERE t.auto_close_at IS NOT NULL AND t.auto_close_at <= ?1 \
           AND t.status IN ('waiting_client', 'resolved') \
         ORDER BY t.auto_close_at LIMIT ?2",
        &[s(now), n(limit)],
    )
    .await
}
