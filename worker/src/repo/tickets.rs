//! Tickets, their messages, events and attachments.
//!
//! Writes are composed from statement builders and committed with one `batch()`
//! (one transaction). Every write that depends on the status read before it is
//! *guarded*: it only takes effect while the ticket still has that status, and
//! the final ticket UPDATE reports whether the guard held (optimistic concurrency).
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::sql;
pub use super::sql::{Guard, ListFilter, Mark, NewEvent, NewTicket, Scope};
use super::{all, batch, bind, first, n, opt, rows, run, s, stmt};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Deserialize)]
pub struct TicketRow {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub priority: String,
    pub category: String,
    pub coverage: String,
    pub company_id: String,
    pub company_name: String,
    pub company_only_own: i64,
    pub service_id: String,
    pub service_name: String,
    pub service_kind: String,
    pub requester_id: String,
    pub requester_name: String,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub due_at: Option<String>,
    pub paused_reason: Option<String>,
    pub paused_since: Option<String>,
    pub auto_close_at: Option<String>,
    pub resolved_at: Option<String>,
    pub reopen_until: Option<String>,
    pub merged_into: Option<String>,
    pub merged_into_number: Option<String>,
    pub linked_to: Option<String>,
    pub linked_to_number: Option<String>,
    pub queue_position: Option<i64>,
    /// The SLA sweep's marks (issue 11): the due time each was made for.
    #[serde(default)]
    pub sla_risk_for: Option<String>,
    #[serde(default)]
    pub sla_breach_for: Option<String>,
    /// The breach reason (P9): a `domain::sla::breach::BreachReason` code and free text.
    #[serde(default)]
    pub sla_breach_reason: Option<String>,
    #[serde(default)]
    pub sla_breach_note: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub steps: Option<String>,
    #[serde(default)]
    pub client_info: Option<String>,
}

/// A ticket by opaque id or display number.
pub async fn get(db: &D1Database, id_or_number: &str) -> ApiResult<Option<TicketRow>> {
    let q = sql::ticket_by(id_or_number);
    first(db, &q.text, &super::args(&q)).await
}

/// Tickets visible in `scope` matching `f`, in arrival order, and the total count.
pub async fn list(
    db: &D1Database,
    scope: &Scope<'_>,
    f: &ListFilter,
    now: &str,
) -> ApiResult<(Vec<TicketRow>, i64)> {
    #[derive(Deserialize)]
    struct Count {
        total: i64,
    }
    let [page, count] = sql::list(scope, f, now);
    // The page and the total in one round trip.
    let res = batch(db, vec![bind(db, &page)?, bind(db, &count)?]).await?;
    let total = rows::<Count>(&res[1])?.first().map_or(0, |c| c.total);
    Ok((rows(&res[0])?, total))
}

// ---------------------------------------------------------------------------
// Timeline, messages, events, attachments

#[derive(Debug, Clone, Deserialize)]
pub struct MessageRow {
    pub id: String,
    pub seq: i64,
    pub kind: String,
    pub internal: i64,
    pub body: String,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    pub author_role: Option<String>,
    pub flagged: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub actor_kind: String,
    pub data: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AttachmentRow {
    pub id: String,
    pub ticket_id: String,
    pub message_id: Option<String>,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub r2_key: String,
    pub created_at: String,
    /// Whether the message it belongs to is an internal note.
    pub internal: i64,
}

/// Everything on a ticket's timeline, read in one round trip.
#[derive(Clone)]
pub struct Timeline {
    pub messages: Vec<MessageRow>,
    pub events: Vec<EventRow>,
    pub attachments: Vec<AttachmentRow>,
}

/// A ticket (by id or display number) and its whole timeline, in one round trip.
pub async fn get_with_timeline(
    db: &D1Database,
    id_or_number: &str,
) -> ApiResult<Option<(TicketRow, Timeline)>> {
    let res = batch(db, timeline_stmts(db, id_or_number)?).await?;
    read_timeline(&res)
}

/// The four reads of [`get_with_timeline`], to run alone or at the end of a write batch
/// (a batch is one transaction: they see its writes).
pub fn timeline_stmts(db: &D1Database, id_or_number: &str) -> ApiResult<Vec<D1PreparedStatement>> {
    sql::timeline(id_or_number)
        .iter()
        .map(|q| bind(db, q))
        .collect()
}

/// Decodes the results of [`timeline_stmts`].
pub fn read_timeline(res: &[worker::D1Result]) -> ApiResult<Option<(TicketRow, Timeline)>> {
    let Some(row) = rows::<TicketRow>(&res[0])?.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some((
        row,
        Timeline {
            messages: rows(&res[1])?,
            events: rows(&res[2])?,
            attachments: rows(&res[3])?,
        },
    )))
}

pub async fn attachment(db: &D1Database, id: &str) -> ApiResult<Option<AttachmentRow>> {
    first(
        db,
        &format!("{} WHERE a.id = ?1", sql::ATTACHMENT),
        &[s(id)],
    )
    .await
}

/// Stores the recomputed due time unless the timeline changed since `seen`
/// (then the writer of that change recomputes it).
pub async fn store_due(
    db: &D1Database,
    ticket_id: &str,
    due_at: Option<&str>,
    seen: Mark,
) -> ApiResult<()> {
    let q = sql::store_due(ticket_id, due_at, seen);
    run(db, &q.text, &super::args(&q)).await?;
    Ok(())
}

/// Runs a batch and returns the rows changed by each statement.
pub async fn commit_counted(
    db: &D1Database,
    statements: Vec<D1PreparedStatement>,
) -> ApiResult<Vec<worker::D1Result>> {
    let results = db
        .batch(statements)
        .await
        .map_err(|e| ApiError::Internal(format!("batch: {e}")))?;
    super::committed(&results);
    Ok(results)
}

/// Rows changed by one statement of a batch.
pub fn changes(r: &worker::D1Result) -> usize {
    r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Creating a ticket

/// The ticket created earlier with this key, and the fingerprint of the body it came with.
#[derive(Debug, Deserialize)]
pub struct Replay {
    pub id: String,
    pub idempotency_fingerprint: Option<String>,
}

pub async fn by_idempotency_key(
    db: &D1Database,
    requester_id: &str,
    key: &str,
) -> ApiResult<Option<Replay>> {
    let q = sql::by_idempotency_key(requester_id, key);
    first::<Replay>(db, &q.text, &super::args(&q)).await
}

/// Inserts an event row (who, when, what), if the guard holds.
pub fn insert_event(
    db: &D1Database,
    e: &NewEvent<'_>,
    guard: Option<Guard<'_>>,
) -> ApiResult<D1PreparedStatement> {
    bind(db, &sql::insert_event(e, guard))
}

/// Runs the statements as one transaction; returns whether the last one changed a row
/// (for a guarded ticket update: whether the guard held).
pub async fn commit(db: &D1Database, statements: Vec<D1PreparedStatement>) -> ApiResult<bool> {
    let results = db
        .batch(statements)
        .await
        .map_err(|e| ApiError::Internal(format!("batch: {e}")))?;
    super::committed(&results);
    Ok(results
        .last()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0)
        > 0)
}

/// Runs a batch, reporting a refused one (e.g. a UNIQUE violation) as `Ok(None)`.
pub async fn try_commit_results(
    db: &D1Database,
    statements: Vec<D1PreparedStatement>,
) -> ApiResult<Option<Vec<worker::D1Result>>> {
    match db.batch(statements).await {
        Ok(results) => {
            super::committed(&results);
            Ok(Some(results))
        }
        Err(e) => {
            worker::console_log!("batch refused: {e}");
            Ok(None)
        }
    }
}

/// A message of a ticket (for flags and attachment targets).
pub async fn message(
    db: &D1Database,
    ticket_id: &str,
    message_id: &str,
) -> ApiResult<Option<MessageRow>> {
    first(
        db,
        "SELECT m.id, m.seq, m.kind, m.internal, m.body, m.author_id, u.name AS author_name, \
           u.role AS author_role, m.flagged, m.created_at \
         FROM messages m LEFT JOIN users u ON u.id = m.author_id \
         WHERE m.ticket_id = ?1 AND m.id = ?2",
        &[s(ticket_id), s(message_id)],
    )
    .await
}

/// The latest message `author_id` wrote on the ticket.
pub async fn latest_message_by(
    db: &D1Database,
    ticket_id: &str,
    author_id: &str,
) -> ApiResult<Option<MessageRow>> {
    first(
        db,
        "SELECT m.id, m.seq, m.kind, m.internal, m.body, m.author_id, u.name AS author_name, \
           u.role AS author_role, m.flagged, m.created_at \
         FROM messages m LEFT JOIN users u ON u.id = m.author_id \
         WHERE m.ticket_id = ?1 AND m.author_id = ?2 ORDER BY m.seq DESC LIMIT 1",
        &[s(ticket_id), s(author_id)],
    )
    .await
}

pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub ticket_id: &'a str,
    pub message_id: Option<&'a str>,
    pub uploader_id: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub r2_key: &'a str,
    pub now: &'a str,
}

/// Stores attachment metadata unless the message (or the ticket, without a message)
/// already has `max` attachments. Returns whether it was stored.
pub async fn insert_attachment(
    db: &D1Database,
    a: &NewAttachment<'_>,
    max: usize,
) -> ApiResult<bool> {
    let changed = run(
        db,
        "INSERT INTO attachments (id, ticket_id, message_id, uploader_id, name, content_type, size, r2_key, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 \
         WHERE (SELECT COUNT(*) FROM attachments WHERE ticket_id = ?2 AND \
                (message_id = ?3 OR (?3 IS NULL AND message_id IS NULL))) < ?10",
        &[
            s(a.id),
            s(a.ticket_id),
            opt(a.message_id),
            s(a.uploader_id),
            s(a.name),
            s(a.content_type),
            n(a.size),
            s(a.r2_key),
            s(a.now),
            n(max as i64),
        ],
    )
    .await?;
    Ok(changed > 0)
}

#[derive(Debug, Clone, Deserialize)]
pub struct SimilarRow {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub created_at: String,
}

/// Open tickets on a service (of one requester when given): candidates for P12.
pub async fn open_on_service(
    db: &D1Database,
    service_id: &str,
    requester_id: Option<&str>,
) -> ApiResult<Vec<SimilarRow>> {
    let q = sql::open_on_service(service_id, requester_id);
    all(db, &q.text, &super::args(&q)).await
}

/// Test hook: moves every instant of a ticket (and its messages and events) `hours` into the past.
pub async fn shift_into_past(db: &D1Database, ticket_id: &str, hours: i64) -> ApiResult<()> {
    let shift = |col: &str| {
        format!("{col} = CASE WHEN {col} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%SZ', {col}, ?2) END")
    };
    let delta = format!("-{hours} hours");
    let cols = [
        "created_at",
        "updated_at",
        "due_at",
        "paused_since",
        "auto_close_at",
        "resolved_at",
        "reopen_until",
        // issue 11: the SLA marks and the wait reminder move with the ticket
        "sla_risk_for",
        "sla_at_risk_at",
        "sla_breach_for",
        "sla_breached_at",
        "reminder_for",
        "warranty_ended_for",
    ]
    .map(shift)
    .join(", ");
    let stmts = vec![
        stmt(
            db,
            &format!("UPDATE tickets SET {cols} WHERE id = ?1"),
            &[s(ticket_id), s(&delta)],
        )?,
        stmt(
            db,
            &format!(
                "UPDATE messages SET {} WHERE ticket_id = ?1",
                shift("created_at")
            ),
            &[s(ticket_id), s(&delta)],
        )?,
        stmt(
            db,
            &format!(
                "UPDATE events SET {} WHERE ticket_id = ?1",
                shift("created_at")
            ),
            &[s(ticket_id), s(&delta)],
        )?,
    ];
    commit(db, stmts).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Sweep (P17): set-based, idempotent.

/// Tickets of status `?1` whose wait ended by `?4`, soonest first, at most
/// [`super::sweeps::AUTO_CLOSE_BATCH`] per run — the same rows, in the same order, that
/// `sweeps::auto_close_candidates` reads for their notices (index `tickets_auto_close`).
const AUTO_CLOSE_DUE: &str =
    "SELECT id FROM tickets INDEXED BY tickets_auto_close WHERE auto_close_at IS NOT NULL \
    AND auto_close_at <= ?4 AND status = ?1 ORDER BY auto_close_at, id LIMIT 250";

/// One auto-close rule: tickets in `from` whose `auto_close_at <= now` move to `to`,
/// each with an event row. Returns the statements (events first, then one UPDATE).
#[allow(clippy::too_many_arguments)]
pub fn auto_close_rule(
    db: &D1Database,
    from: &str,
    to: &str,
    event_data: &str,
    now: &str,
    resolved_at: Option<&str>,
    reopen_until: Option<&str>,
    next_auto_close: Option<&str>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        stmt(
            db,
            &format!(
                "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
             SELECT id, NULL, 'sweep', 'status', ?3, ?4 FROM tickets \
             WHERE id IN ({AUTO_CLOSE_DUE}) \
             RETURNING ticket_id AS changed_ticket, kind AS changed_what, ?2 AS changed_status"
            ),
            &[s(from), s(to), s(event_data), s(now)],
        )?,
        stmt(
            db,
            &format!(
                "UPDATE tickets SET status = ?2, paused_reason = NULL, paused_since = NULL, \
               due_at = NULL, auto_close_at = ?7, \
               resolved_at = COALESCE(?5, resolved_at), reopen_until = COALESCE(?6, reopen_until), \
               updated_at = ?4 \
             WHERE id IN ({AUTO_CLOSE_DUE}) AND status = ?1"
            ),
            &[
                s(from),
                s(to),
                s(event_data),
                s(now),
                opt(resolved_at),
                opt(reopen_until),
                opt(next_auto_close),
            ],
        )?,
    ])
}

/// Runs the sweep statements in one transaction and returns the rows each UPDATE changed.
pub async fn run_sweep(
    db: &D1Database,
    statements: Vec<D1PreparedStatement>,
) -> ApiResult<Vec<usize>> {
    let results = db
        .batch(statements)
        .await
        .map_err(|e| ApiError::Internal(format!("sweep batch: {e}")))?;
    super::committed(&results);
    Ok(results
        .iter()
        .map(|r| r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0))
        .collect())
}

/// Records why the breached target was missed (P9): only on a ticket with a breached
/// target (`sla_breach_for` set), with its `breach_reason` event in the same batch.
/// Returns whether the ticket was changed.
#[allow(clippy::too_many_arguments)]
pub async fn set_breach_reason(
    db: &D1Database,
    ticket_id: &str,
    reason: &str,
    note: Option<&str>,
    actor_id: &str,
    actor_kind: &str,
    event_data: &str,
    now: &str,
) -> ApiResult<bool> {
    let results =
        batch(
            db,
            vec![
            stmt(
                db,
                "UPDATE tickets SET sla_breach_reason = ?2, sla_breach_note = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND sla_breach_for IS NOT NULL",
                &[s(ticket_id), s(reason), opt(note), s(now)],
            )?,
            stmt(
                db,
                "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
                 SELECT ?1, ?2, ?3, 'breach_reason', ?4, ?5 WHERE changes() > 0",
                &[s(ticket_id), s(actor_id), s(actor_kind), s(event_data), s(now)],
            )?,
        ],
        )
        .await?;
    Ok(results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0)
        > 0)
}
