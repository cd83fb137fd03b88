//! The SQL text of the tickets repository as plain values: no D1, no JavaScript. The Worker
//! binds them (`repo::bind`); `xtask` includes this file (`#[path]`) so the tickets benchmark
//! explains and times the very statements the API runs, not copies of them. Pure, so the
//! statements a plan turns into are tested natively (`repo::commit` tests).
use domain::ticket::Status;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Null,
}

pub fn text(v: &str) -> Arg {
    Arg::Text(v.to_string())
}

pub fn opt(v: Option<&str>) -> Arg {
    v.map(text).unwrap_or(Arg::Null)
}

pub fn int(v: i64) -> Arg {
    Arg::Int(v)
}

/// One statement: SQL text with `?N` placeholders and their values.
#[derive(Debug, Clone, PartialEq)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: impl Into<String>, args: Vec<Arg>) -> Sql {
        Sql {
            text: text.into(),
            args,
        }
    }

    /// The statement with its values written in as literals (for `EXPLAIN QUERY PLAN`).
    #[allow(dead_code)] // the benchmark's (xtask)
    pub fn inline(&self) -> String {
        let mut out = self.text.clone();
        // Highest index first, so `?1` never eats the start of `?12`.
        for (i, a) in self.args.iter().enumerate().rev() {
            let lit = match a {
                Arg::Text(s) => format!("'{}'", s.replace('\'', "''")),
                Arg::Int(n) => n.to_string(),
                Arg::Null => "NULL".into(),
            };
            out = out.replace(&format!("?{}", i + 1), &lit);
        }
        out
    }
}

/// Statuses of the FIFO line (waiting for staff, P8): `domain::ticket::Status::LINE`.
pub fn line() -> String {
    Status::sql_list(&Status::LINE)
}

/// Statuses nobody works on any more: `domain::ticket::Status::FINISHED`.
pub fn finished() -> String {
    Status::sql_list(&Status::FINISHED)
}

/// The ticket columns every read returns (with the detail-only ones when `detail`).
pub fn ticket_select(detail: bool) -> String {
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

/// The column a ticket reference names: its display number (`T-2026-000123`) or its id.
pub fn key_column(id_or_number: &str) -> &'static str {
    if domain::workflow::is_ticket_number(id_or_number) {
        "number"
    } else {
        "id"
    }
}

pub const MESSAGES: &str = "SELECT m.id, m.seq, m.kind, m.internal, m.body, m.author_id, \
   u.name AS author_name, u.role AS author_role, m.flagged, m.created_at \
 FROM messages m LEFT JOIN users u ON u.id = m.author_id \
 WHERE m.ticket_id = ?1 ORDER BY m.seq";

pub const EVENTS: &str = "SELECT e.id, e.kind, e.actor_id, u.name AS actor_name, e.actor_kind, \
   e.data, e.created_at \
 FROM events e LEFT JOIN users u ON u.id = e.actor_id \
 WHERE e.ticket_id = ?1 ORDER BY e.id";

pub const ATTACHMENT: &str = "SELECT a.id, a.ticket_id, a.message_id, a.name, a.content_type, \
   a.size, a.r2_key, a.created_at, COALESCE(m.internal, 0) AS internal \
 FROM attachments a LEFT JOIN messages m ON m.id = a.message_id";

/// A ticket by opaque id or display number, with the detail columns.
pub fn ticket_by(id_or_number: &str) -> Sql {
    Sql::new(
        format!(
            "{} WHERE t.{} = ?1",
            ticket_select(true),
            key_column(id_or_number)
        ),
        vec![text(id_or_number)],
    )
}

/// The ticket and its timeline (messages, events, attachments): four reads, one batch.
pub fn timeline(id_or_number: &str) -> Vec<Sql> {
    let column = key_column(id_or_number);
    // The timeline statements find the ticket's id from the same key.
    let ticket = format!("(SELECT id FROM tickets WHERE {column} = ?1)");
    let of = |sql: &str| Sql::new(sql.replace("?1", &ticket), vec![text(id_or_number)]);
    vec![
        ticket_by(id_or_number),
        of(MESSAGES),
        of(EVENTS),
        of(&format!(
            "{ATTACHMENT} WHERE a.ticket_id = ?1 ORDER BY a.created_at, a.rowid"
        )),
    ]
}

// ---------------------------------------------------------------------------
// Lists

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

/// The page and the total of a list, in that order (one batch).
pub fn list(scope: &Scope<'_>, f: &ListFilter, now: &str) -> [Sql; 2] {
    let mut args: Vec<Arg> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    let mut arg = |v: Arg| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Scope::Client {
        user_id,
        company_id,
    } = scope
    {
        let c = arg(text(company_id));
        let u = arg(text(user_id));
        conds.push(format!(
            "t.company_id = {c} AND (t.requester_id = {u} OR \
             (SELECT only_own_tickets FROM companies WHERE id = {c}) = 0)"
        ));
    }
    if !f.statuses.is_empty() {
        let list: Vec<String> = f.statuses.iter().map(|st| arg(text(st))).collect();
        conds.push(format!("t.status IN ({})", list.join(", ")));
    }
    if let Some(q) = &f.q {
        // instr() rather than LIKE '%…%': D1 refuses LIKE patterns over 50 bytes.
        // lower() folds ASCII like LIKE did.
        let p = arg(text(q));
        conds.push(format!(
            "(instr(lower(t.subject), lower({p})) > 0 OR instr(lower(t.number), lower({p})) > 0)"
        ));
    }
    if let Some(p) = &f.priority {
        conds.push(format!("t.priority = {}", arg(text(p))));
    }
    if let Some(c) = &f.company_id {
        conds.push(format!("t.company_id = {}", arg(text(c))));
    }
    if let Some(sv) = &f.service_id {
        conds.push(format!("t.service_id = {}", arg(text(sv))));
    }
    match &f.assignee {
        Some(Some(a)) => conds.push(format!("t.assignee_id = {}", arg(text(a)))),
        Some(None) => conds.push("t.assignee_id IS NULL".into()),
        None => {}
    }
    if let Some(r) = &f.requester_id {
        conds.push(format!("t.requester_id = {}", arg(text(r))));
    }
    if let Some(b) = f.breached {
        let p = arg(text(now));
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
    args.push(int(f.per_page as i64));
    args.push(int((f.page.saturating_sub(1) as i64) * f.per_page as i64));
    [
        Sql::new(
            format!(
                "{}{where_} ORDER BY t.number {order} LIMIT {limit} OFFSET {offset}",
                ticket_select(false)
            ),
            args,
        ),
        Sql::new(
            format!("SELECT COUNT(*) AS total FROM tickets t{where_}"),
            count_args,
        ),
    ]
}

/// Open tickets on a service (of one requester when given): candidates for P12.
pub fn open_on_service(service_id: &str, requester_id: Option<&str>) -> Sql {
    Sql::new(
        format!(
            "SELECT id, number, subject, status, created_at FROM tickets \
             WHERE service_id = ?1 AND (?2 IS NULL OR requester_id = ?2) \
               AND status NOT IN {} \
             ORDER BY number DESC LIMIT 200",
            finished()
        ),
        vec![text(service_id), opt(requester_id)],
    )
}

/// The company facts eligibility and coverage depend on (`?1` = today, `?2` = company id).
/// The póliza shown for a company: the latest one that has started, else the next one.
/// Overdue = unpaid and past its due date (P26), as `domain::contract` defines it.
pub fn company_facts() -> String {
    format!("SELECT c.id, c.name, c.suspended, c.only_own_tickets, \
   EXISTS (SELECT 1 FROM invoices i WHERE i.company_id = c.id AND i.paid_on IS NULL AND i.due_on < ?1) AS overdue, \
   (SELECT COUNT(*) FROM tickets t WHERE t.company_id = c.id AND t.status NOT IN {}) AS open_tickets, \
   (SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.author_id \
      WHERE m.flagged = 1 AND u.company_id = c.id) AS flagged, \
   k.plan, k.hours_total, k.hours_used, k.starts_on, k.id AS contract_id \
 FROM companies c \
 LEFT JOIN contracts k ON k.id = (SELECT k2.id FROM contracts k2 WHERE k2.company_id = c.id \
   AND NOT EXISTS (SELECT 1 FROM contracts r WHERE r.replaces_id = k2.id) \
   ORDER BY (k2.starts_on <= ?1) DESC, CASE WHEN k2.starts_on <= ?1 THEN k2.starts_on END DESC, k2.starts_on ASC LIMIT 1)",
        finished())
}

pub fn company(id: &str, today: &str) -> Sql {
    Sql::new(
        format!("{} WHERE c.id = ?2", company_facts()),
        vec![text(today), text(id)],
    )
}

pub fn by_idempotency_key(requester_id: &str, key: &str) -> Sql {
    Sql::new(
        "SELECT id, idempotency_fingerprint FROM tickets WHERE requester_id = ?1 AND idempotency_key = ?2",
        vec![text(requester_id), text(key)],
    )
}

// ---------------------------------------------------------------------------
// Writes

/// The status the ticket must still have for a write to apply.
#[derive(Clone, Copy, Debug)]
pub struct Guard<'a> {
    pub ticket_id: &'a str,
    pub status: &'a str,
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
    /// SHA-256 of the request body the key was first used with.
    pub idempotency_fingerprint: Option<&'a str>,
    pub now: &'a str,
}

/// Takes the next value of `counter` (first statement of the create batch, so a refused
/// batch takes no number).
pub fn bump_counter(counter: &str) -> Sql {
    Sql::new(
        "INSERT INTO counters (name, value) VALUES (?1, 1) \
         ON CONFLICT(name) DO UPDATE SET value = value + 1",
        vec![text(counter)],
    )
}

/// The new ticket, numbered `number_prefix` + the counter's current value (after
/// [`bump_counter`] in the same batch), zero-padded like `workflow::ticket_number`.
pub fn insert_ticket(t: &NewTicket<'_>) -> Sql {
    Sql::new(
        format!(
            "INSERT INTO tickets (id, number, company_id, service_id, requester_id, category, priority, \
               status, coverage, subject, description, steps, client_info, due_at, linked_to, \
               idempotency_key, created_at, updated_at, idempotency_fingerprint) \
             VALUES (?1, ?2 || printf('%0{}d', (SELECT value FROM counters WHERE name = ?17)), \
               ?3, ?4, ?5, ?6, ?7, 'new', ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?18)",
            domain::workflow::TICKET_NUMBER_DIGITS
        ),
        vec![
            text(t.id),
            text(t.number_prefix),
            text(t.company_id),
            text(t.service_id),
            text(t.requester_id),
            text(t.category),
            text(t.priority),
            text(t.coverage),
            text(t.subject),
            text(t.description),
            opt(t.steps),
            opt(t.client_info),
            opt(t.due_at),
            opt(t.linked_to),
            opt(t.idempotency_key),
            text(t.now),
            text(t.counter),
            opt(t.idempotency_fingerprint),
        ],
    )
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

/// Inserts a message with the ticket's next `seq` (1, 2, … within the ticket: nothing about
/// other tickets shows), if the guard holds; returns the seq.
pub fn insert_message(m: &NewMessage<'_>, guard: Guard<'_>) -> Sql {
    Sql::new(
        "INSERT INTO messages (id, ticket_id, author_id, kind, internal, body, flagged, created_at, seq) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, \
           COALESCE((SELECT MAX(seq) FROM messages WHERE ticket_id = ?2), 0) + 1 \
         WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?8 AND status = ?9) \
         RETURNING seq",
        vec![
            text(m.id),
            text(m.ticket_id),
            opt(m.author_id),
            text(m.kind),
            int(m.internal as i64),
            text(m.body),
            text(m.now),
            text(guard.ticket_id),
            text(guard.status),
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

/// Inserts an event row (who, when, what), if the guard holds; returns its id.
pub fn insert_event(e: &NewEvent<'_>, guard: Option<Guard<'_>>) -> Sql {
    let (gid, gst) = guard
        .map(|g| (text(g.ticket_id), text(g.status)))
        .unwrap_or((Arg::Null, Arg::Null));
    Sql::new(
        "INSERT INTO events (ticket_id, actor_id, actor_kind, kind, data, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
         WHERE ?7 IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE id = ?7 AND status = ?8) \
         RETURNING id",
        vec![
            text(e.ticket_id),
            opt(e.actor_id),
            text(e.actor_kind),
            text(e.kind),
            text(&e.data),
            text(e.now),
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

/// Updates the ticket if the guard holds (the caller checks that it changed a row).
pub fn update_ticket(u: &TicketUpdate<'_>, guard: Guard<'_>) -> Sql {
    let (set_assignee, assignee) = match u.assignee_id {
        None => (0, Arg::Null),
        Some(a) => (1, opt(a)),
    };
    Sql::new(
        "UPDATE tickets SET status = ?3, paused_reason = ?4, paused_since = ?5, auto_close_at = ?6, \
           resolved_at = ?7, reopen_until = ?8, \
           assignee_id = CASE WHEN ?9 = 1 THEN ?10 ELSE assignee_id END, \
           merged_into = COALESCE(?11, merged_into), updated_at = ?12 \
         WHERE id = ?1 AND status = ?2",
        vec![
            text(guard.ticket_id),
            text(guard.status),
            text(u.status),
            opt(u.paused_reason),
            opt(u.paused_since),
            opt(u.auto_close_at),
            opt(u.resolved_at),
            opt(u.reopen_until),
            int(set_assignee),
            assignee,
            opt(u.merged_into),
            text(u.now),
        ],
    )
}

/// Moves every message and attachment of `from` to `into` (merge, P12), if the guard holds.
/// The moved messages keep their order and follow the survivor's own (`seq` shifted past
/// the survivor's last).
pub fn move_content(from: &str, into: &str, guard: Guard<'_>) -> Vec<Sql> {
    let cond = "EXISTS (SELECT 1 FROM tickets WHERE id = ?3 AND status = ?4)";
    let args = || {
        vec![
            text(from),
            text(into),
            text(guard.ticket_id),
            text(guard.status),
        ]
    };
    vec![
        Sql::new(
            format!("UPDATE attachments SET ticket_id = ?2 WHERE ticket_id = ?1 AND {cond}"),
            args(),
        ),
        Sql::new(
            format!(
                "UPDATE messages SET ticket_id = ?2, \
                   seq = seq + (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE ticket_id = ?2) \
                 WHERE ticket_id = ?1 AND {cond}"
            ),
            args(),
        ),
    ]
}

/// Marks a message as flagged (P27), if the guard holds.
pub fn flag_message(message_id: &str, guard: Guard<'_>) -> Sql {
    Sql::new(
        "UPDATE messages SET flagged = 1 WHERE id = ?1 \
           AND EXISTS (SELECT 1 FROM tickets WHERE id = ?2 AND status = ?3)",
        vec![text(message_id), text(guard.ticket_id), text(guard.status)],
    )
}

/// Marker of the timeline's last write: (max message seq, max event id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Mark {
    pub m: i64,
    pub e: i64,
}

/// Stores the recomputed due time unless the timeline changed since `seen`.
pub fn store_due(ticket_id: &str, due_at: Option<&str>, seen: Mark) -> Sql {
    Sql::new(
        "UPDATE tickets SET due_at = ?2 WHERE id = ?1 \
           AND COALESCE((SELECT MAX(seq) FROM messages WHERE ticket_id = ?1), 0) = ?3 \
           AND COALESCE((SELECT MAX(id) FROM events WHERE ticket_id = ?1), 0) = ?4",
        vec![text(ticket_id), opt(due_at), int(seen.m), int(seen.e)],
    )
}

/// Stores the due time computed before a batch, as one of that batch's last statements: it
/// applies only when the ticket's timeline since `seen` holds exactly `messages` messages
/// and `events` events (otherwise a concurrent writer interleaved and it is recomputed).
pub fn store_due_after(
    ticket_id: &str,
    due_at: Option<&str>,
    seen: Mark,
    messages: usize,
    events: usize,
) -> Sql {
    Sql::new(
        "UPDATE tickets SET due_at = ?2 WHERE id = ?1 \
           AND (SELECT COUNT(*) FROM messages WHERE ticket_id = ?1 AND seq > ?3) = ?5 \
           AND (SELECT COUNT(*) FROM events WHERE ticket_id = ?1 AND id > ?4) = ?6",
        vec![
            text(ticket_id),
            opt(due_at),
            int(seen.m),
            int(seen.e),
            int(messages as i64),
            int(events as i64),
        ],
    )
}

/// The ticket's place in the FIFO line now (P8), null outside it.
pub fn queue_position(ticket_id: &str) -> Sql {
    let line = line();
    Sql::new(
        format!(
            "SELECT CASE WHEN t.status IN {line} THEN \
               (SELECT COUNT(*) FROM tickets q WHERE q.status IN {line} AND q.number <= t.number) \
             END AS queue_position FROM tickets t WHERE t.id = ?1"
        ),
        vec![text(ticket_id)],
    )
}

// --- sweeps (issue 11) -------------------------------------------------------------------
// The candidate reads of `repo::sweeps`, here so `cargo xtask bench` explains the same text.
// Each names its partial index (`INDEXED BY`): without statistics SQLite preferred the
// status index and read every resolved/closed ticket on each run (the benchmark measured
// ~102,000 rows read by a run with nothing to do); the partial indexes hold only what is
// pending, so a run costs what is due. A query that stopped matching its index would fail
// loudly (SQLite refuses INDEXED BY it cannot use) instead of silently scanning.

/// `?1` horizon, `?2` limit. The WHERE repeats index `tickets_sla_unmarked`'s condition.
pub const SLA_CANDIDATES: &str =
    "SELECT t.id, t.number, t.subject, t.priority, t.status, t.due_at, t.assignee_id, \
           c.name AS company_name, t.sla_risk_for \
         FROM tickets t INDEXED BY tickets_sla_unmarked JOIN companies c ON c.id = t.company_id \
         WHERE t.status IN ('new', 'open') AND t.paused_since IS NULL AND t.due_at IS NOT NULL \
           AND t.sla_breach_for IS NOT t.due_at AND t.due_at <= ?1 \
         ORDER BY t.due_at LIMIT ?2";

/// `?1` now, `?2` horizon, `?3` limit (index `tickets_auto_close`).
pub const WAIT_CANDIDATES: &str =
    "SELECT t.id, t.number, t.subject, t.auto_close_at, t.requester_id, c.name AS company_name \
         FROM tickets t INDEXED BY tickets_auto_close JOIN companies c ON c.id = t.company_id \
         WHERE t.auto_close_at IS NOT NULL AND t.auto_close_at > ?1 AND t.auto_close_at <= ?2 \
           AND t.status = 'waiting_client' \
           AND (t.reminder_for IS NULL OR t.reminder_for <> t.auto_close_at) \
         ORDER BY t.auto_close_at LIMIT ?3";

/// `?1` now, `?2` limit per status.
pub const AUTO_CLOSE_CANDIDATES: &str = "SELECT t.id, t.number, t.subject, t.status, t.auto_close_at, t.requester_id, \
           c.name AS company_name \
         FROM tickets t JOIN companies c ON c.id = t.company_id \
         WHERE t.id IN (SELECT id FROM (SELECT id FROM tickets INDEXED BY tickets_auto_close WHERE auto_close_at IS NOT NULL \
             AND auto_close_at <= ?1 AND status = 'resolved' ORDER BY auto_close_at, id LIMIT ?2) \
           UNION ALL SELECT id FROM (SELECT id FROM tickets INDEXED BY tickets_auto_close WHERE auto_close_at IS NOT NULL \
             AND auto_close_at <= ?1 AND status = 'waiting_client' ORDER BY auto_close_at, id LIMIT ?2))";

/// `?1` now, `?2` limit. The WHERE repeats index `tickets_warranty_due`'s condition (0010).
pub const WARRANTY_CANDIDATES: &str = "SELECT t.id, t.number, t.subject, t.status, t.reopen_until, t.requester_id, \
               c.name AS company_name \
             FROM tickets t INDEXED BY tickets_warranty_due JOIN companies c ON c.id = t.company_id \
             WHERE t.reopen_until IS NOT NULL AND t.status IN ('resolved', 'closed') \
    AND t.warranty_ended_for IS NOT t.reopen_until AND t.reopen_until <= ?1 ORDER BY t.reopen_until LIMIT ?2";

/// `?1` today, `?2` expired from, `?3` expired through, `?4` expiring through,
/// `?5` hours percent, `?6` limit (index `contracts_notice_pending`).
pub const POLIZA_CANDIDATES: &str =
    "SELECT k.id, k.company_id, c.name AS company_name, k.plan, k.hours_total, k.hours_used, \
           k.starts_on, k.notice_expiring_at, k.notice_hours_at \
         FROM contracts k JOIN companies c ON c.id = k.company_id \
         WHERE k.notice_expired_at IS NULL AND k.starts_on >= ?2 AND k.starts_on <= ?1 \
           AND NOT EXISTS (SELECT 1 FROM contracts r WHERE r.replaces_id = k.id) \
           AND NOT EXISTS (SELECT 1 FROM contracts l WHERE l.company_id = k.company_id \
                 AND l.starts_on > k.starts_on AND l.starts_on <= ?1 \
                 AND NOT EXISTS (SELECT 1 FROM contracts r2 WHERE r2.replaces_id = l.id)) \
           AND (k.starts_on <= ?3 \
             OR k.hours_used >= k.hours_total \
             OR (k.notice_hours_at IS NULL AND k.hours_used * 100 >= k.hours_total * ?5) \
             OR (k.notice_expiring_at IS NULL AND k.starts_on <= ?4)) \
         ORDER BY k.starts_on LIMIT ?6";

/// `?1` due before, `?2` limit (index `invoices_overdue_pending`).
pub const OVERDUE_INVOICES: &str =
    "SELECT i.id, i.company_id, c.name AS company_name, i.amount_cents, i.due_on \
         FROM invoices i JOIN companies c ON c.id = i.company_id \
         WHERE i.paid_on IS NULL AND i.overdue_notified_at IS NULL AND i.due_on < ?1 \
         ORDER BY i.due_on LIMIT ?2";

// ---------------------------------------------------------------------------
// Paid service (issue 13): what a status change does to offers and credentials

/// The offer still waiting for the client is withdrawn: a new offer supersedes it, and so does
/// leaving "awaiting authorization" other than by the client's decision.
pub fn withdraw_offers(guard: Guard<'_>) -> Sql {
    Sql::new(
        "UPDATE offers SET state = 'superseded' WHERE ticket_id = ?1 AND state = 'sent' \
           AND EXISTS (SELECT 1 FROM tickets WHERE id = ?1 AND status = ?2)",
        vec![text(guard.ticket_id), text(guard.status)],
    )
}

/// Resolving or closing erases the sealed credentials (P15); first the client is told in the
/// ticket to change them (a system message, only when there were any). Both run after the
/// guarded update, guarded by the new status.
pub fn purge_credentials(ticket_id: &str, new_status: &str, now: &str) -> Vec<Sql> {
    let (es, en) = domain::billing::flow::CREDENTIALS_REMINDER;
    let body = domain::workflow::bilingual(es, en);
    vec![
        Sql::new(
            "INSERT INTO messages (id, ticket_id, author_id, kind, internal, body, flagged, created_at, seq) \
             SELECT lower(hex(randomblob(16))), ?1, NULL, 'system', 0, ?3, 0, ?4, \
               COALESCE((SELECT MAX(seq) FROM messages WHERE ticket_id = ?1), 0) + 1 \
             WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?1 AND status = ?2) \
               AND EXISTS (SELECT 1 FROM credentials WHERE ticket_id = ?1 AND purged_at IS NULL)",
            vec![text(ticket_id), text(new_status), text(&body), text(now)],
        ),
        Sql::new(
            "UPDATE credentials SET sealed = NULL, purged_at = ?3 \
             WHERE ticket_id = ?1 AND purged_at IS NULL \
               AND EXISTS (SELECT 1 FROM tickets WHERE id = ?1 AND status = ?2)",
            vec![text(ticket_id), text(new_status), text(now)],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_writes_every_value_once() {
        let s = Sql::new(
            "SELECT ?1, ?2, ?10, ?11",
            (1..=11)
                .map(|i| if i == 2 { text("o'k") } else { int(i) })
                .collect(),
        );
        assert_eq!(s.inline(), "SELECT 1, 'o''k', 10, 11");
    }

    #[test]
    fn list_numbers_its_placeholders_in_order() {
        let f = ListFilter {
            statuses: vec!["open".into()],
            priority: Some("high".into()),
            page: 2,
            per_page: 25,
            ..Default::default()
        };
        let [page, count] = list(&Scope::Staff, &f, "2026-12-02T17:00:00Z");
        assert!(page.text.contains("t.status IN (?1) AND t.priority = ?2"));
        assert!(page.text.ends_with("LIMIT ?3 OFFSET ?4"));
        assert_eq!(page.args[2..], [int(25), int(25)]);
        assert_eq!(count.args.len(), 2);
        assert!(page.text.contains(&line()), "the line comes from domain");
    }
}
