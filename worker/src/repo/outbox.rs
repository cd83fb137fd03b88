//! The e-mail outbox, the dev mailbox and the dev-only knobs (issue 11).
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{all, first, n, run, s, stmt};
use crate::error::ApiResult;

pub fn insert(db: &D1Database, args: &[JsValue]) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT OR IGNORE INTO outbox (user_id, to_email, lang, kind, subject, text, html, \
         dedupe_key, status, attempts, next_attempt_at, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?9)",
        args,
    )
}

#[derive(Debug, Deserialize)]
pub struct Claimed {
    pub id: i64,
    pub to_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub dedupe_key: String,
    pub attempts: i64,
    /// How it is being delivered (`queue` | `drain`), set by the caller; the dev mailbox
    /// records it.
    #[serde(default)]
    pub via: Option<String>,
}

const RETURNED: &str = "id, to_email, subject, text, html, dedupe_key, attempts";

/// Takes up to `limit` due rows: one guarded statement, so concurrent drains split the
/// rows between them instead of sharing any. Claiming bumps `attempts` and leases the row
/// until `lease_until`.
pub async fn claim(
    db: &D1Database,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> ApiResult<Vec<Claimed>> {
    all(
        db,
        &format!(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, claimed_at = ?1 \
             WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 \
                          ORDER BY next_attempt_at, id LIMIT ?3) \
               AND status = 'pending' AND next_attempt_at <= ?1 \
             RETURNING {RETURNED}"
        ),
        &[s(now), s(lease_until), n(limit)],
    )
    .await
}

/// Takes row `id` if it is due (the queue consumer's claim): the same guard as [`claim`],
/// so a message delivered twice by the queue, or a cron re-enqueue racing a retry, sends
/// the row once.
pub async fn claim_one(
    db: &D1Database,
    id: i64,
    now: &str,
    lease_until: &str,
) -> ApiResult<Option<Claimed>> {
    first(
        db,
        &format!(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?3, claimed_at = ?2 \
             WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?2 \
             RETURNING {RETURNED}"
        ),
        &[n(id), s(now), s(lease_until)],
    )
    .await
}

/// Takes the due `pending` rows not put on the queue since `stale_before` (oldest first, at
/// most `limit`; index `outbox_due`) and marks them queued now: what a request or a cron
/// run puts on the queue. One guarded statement, so concurrent dispatches split the rows.
pub async fn take_for_queue(
    db: &D1Database,
    now: &str,
    stale_before: &str,
    limit: i64,
) -> ApiResult<Vec<i64>> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    Ok(all::<Id>(
        db,
        "UPDATE outbox SET enqueued_at = ?1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 \
                        AND (enqueued_at IS NULL OR enqueued_at <= ?2) \
                      ORDER BY next_attempt_at, id LIMIT ?3) \
           AND status = 'pending' AND (enqueued_at IS NULL OR enqueued_at <= ?2) \
         RETURNING id",
        &[s(now), s(stale_before), n(limit)],
    )
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect())
}

/// Dev only: rows to `to` queued or taken within `recent` and not finished yet.
pub async fn dev_busy(db: &D1Database, to: &str, now: &str, recent: &str) -> ApiResult<i64> {
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    Ok(first::<N>(
        db,
        "SELECT COUNT(*) AS n FROM outbox WHERE to_email = ?1 AND status = 'pending' \
           AND (next_attempt_at <= ?2 OR claimed_at >= ?3)",
        &[s(to), s(now), s(recent)],
    )
    .await?
    .map(|r| r.n)
    .unwrap_or(0))
}

pub async fn mark_sent(db: &D1Database, id: i64, now: &str) -> ApiResult<()> {
    run(
        db,
        "UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL, claimed_at = NULL, \
           enqueued_at = NULL WHERE id = ?1 AND status = 'pending'",
        &[n(id), s(now)],
    )
    .await?;
    Ok(())
}

pub async fn mark_failed(
    db: &D1Database,
    id: i64,
    next: &str,
    give_up: bool,
    error: &str,
) -> ApiResult<()> {
    run(
        db,
        "UPDATE outbox SET status = CASE WHEN ?3 = 1 THEN 'failed' ELSE 'pending' END, \
         next_attempt_at = ?2, last_error = ?4, claimed_at = NULL, enqueued_at = NULL \
         WHERE id = ?1 AND status = 'pending'",
        &[n(id), s(next), n(give_up as i64), s(error)],
    )
    .await?;
    Ok(())
}

/// The dead-letter queue's verdict: the row is `failed` (unless it was sent meanwhile).
pub async fn give_up(db: &D1Database, id: i64, error: &str) -> ApiResult<()> {
    run(
        db,
        "UPDATE outbox SET status = 'failed', last_error = ?2, claimed_at = NULL, enqueued_at = NULL \
         WHERE id = ?1 AND status = 'pending'",
        &[n(id), s(error)],
    )
    .await?;
    Ok(())
}

// --- dev mailbox -------------------------------------------------------------------

pub async fn dev_store(db: &D1Database, m: &Claimed, now: &str) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO dev_mailbox (outbox_id, to_email, subject, text, html, created_at, via) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            n(m.id),
            s(&m.to_email),
            s(&m.subject),
            s(&m.text),
            s(&m.html),
            s(now),
            super::opt(m.via.as_deref()),
        ],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct DevMailRow {
    #[serde(default)]
    pub via: Option<String>,
    pub to_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub created_at: String,
}

pub async fn dev_mailbox(db: &D1Database, to: &str, limit: i64) -> ApiResult<Vec<DevMailRow>> {
    all(
        db,
        "SELECT to_email, subject, text, html, created_at, via FROM dev_mailbox \
         WHERE to_email = ?1 ORDER BY id DESC LIMIT ?2",
        &[s(to), n(limit)],
    )
    .await
}

// --- dev knobs ---------------------------------------------------------------------

pub async fn dev_get(db: &D1Database, key: &str) -> ApiResult<i64> {
    #[derive(Deserialize)]
    struct V {
        value: i64,
    }
    let row: Option<V> = first(db, "SELECT value FROM dev_state WHERE key = ?1", &[s(key)]).await?;
    Ok(row.map(|r| r.value).unwrap_or(0))
}

pub async fn dev_set(db: &D1Database, key: &str, value: i64) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO dev_state (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        &[s(key), n(value)],
    )
    .await?;
    Ok(())
}

/// Takes one simulated failure if any is left (returns whether one was taken).
pub async fn dev_take_failure(db: &D1Database) -> ApiResult<bool> {
    dev_take(db, "mail_failures").await
}

/// Takes one unit of the dev knob `key` if any is left (returns whether one was taken).
pub async fn dev_take(db: &D1Database, key: &str) -> ApiResult<bool> {
    Ok(run(
        db,
        "UPDATE dev_state SET value = value - 1 WHERE key = ?1 AND value > 0",
        &[s(key)],
    )
    .await?
        > 0)
}

/// Dev only: a póliza's consumed hours (0 ≤ hours ≤ total). Returns whether it exists.
/// Dev only: sets the hours used through the ledger (a correction; the ledger stays the one
/// source of the balance). Returns whether the póliza exists.
pub async fn dev_contract_hours(db: &D1Database, id: &str, hours_used: i64) -> ApiResult<bool> {
    let exists = run(
        db,
        "INSERT INTO ledger_entries (contract_id, company_id, kind, hours, reason, created_at) \
         SELECT id, company_id, 'correction', hours_used - MIN(?2, hours_total), \
           'dev: horas usadas / hours used', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') \
         FROM contracts WHERE id = ?1 AND hours_used <> MIN(?2, hours_total)",
        &[s(id), n(hours_used)],
    )
    .await?
        > 0;
    Ok(exists || run(db, "UPDATE contracts SET id = id WHERE id = ?1", &[s(id)]).await? > 0)
}

/// Dev only: an unpaid invoice of an existing company. Returns whether it was stored.
pub async fn dev_invoice(
    db: &D1Database,
    id: &str,
    company_id: &str,
    amount_cents: i64,
    delivered_on: &str,
    due_on: &str,
    now: &str,
) -> ApiResult<bool> {
    Ok(run(
        db,
        "INSERT INTO invoices (id, company_id, amount_cents, delivered_on, due_on, created_at) \
         SELECT ?1, c.id, ?3, ?4, ?5, ?6 FROM companies c WHERE c.id = ?2",
        &[
            s(id),
            s(company_id),
            n(amount_cents),
            s(delivered_on),
            s(due_on),
            s(now),
        ],
    )
    .await?
        > 0)
}
