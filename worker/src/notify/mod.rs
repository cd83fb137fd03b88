//! E-mail notifications through an outbox (issue 11).
//!
//! Callers build an [`Email`] and add [`enqueue`]'s statement to the batch that makes the
//! change the e-mail tells about, so the change and its notice commit together. [`drain`]
//! delivers due rows through a [`Transport`] after the request (`ctx.wait_until`) and on
//! every cron run. A row is claimed by one guarded `UPDATE … RETURNING` that bumps
//! `attempts` and leases it (`next_attempt_at` moves forward), so two drains never send the
//! same row; a drain that dies mid-way leaves it `pending` for the next one after the lease.
pub mod ticket;
pub mod transport;

use chrono::{DateTime, Duration, Utc};
use domain::validation::Lang;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::error::ApiResult;
pub use crate::repo::outbox::Claimed;
use crate::repo::{opt, outbox, s};
use crate::util::db_time;
pub use transport::{select as transport_for, Transport};

/// One e-mail to send. `dedupe_key` is unique in the outbox: enqueueing the same key twice
/// (a retried request, two concurrent sweeps) stores and sends it once.
#[derive(Debug, Clone)]
pub struct Email {
    pub user_id: Option<String>,
    pub to: String,
    pub lang: Lang,
    pub kind: String,
    pub dedupe_key: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How long a claimed row is leased to the drain that took it.
pub const LEASE_SECS: i64 = 120;
/// Attempts before a row is marked `failed`.
pub const MAX_ATTEMPTS: i64 = 8;
/// Dev knob: the next N drains stop right after claiming, as a Worker killed mid-drain.
pub const DEV_STALLS: &str = "drain_stalls";
/// Rows taken per drain round.
const CLAIM_LIMIT: i64 = 50;

/// The INSERT (OR IGNORE on `dedupe_key`) for the caller's own write batch.
pub fn enqueue(
    db: &D1Database,
    email: &Email,
    now: DateTime<Utc>,
) -> ApiResult<D1PreparedStatement> {
    outbox::insert(
        db,
        &[
            opt(email.user_id.as_deref()),
            s(&email.to),
            s(email.lang.as_str()),
            s(&email.kind),
            s(&email.subject),
            s(&email.text),
            s(&email.html),
            s(&email.dedupe_key),
            s(&db_time(now)),
        ],
    )
}

/// Backoff after the `attempts`-th failed try: 30 s, 1, 2, 4 … minutes, capped at 1 h.
pub fn backoff(attempts: i64) -> Duration {
    let secs = 30i64.saturating_mul(1 << attempts.clamp(0, 7));
    Duration::seconds(secs.min(3600))
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct DrainCounts {
    pub sent: usize,
    pub retry: usize,
    pub failed: usize,
}

/// Delivers every due `pending` row (bounded: a few rounds of [`CLAIM_LIMIT`]).
pub async fn drain(env: &Env, db: &D1Database, now: DateTime<Utc>) -> ApiResult<DrainCounts> {
    let mut counts = DrainCounts::default();
    let Some(transport) = transport_for(env, db) else {
        return Ok(counts);
    };
    let now_s = db_time(now);
    let lease = db_time(now + Duration::seconds(LEASE_SECS));
    for _ in 0..4 {
        let rows = outbox::claim(db, &now_s, &lease, CLAIM_LIMIT).await?;
        let taken = rows.len();
        // Dev only: a drain that "dies" right after claiming (tests of the lease).
        if taken > 0 && dev_enabled(env) && outbox::dev_take(db, DEV_STALLS).await? {
            worker::console_warn!("dev: drain stopped after claiming {taken} rows");
            return Ok(counts);
        }
        for row in rows {
            match transport.send(&row).await {
                Ok(()) => {
                    outbox::mark_sent(db, row.id, &now_s).await?;
                    counts.sent += 1;
                }
                Err(e) => {
                    let give_up = row.attempts >= MAX_ATTEMPTS;
                    worker::console_warn!("outbox {} attempt {}: {e}", row.id, row.attempts);
                    let next = db_time(now + backoff(row.attempts));
                    let err: String = e.chars().take(500).collect();
                    outbox::mark_failed(db, row.id, &next, give_up, &err).await?;
                    if give_up {
                        counts.failed += 1;
                    } else {
                        counts.retry += 1;
                    }
                }
            }
        }
        if taken < CLAIM_LIMIT as usize {
            break;
        }
    }
    Ok(counts)
}

/// Whether the dev-only features (dev mailbox, dev clock) are on: `MDS_DEV = "1"`, passed
/// by `cargo xtask dev` / `test` to wrangler and never set in `wrangler.toml`.
pub fn dev_enabled(env: &Env) -> bool {
    env.var("MDS_DEV")
        .map(|v| v.to_string() == "1")
        .unwrap_or(false)
}
