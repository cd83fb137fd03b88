//! E-mail notifications through an outbox (issue 11).
//!
//! Callers build an [`Email`] and add [`enqueue`]'s statement to the batch that makes the
//! change the e-mail tells about, so the change and its notice commit together. Delivery
//! runs on **Cloudflare Queues** (binding `OUTBOX_QUEUE`, consumer in this Worker, dead
//! letters to `mds-outbox-dlq`): after the request (`ctx.wait_until`) and on every cron run
//! [`dispatch`] puts the ids of due rows on the queue; [`consume`] claims each row by one
//! guarded `UPDATE … RETURNING` (it bumps `attempts` and leases the row), sends it and marks
//! it sent, or hands it back and asks the queue to retry after the backoff. A message the
//! queue delivers twice, or a cron re-enqueue racing a retry, finds the row taken or sent and
//! is acknowledged: each row is sent once. A consumer that dies after claiming leaves the
//! row `pending`; the cron re-enqueues it once the lease ends. Without the queue binding
//! [`dispatch`] falls back to draining the due rows itself ([`drain`]), with the same rule.
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
    /// Row ids put on the queue.
    pub enqueued: usize,
    /// Delivered / handed back for a retry / given up, by this run itself (only without the
    /// queue binding: otherwise the consumer delivers).
    pub sent: usize,
    pub retry: usize,
    pub failed: usize,
}

/// The queue's producer binding and its dead-letter queue (wrangler.toml).
pub const QUEUE_BINDING: &str = "OUTBOX_QUEUE";
pub const DEAD_LETTER_QUEUE: &str = "mds-outbox-dlq";
/// Row ids per queue `sendBatch` (it takes at most 100), and batches per dispatch.
const DISPATCH_LIMIT: i64 = 100;
const DISPATCH_ROUNDS: usize = 10;

/// A row put on the queue is put on it again only after this long without an outcome (a
/// lost message, a consumer that died); a handed-back row is queued again when due.
const REQUEUE_AFTER_SECS: i64 = 120;

/// A queue message: one outbox row to deliver.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Job {
    pub id: i64,
}

/// What one delivery attempt of a claimed row came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Handed back: try again after this backoff.
    Retry(Duration),
    /// `MAX_ATTEMPTS` reached: marked `failed`.
    Failed,
}

/// Sends one claimed row and records the result: the one rule for the queue consumer and
/// the fallback drain.
pub async fn deliver(
    transport: &dyn Transport,
    db: &D1Database,
    row: &Claimed,
    now: DateTime<Utc>,
) -> ApiResult<Outcome> {
    let now_s = db_time(now);
    match transport.send(row).await {
        Ok(()) => {
            outbox::mark_sent(db, row.id, &now_s).await?;
            Ok(Outcome::Sent)
        }
        Err(e) => {
            let give_up = row.attempts >= MAX_ATTEMPTS;
            worker::console_warn!("outbox {} attempt {}: {e}", row.id, row.attempts);
            let wait = backoff(row.attempts);
            let err: String = e.chars().take(500).collect();
            outbox::mark_failed(db, row.id, &db_time(now + wait), give_up, &err).await?;
            Ok(if give_up {
                Outcome::Failed
            } else {
                Outcome::Retry(wait)
            })
        }
    }
}

/// After a request that wrote outbox rows, and on every cron run: the due rows go on the
/// queue (the cron thereby re-enqueues anything left unsent: a lost message, a consumer
/// that died, a retry whose turn came). Without the queue binding, drains them here.
pub async fn dispatch(env: &Env, db: &D1Database, now: DateTime<Utc>) -> ApiResult<DrainCounts> {
    let Ok(queue) = env.queue(QUEUE_BINDING) else {
        return drain(env, db, now).await;
    };
    let stale = db_time(now - Duration::seconds(REQUEUE_AFTER_SECS));
    let mut enqueued = 0;
    // A backlog (a downtime, a sweep that told many people at once) goes out in one run,
    // bounded: at most DISPATCH_ROUNDS batches.
    for _ in 0..DISPATCH_ROUNDS {
        let ids = outbox::take_for_queue(db, &db_time(now), &stale, DISPATCH_LIMIT).await?;
        if ids.is_empty() {
            break;
        }
        let batch = worker::BatchMessageBuilder::new()
            .messages(ids.iter().map(|&id| Job { id }))
            .build();
        queue.send_batch(batch).await?;
        enqueued += ids.len();
        if (ids.len() as i64) < DISPATCH_LIMIT {
            break;
        }
    }
    Ok(DrainCounts {
        enqueued,
        ..Default::default()
    })
}

/// The queue consumer. Each message is acknowledged once its row is sent, given up, or
/// found already taken; a failed send is retried by the queue after the row's backoff.
/// Messages that reach the dead-letter queue mark their row `failed`.
pub async fn consume(env: &Env, batch: &worker::MessageBatch<Job>) -> ApiResult<DrainCounts> {
    use worker::MessageExt;
    let db = env.d1("DB")?;
    crate::routes::dev::load_clock(env, &db).await?;
    let mut counts = DrainCounts::default();
    let messages = batch.messages()?;
    if batch.queue() == DEAD_LETTER_QUEUE {
        for m in &messages {
            outbox::give_up(&db, m.body().id, "the queue gave up (dead-letter queue)").await?;
            counts.failed += 1;
            m.ack();
        }
        return Ok(counts);
    }
    let Some(transport) = transport_for(env, &db) else {
        // Nothing can send: the rows stay `pending` for when a transport is configured.
        batch.ack_all();
        return Ok(counts);
    };
    // Claim first, then send: a consumer that dies in between leaves every claimed row
    // leased, for the cron to re-enqueue after the lease.
    let now = crate::util::now();
    let lease = db_time(now + Duration::seconds(LEASE_SECS));
    let mut claimed = Vec::new();
    for m in &messages {
        match outbox::claim_one(&db, m.body().id, &db_time(now), &lease).await? {
            Some(row) => claimed.push((m, row)),
            None => m.ack(), // sent already, or taken by another delivery
        }
    }
    // Dev only: a consumer that "dies" right after claiming (tests of the lease).
    if !claimed.is_empty() && dev_enabled(env) && outbox::dev_take(&db, DEV_STALLS).await? {
        worker::console_warn!(
            "dev: consumer stopped after claiming {} rows",
            claimed.len()
        );
        batch.ack_all();
        return Ok(counts);
    }
    for (m, mut row) in claimed {
        row.via = Some("queue".into());
        match deliver(transport.as_ref(), &db, &row, now).await? {
            Outcome::Sent => {
                counts.sent += 1;
                m.ack();
            }
            Outcome::Failed => {
                counts.failed += 1;
                m.ack();
            }
            Outcome::Retry(wait) => {
                counts.retry += 1;
                let delay = wait.num_seconds().clamp(0, 43_200) as u32;
                m.retry_with_options(
                    &worker::QueueRetryOptionsBuilder::new()
                        .with_delay_seconds(delay)
                        .build(),
                );
            }
        }
    }
    Ok(counts)
}

/// Without the queue binding: delivers every due `pending` row here (bounded: a few rounds
/// of [`CLAIM_LIMIT`]).
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
        for mut row in rows {
            row.via = Some("drain".into());
            match deliver(transport.as_ref(), db, &row, now).await? {
                Outcome::Sent => counts.sent += 1,
                Outcome::Retry(_) => counts.retry += 1,
                Outcome::Failed => counts.failed += 1,
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
