//! Records of scheduled sweep runs.
use worker::D1Database;

use super::{first, n, run, s, sql};
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
/// breached yet, soonest first (index `tickets_sla_unmarked`, whose condition the WHERE
/// repeats word for word so SQLite may use it), at most `limit`.
pub async fn sla_candidates(
    db: &D1Database,
    horizon: &str,
    limit: i64,
) -> ApiResult<Vec<SlaCandidate>> {
    super::all(db, sql::SLA_CANDIDATES, &[s(horizon), n(limit)]).await
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
             SELECT ?1, NULL, 'sweep', ?2, ?3, ?4 WHERE changes() > 0 \
             RETURNING ticket_id AS changed_ticket, kind AS changed_what, json_extract(data, '$.to') AS changed_status",
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
    super::all(db, sql::WAIT_CANDIDATES, &[s(now), s(horizon), n(limit)]).await
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
             SELECT ?1, NULL, 'sweep', 'wait_reminder', NULL, ?2 WHERE changes() > 0 \
             RETURNING ticket_id AS changed_ticket, kind AS changed_what, json_extract(data, '$.to') AS changed_status",
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

/// Tickets per status each run resolves / closes after the 48 h wait (the rule's LIMIT in
/// `tickets::auto_close_rule`); the next run takes the rest.
pub const AUTO_CLOSE_BATCH: i64 = 250;

/// The soonest [`AUTO_CLOSE_BATCH`] of each status, exactly the rows the rule changes.
pub async fn auto_close_candidates(
    db: &D1Database,
    now: &str,
    limit: i64,
) -> ApiResult<Vec<AutoCloseCandidate>> {
    super::all(
        db,
        sql::AUTO_CLOSE_CANDIDATES,
        &[s(now), n(limit.min(AUTO_CLOSE_BATCH))],
    )
    .await
}

// --- warranty end (P18) --------------------------------------------------------------

/// A ticket whose correction warranty ended and that is not declared final yet.
#[derive(Debug, serde::Deserialize)]
pub struct WarrantyCandidate {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub reopen_until: String,
    pub requester_id: String,
    pub company_name: String,
}

/// Windows that ended by `now` (`reopen_until <= now`, as `domain::sweeps::warranty_ended`
/// decides), soonest first, at most `limit`; the next run takes the rest.
pub async fn warranty_candidates(
    db: &D1Database,
    now: &str,
    limit: i64,
) -> ApiResult<Vec<WarrantyCandidate>> {
    super::all(db, sql::WARRANTY_CANDIDATES, &[s(now), n(limit)]).await
}

/// Declares the ticket final for this window (once: guarded by the window and the status
/// read) and writes its `warranty_ended` event only when that UPDATE changed it.
pub fn warranty_ended(
    db: &D1Database,
    c: &WarrantyCandidate,
    now: &str,
    event_data: &str,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    Ok(vec![
        super::stmt(
            db,
            "UPDATE tickets SET warranty_ended_for = reopen_until \
             WHERE id = ?1 AND status = ?2 AND reopen_until = ?3 \
               AND warranty_ended_for IS NOT reopen_until",
            &[s(&c.id), s(&c.status), s(&c.reopen_until)],
        )?,
        super::stmt(
            db,
            "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
             SELECT ?1, NULL, 'sweep', 'warranty_ended', ?2, ?3 WHERE changes() > 0 \
             RETURNING ticket_id AS changed_ticket, kind AS changed_what, json_extract(data, '$.to') AS changed_status",
            &[s(&c.id), s(event_data), s(now)],
        )?,
    ])
}

// --- pólizas (P19, P22) ---------------------------------------------------------------

/// A póliza that may deserve a notice; `domain::sweeps::poliza_notices` decides which.
#[derive(Debug, serde::Deserialize)]
pub struct PolizaCandidate {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub plan: String,
    pub hours_total: i64,
    pub hours_used: i64,
    pub starts_on: String,
    pub notice_expiring_at: Option<String>,
    pub notice_hours_at: Option<String>,
}

/// The bounds `domain::sweeps::poliza_window` gives, as `YYYY-MM-DD`.
pub struct PolizaBounds<'a> {
    pub today: &'a str,
    pub expired_from: &'a str,
    pub expired_through: &'a str,
    pub expiring_through: &'a str,
    pub hours_percent: i64,
}

/// The company's póliza in force (not replaced by a correction, the latest started one)
/// that expired by date since `expired_from`, or is still running and used up its hours,
/// reached `hours_percent` of them, or expires by `expiring_through` — each not told yet.
/// Index `contracts_notice_pending` over `[expired_from, today]`.
pub async fn poliza_candidates(
    db: &D1Database,
    b: &PolizaBounds<'_>,
    limit: i64,
) -> ApiResult<Vec<PolizaCandidate>> {
    super::all(
        db,
        sql::POLIZA_CANDIDATES,
        &[
            s(b.today),
            s(b.expired_from),
            s(b.expired_through),
            s(b.expiring_through),
            n(b.hours_percent),
            n(limit),
        ],
    )
    .await
}

/// Which of a póliza's notices was sent (its column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolizaMark {
    Expiring,
    Hours,
    Expired,
}

/// Records the notice once (`IS NULL` guard); the notice's rows are deduplicated by key.
pub fn poliza_marked(
    db: &D1Database,
    contract_id: &str,
    mark: PolizaMark,
    now: &str,
) -> ApiResult<worker::D1PreparedStatement> {
    let col = match mark {
        PolizaMark::Expiring => "notice_expiring_at",
        PolizaMark::Hours => "notice_hours_at",
        PolizaMark::Expired => "notice_expired_at",
    };
    super::stmt(
        db,
        &format!("UPDATE contracts SET {col} = ?2 WHERE id = ?1 AND {col} IS NULL"),
        &[s(contract_id), s(now)],
    )
}

// --- overdue invoices (P26) -----------------------------------------------------------

#[derive(Debug, serde::Deserialize)]
pub struct InvoiceCandidate {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub amount_cents: i64,
    pub due_on: String,
}

/// Unpaid invoices due before `before` (`domain::sweeps::overdue_if_due_before`) not told
/// yet, oldest first (index `invoices_overdue_pending`).
pub async fn overdue_invoices(
    db: &D1Database,
    before: &str,
    limit: i64,
) -> ApiResult<Vec<InvoiceCandidate>> {
    super::all(db, sql::OVERDUE_INVOICES, &[s(before), n(limit)]).await
}

pub fn invoice_marked(
    db: &D1Database,
    invoice_id: &str,
    now: &str,
) -> ApiResult<worker::D1PreparedStatement> {
    super::stmt(
        db,
        "UPDATE invoices SET overdue_notified_at = ?2 \
         WHERE id = ?1 AND paid_on IS NULL AND overdue_notified_at IS NULL",
        &[s(invoice_id), s(now)],
    )
}
