//! Tickets, their messages, events and attachments.
//!
//! Writes are composed from statement builders and committed with one `batch()`
//! (one transaction). Every write that depends on the status read before it is
//! *guarded*: it only takes effect while the ticket still has that status, and
//! the final ticket UPDATE reports whether the guard held (optimistic concurrency).
use domain::ticket::Status;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{all, batch, first, n, opt, rows, run, s, stmt};
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

/// Statuses of the FIFO line (waiting for staff, P8): `domain::ticket::Status::LINE`.
fn line() -> String {
    Status::sql_list(&Status::LINE)
}

/// Statuses nobody works on any more: `domain::ticket::Status::FINISHED`.
fn finished() -> String {
    Status::sql_list(&Status::FINISHED)
}

fn select(detail: bool) -> String {
    let extra = if detail {
        ", t.description, t.steps, t.client_info"
    } else {
        ""
    };
    let line = line();
    format!(
        "SELECT t.id, t.number, t.subject, t.status, t.priority, t.category, t.coverage, \
           t.company_id, c.name AS company_name, c.only_own_tickets AS company_only_own, \
           t.service_id, sv.name AS service_name, sv.kind AS service_kind, \
           t.requester_id, r.name AS requester_name, t.assignee_id, a.name AS assignee_name, \
           t.created_at, t.updated_at, t.due_at, t.paused_reason, t.paused_since, t.auto_close_at, \
           t.resolved_at, t.reopen_until, t.merged_into, mt.number AS merged_into_number, \
           t.linked_to, lt.number AS linked_to_number, \
           t.sla_risk_for, t.sla_breach_for, t.sla_breach_reason, t.sla_breach_note, \
           CASE WHEN t.status IN {line} THEN \
             (SELECT COUNT(*) FROM tickets q WHERE q.status IN {line} AND q.number <= t.number) \
           END AS queue_position{extra} \
         FROM tickets t \
         JOIN companies c ON c.id = t.company_id \
         JOIN services sv ON sv.id = t.service_id \
         JOIN users r ON r.id = t.requester_id \
         LEFT JOIN users a ON a.id = t.assignee_id \
         LEFT JOIN tickets mt ON mt.id = t.merged_into \
         LEFT JOIN tickets lt ON lt.id = t.linked_to"
    )
}

/// A ticket by opaque id or display number.
pub async fn get(db: &D1Database, id_or_number: &str) -> ApiResult<Option<TicketRow>> {
    first(
        db,
        &format!("{} WHERE t.{} = ?1", select(true), key_column(id_or_number)),
        &[s(id_or_number)],
    )
    .await
}

/// The column a ticket reference names: its display number (`T-2026-000123`) or its id.
fn key_column(id_or_number: &str) -> &'static str {
    if domain::workflow::is_ticket_number(id_or_number) {
        "number"
    } else {
        "id"
    }
}

/// Who is asking, for the visibility clause of a list.
pub enum Scope<'a> {
    Staff,
    /// A client: their company's tickets, or only their own when the company says so.
    Client {
        user_id: &'a str,
        company_id: &'a str,
    },
}

#[derive(Default)]
pub struct ListFilter {
    pub statuses: Vec<String>,
    pub q: Option<String>,
    pub priority: Option<String>,
    pub company_id: Option<String>,
    pub service_id: Option<String>,
    /// `Some(None)` = unassigned.
    pub assignee: Option<Option<String>>,
    pub requester_id: Option<String>,
    pub breached: Option<bool>,
    /// The sweep's marks on the running target (`domain::sla::breach::sla_flag`); each
    /// condition is word for word the one of its partial index (0010).
    pub sla: Option<domain::sla::breach::SlaFlag>,
    pub newest_first: bool,
    pub page: u32,
    pub per_page: u32,
}

/// Tickets visible in `scope` matching `f`, in arrival order, and the total count.
pub async fn list(
    db: &D1Database,
    scope: &Scope<'_>,
    f: &ListFilter,
    now: &str,
) -> ApiResult<(Vec<TicketRow>, i64)> {
    let mut args: Vec<JsValue> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    let mut arg = |v: JsValue| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Scope::Client {
        user_id,
        company_id,
    } = scope
    {
        let c = arg(s(company_id));
        let u = arg(s(user_id));
        conds.push(format!(
            "t.company_id = {c} AND (t.requester_id = {u} OR \
             (SELECT only_own_tickets FROM companies WHERE id = {c}) = 0)"
        ));
    }
    if !f.statuses.is_empty() {
        let list: Vec<String> = f.statuses.iter().map(|st| arg(s(st))).collect();
        conds.push(format!("t.status IN ({})", list.join(", ")));
    }
    if let Some(q) = &f.q {
        // instr() rather than LIKE '%…%': D1 refuses LIKE patterns over 50 bytes.
        // lower() folds ASCII like LIKE did.
        let p = arg(s(q));
        conds.push(format!(
            "(instr(lower(t.subject), lower({p})) > 0 OR instr(lower(t.number), lower({p})) > 0)"
        ));
    }
    if let Some(p) = &f.priority {
        conds.push(format!("t.priority = {}", arg(s(p))));
    }
    if let Some(c) = &f.company_id {
        conds.push(format!("t.company_id = {}", arg(s(c))));
    }
    if let Some(sv) = &f.service_id {
        conds.push(format!("t.service_id = {}", arg(s(sv))));
    }
    match &f.assignee {
        Some(Some(a)) => conds.push(format!("t.assignee_id = {}", arg(s(a)))),
        Some(None) => conds.push("t.assignee_id IS NULL".into()),
        None => {}
    }
    if let Some(r) = &f.requester_id {
        conds.push(format!("t.requester_id = {}", arg(s(r))));
    }
    if let Some(b) = f.breached {
        let p = arg(s(now));
        // `domain::sla::is_breached` over the stored due time (null while paused).
        let breached = format!(
            "(t.due_at IS NOT NULL AND t.due_at < {p} AND t.status NOT IN {})",
            finished()
        );
        conds.push(if b {
            breached
        } else {
            format!("NOT {breached}")
        });
    }
    match f.sla {
        Some(domain::sla::breach::SlaFlag::Breached) => {
            conds.push("t.status IN ('new', 'open') AND t.sla_breach_for = t.due_at".to_string())
        }
        Some(domain::sla::breach::SlaFlag::AtRisk) => conds.push(
            "t.status IN ('new', 'open') AND t.sla_risk_for = t.due_at \
             AND t.sla_breach_for IS NOT t.due_at"
                .to_string(),
        ),
        None => {}
    }
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let count_args = args.clone();
    let order = if f.newest_first { "DESC" } else { "ASC" };
    let limit = format!("?{}", args.len() + 1);
    let offset = format!("?{}", args.len() + 2);
    args.push(n(f.per_page as i64));
    args.push(n((f.page.saturating_sub(1) as i64) * f.per_page as i64));
    #[derive(Deserialize)]
    struct Count {
        total: i64,
    }
    // The page and the total in one round trip.
    let res = batch(
        db,
        vec![
            stmt(
                db,
                &format!(
                    "{}{where_} ORDER BY t.number {order} LIMIT {limit} OFFSET {offset}",
                    select(false)
                ),
                &args,
            )?,
            stmt(
                db,
                &format!("SELECT COUNT(*) AS total FROM tickets t{where_}"),
                &count_args,
            )?,
        ],
    )
    .await?;
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

const MESSAGES: &str = "SELECT m.id, m.seq, m.kind, m.internal, m.body, m.author_id, \
   u.name AS author_name, u.role AS author_role, m.flagged, m.created_at \
 FROM messages m LEFT JOIN users u ON u.id = m.author_id \
 WHERE m.ticket_id = ?1 ORDER BY m.seq";

const EVENTS: &str = "SELECT e.id, e.kind, e.actor_id, u.name AS actor_name, e.actor_kind, \
   e.data, e.created_at \
 FROM events e LEFT JOIN users u ON u.id = e.actor_id \
 WHERE e.ticket_id = ?1 ORDER BY e.id";

const ATTACHMENT: &str = "SELECT a.id, a.ticket_id, a.message_id, a.name, a.content_type, \
   a.size, a.r2_key, a.created_at, COALESCE(m.internal, 0) AS internal \
 FROM attachments a LEFT JOIN messages m ON m.id = a.message_id";

/// Everything on a ticket's timeline, read in one round trip.
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
    let column = key_column(id_or_number);
    // The timeline statements find the ticket's id from the same key.
    let ticket = format!("(SELECT id FROM tickets WHERE {column} = ?1)");
    let of = |sql: &str| sql.replace("?1", &ticket);
    let id = [s(id_or_number)];
    Ok(vec![
        stmt(db, &format!("{} WHERE t.{column} = ?1", select(true)), &id)?,
        stmt(db, &of(MESSAGES), &id)?,
        stmt(db, &of(EVENTS), &id)?,
        stmt(
            db,
            &of(&format!(
                "{ATTACHMENT} WHERE a.ticket_id = ?1 ORDER BY a.created_at, a.rowid"
            )),
            &id,
        )?,
    ])
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
    first(db, &format!("{ATTACHMENT} WHERE a.id = ?1"), &[s(id)]).await
}

/// Marker of the timeline's last write: (max message seq, max event id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Mark {
    pub m: i64,
    pub e: i64,
}

/// Stores the recomputed due time unless the timeline changed since `seen`
/// (then the writer of that change recomputes it).
pub async fn store_due(
    db: &D1Database,
    ticket_id: &str,
    due_at: Option<&str>,
    seen: Mark,
) -> ApiResult<()> {
    run(
        db,
        "UPDATE tickets SET due_at = ?2 WHERE id = ?1 \
           AND COALESCE((SELECT MAX(seq) FROM messages WHERE ticket_id = ?1), 0) = ?3 \
           AND COALESCE((SELECT MAX(id) FROM events WHERE ticket_id = ?1), 0) = ?4",
        &[s(ticket_id), opt(due_at), n(seen.m), n(seen.e)],
    )
    .await?;
    Ok(())
}

/// Stores the due time computed before a batch, as that batch's last statement: it applies
/// only when the ticket's timeline since `seen` holds exactly the batch's own `messages` and
/// `events` (otherwise a concurrent writer interleaved and the due time is recomputed).
pub fn store_due_stmt(
    db: &D1Database,
    ticket_id: &str,
    due_at: Option<&str>,
    seen: Mark,
    messages: usize,
    events: usize,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE tickets SET due_at = ?2 WHERE id = ?1 \
           AND (SELECT COUNT(*) FROM messages WHERE ticket_id = ?1 AND seq > ?3) = ?5 \
           AND (SELECT COUNT(*) FROM events WHERE ticket_id = ?1 AND id > ?4) = ?6",
        &[
            s(ticket_id),
            opt(due_at),
            n(seen.m),
            n(seen.e),
            n(messages as i64),
            n(events as i64),
        ],
    )
}

/// Runs a batch and returns the rows changed by each statement.
pub async fn commit_counted(
    db: &D1Database,
    statements: Vec<D1PreparedStatement>,
) -> ApiResult<Vec<worker::D1Result>> {
    db.batch(statements)
        .await
        .map_err(|e| ApiError::Internal(format!("batch: {e}")))
}

/// Rows changed by one statement of a batch.
pub fn changes(r: &worker::D1Result) -> usize {
    r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Creating a ticket

pub async fn by_idempotency_key(
    db: &D1Database,
    requester_id: &str,
    key: &str,
) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(first::<Id>(
        db,
        "SELECT id FROM tickets WHERE requester_id = ?1 AND idempotency_key = ?2",
        &[s(requester_id), s(key)],
    )
    .await?
    .map(|r| r.id))
}

pub struct NewTicket<'a> {
    pub id: &'a str,
    /// `T-2026-`: the number is completed from `counter` in SQL.
    pub number_prefix: &'a str,
    pub counter: &'a str,
    pub company_id: &'a str,
    pub service_id: &'a str,
    pub requester_id: &'a str,
    pub category: &'a str,
    pub priority: &'a str,
    pub coverage: &'a str,
    pub subject: &'a str,
    pub description: &'a str,
    pub steps: Option<&'a str>,
    pub client_info: Option<&'a str>,
    pub due_at: Option<&'a str>,
    pub linked_to: Option<&'a str>,
    pub idempotency_key: Option<&'a str>,
    pub now: &'a str,
}

/// Takes the next value of `counter` (first statement of the create batch, so a refused
/// batch takes no number).
pub fn bump_counter(db: &D1Database, counter: &str) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO counters (name, value) VALUES (?1, 1) \
         ON CONFLICT(name) DO UPDATE SET value = value + 1",
        &[s(counter)],
    )
}

/// The new ticket, numbered `number_prefix` + the counter's current value (after
/// [`bump_counter`] in the same batch), zero-padded like `workflow::ticket_number`.
pub fn insert_ticket(db: &D1Database, t: &NewTicket<'_>) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        &format!(
            "INSERT INTO tickets (id, number, company_id, service_id, requester_id, category, priority, \
               status, coverage, subject, description, steps, client_info, due_at, linked_to, \
               idempotency_key, created_at, updated_at) \
             VALUES (?1, ?2 || printf('%0{}d', (SELECT value FROM counters WHERE name = ?17)), \
               ?3, ?4, ?5, ?6, ?7, 'new', ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
            domain::workflow::TICKET_NUMBER_DIGITS
        ),
        &[
            s(t.id),
            s(t.number_prefix),
            s(t.company_id),
            s(t.service_id),
            s(t.requester_id),
            s(t.category),
            s(t.priority),
            s(t.coverage),
            s(t.subject),
            s(t.description),
            opt(t.steps),
            opt(t.client_info),
            opt(t.due_at),
            opt(t.linked_to),
            opt(t.idempotency_key),
            s(t.now),
            s(t.counter),
        ],
    )
}

// ---------------------------------------------------------------------------
// Guarded statement builders for changes to an existing ticket

/// The status the ticket must still have for a write to apply.
#[derive(Clone, Copy)]
pub struct Guard<'a> {
    pub ticket_id: &'a str,
    pub status: &'a str,
}

pub struct NewMessage<'a> {
    pub id: &'a str,
    pub ticket_id: &'a str,
    pub author_id: Option<&'a str>,
    pub kind: &'a str,
    pub internal: bool,
    pub body: &'a str,
    pub now: &'a str,
}

/// Inserts a message with the next global `seq`, if the guard holds.
pub fn insert_message(
    db: &D1Database,
    m: &NewMessage<'_>,
    guard: Guard<'_>,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO messages (id, ticket_id, author_id, kind, internal, body, flagged, created_at, seq) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, COALESCE((SELECT MAX(seq) FROM messages), 0) + 1 \
         WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?8 AND status = ?9) \
         RETURNING seq",
        &[
            s(m.id),
            s(m.ticket_id),
            opt(m.author_id),
            s(m.kind),
            n(m.internal as i64),
            s(m.body),
            s(m.now),
            s(guard.ticket_id),
            s(guard.status),
        ],
    )
}

pub struct NewEvent<'a> {
    pub ticket_id: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_kind: &'a str,
    pub kind: &'a str,
    pub data: String,
    pub now: &'a str,
}

/// Inserts an event row (who, when, what), if the guard holds.
pub fn insert_event(
    db: &D1Database,
    e: &NewEvent<'_>,
    guard: Option<Guard<'_>>,
) -> ApiResult<D1PreparedStatement> {
    let (gid, gst) = guard
        .map(|g| (opt(Some(g.ticket_id)), opt(Some(g.status))))
        .unwrap_or((JsValue::NULL, JsValue::NULL));
    stmt(
        db,
        "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
         WHERE ?7 IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE id = ?7 AND status = ?8)",
        &[
            s(e.ticket_id),
            opt(e.actor_id),
            s(e.actor_kind),
            s(e.kind),
            s(&e.data),
            s(e.now),
            gid,
            gst,
        ],
    )
}

/// The new values of a ticket's mutable columns.
pub struct TicketUpdate<'a> {
    pub status: &'a str,
    pub paused_reason: Option<&'a str>,
    pub paused_since: Option<&'a str>,
    pub auto_close_at: Option<&'a str>,
    pub resolved_at: Option<&'a str>,
    pub reopen_until: Option<&'a str>,
    /// `None` = keep; `Some(None)` = unassign.
    pub assignee_id: Option<Option<&'a str>>,
    pub merged_into: Option<&'a str>,
    pub now: &'a str,
}

/// Updates the ticket if the guard holds; must be the last statement of the batch.
pub fn update_ticket(
    db: &D1Database,
    u: &TicketUpdate<'_>,
    guard: Guard<'_>,
) -> ApiResult<D1PreparedStatement> {
    let (set_assignee, assignee) = match u.assignee_id {
        None => (0, JsValue::NULL),
        Some(a) => (1, opt(a)),
    };
    stmt(
        db,
        "UPDATE tickets SET status = ?3, paused_reason = ?4, paused_since = ?5, auto_close_at = ?6, \
           resolved_at = ?7, reopen_until = ?8, \
           assignee_id = CASE WHEN ?9 = 1 THEN ?10 ELSE assignee_id END, \
           merged_into = COALESCE(?11, merged_into), updated_at = ?12 \
         WHERE id = ?1 AND status = ?2",
        &[
            s(guard.ticket_id),
            s(guard.status),
            s(u.status),
            opt(u.paused_reason),
            opt(u.paused_since),
            opt(u.auto_close_at),
            opt(u.resolved_at),
            opt(u.reopen_until),
            n(set_assignee),
            assignee,
            opt(u.merged_into),
            s(u.now),
        ],
    )
}

/// Moves every message and attachment of `from` to `into` (merge, P12), if the guard holds.
pub fn move_content(
    db: &D1Database,
    from: &str,
    into: &str,
    guard: Guard<'_>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let cond = "EXISTS (SELECT 1 FROM tickets WHERE id = ?3 AND status = ?4)";
    Ok(vec![
        stmt(
            db,
            &format!("UPDATE attachments SET ticket_id = ?2 WHERE ticket_id = ?1 AND {cond}"),
            &[s(from), s(into), s(guard.ticket_id), s(guard.status)],
        )?,
        stmt(
            db,
            &format!("UPDATE messages SET ticket_id = ?2 WHERE ticket_id = ?1 AND {cond}"),
            &[s(from), s(into), s(guard.ticket_id), s(guard.status)],
        )?,
    ])
}

/// Runs the statements as one transaction; returns whether the last one changed a row
/// (for a guarded ticket update: whether the guard held).
pub async fn commit(db: &D1Database, statements: Vec<D1PreparedStatement>) -> ApiResult<bool> {
    let results = db
        .batch(statements)
        .await
        .map_err(|e| ApiError::Internal(format!("batch: {e}")))?;
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
        Ok(results) => Ok(Some(results)),
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

/// Marks a message as flagged (P27), if the guard holds.
pub fn flag_message(
    db: &D1Database,
    message_id: &str,
    guard: Guard<'_>,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE messages SET flagged = 1 WHERE id = ?1 \
           AND EXISTS (SELECT 1 FROM tickets WHERE id = ?2 AND status = ?3)",
        &[s(message_id), s(guard.ticket_id), s(guard.status)],
    )
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
    all(
        db,
        &format!(
            "SELECT id, number, subject, status, created_at FROM tickets \
             WHERE service_id = ?1 AND (?2 IS NULL OR requester_id = ?2) \
               AND status NOT IN {} \
             ORDER BY number DESC LIMIT 200",
            finished()
        ),
        &[s(service_id), opt(requester_id)],
    )
    .await
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
const AUTO_CLOSE_DUE: &str = "SELECT id FROM tickets WHERE auto_close_at IS NOT NULL \
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
             WHERE id IN ({AUTO_CLOSE_DUE})"
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
    results.iter().for_each(super::record);
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
