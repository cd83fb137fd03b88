//! Paid service (issue 13): offers, the remote checklist, sealed credentials, time entries,
//! the hours ledger and invoices. Reads return rows; writes are pure `Sql` so the change
//! engine can put them in a ticket's guarded batch.
use serde::Deserialize;
use worker::D1Database;

use super::sql::{int, opt, text, Guard, Sql};
use super::{all, batch, bind, first, rows, s};
use crate::error::ApiResult;

#[derive(Debug, Clone, Deserialize)]
pub struct OfferRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub lines: String,
    pub hours: i64,
    pub total_cents: i64,
    pub payment_terms: Option<String>,
    pub invoicing_data: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_by_name: String,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub decided_ip: Option<String>,
    pub terms_accepted: Option<i64>,
    pub invoice_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChecklistRow {
    pub data: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CredentialRow {
    pub id: String,
    pub label: String,
    pub created_at: String,
    pub purged_at: Option<String>,
    pub reveals: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimeRow {
    pub id: String,
    pub user_id: String,
    pub user_name: String,
    pub minutes: i64,
    pub charged_hours: i64,
    pub warranty: i64,
    pub note: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InvoiceRow {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub ticket_id: Option<String>,
    pub ticket_number: Option<String>,
    pub amount_cents: i64,
    pub delivered_on: String,
    pub due_on: String,
    pub paid_on: Option<String>,
    pub paid_reference: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct TicketBilling {
    charged: i64,
    completed_at: Option<String>,
}

/// Everything paid about one ticket, read in one round trip.
pub struct TicketFacts {
    /// Newest first.
    pub offers: Vec<OfferRow>,
    pub charged_hours: u32,
    pub completed: bool,
    pub checklist: Option<ChecklistRow>,
    pub credentials: Vec<CredentialRow>,
    /// Newest first.
    pub time: Vec<TimeRow>,
    pub invoices: Vec<InvoiceRow>,
}

const OFFERS: &str = "SELECT o.id, o.kind, o.state, o.lines, o.hours, o.total_cents, o.payment_terms, \
   o.invoicing_data, o.note, o.created_by, cu.name AS created_by_name, o.created_at, \
   o.decided_by, du.name AS decided_by_name, o.decided_at, o.decided_ip, o.terms_accepted, o.invoice_id \
 FROM offers o JOIN users cu ON cu.id = o.created_by LEFT JOIN users du ON du.id = o.decided_by \
 WHERE o.ticket_id = ?1 ORDER BY o.created_at DESC, o.rowid DESC";

const INVOICES: &str = "SELECT i.id, i.company_id, c.name AS company_name, i.ticket_id, \
   t.number AS ticket_number, i.amount_cents, i.delivered_on, i.due_on, i.paid_on, i.paid_reference \
 FROM invoices i JOIN companies c ON c.id = i.company_id LEFT JOIN tickets t ON t.id = i.ticket_id";

pub async fn ticket_facts(db: &D1Database, ticket_id: &str) -> ApiResult<TicketFacts> {
    let q = |sql: &str| bind(db, &Sql::new(sql, vec![text(ticket_id)]));
    let r = batch(
        db,
        vec![
            q(OFFERS)?,
            q("SELECT COALESCE((SELECT -SUM(hours) FROM ledger_entries \
                 WHERE ticket_id = ?1 AND kind = 'charge'), 0) AS charged, \
               (SELECT service_completed_at FROM tickets WHERE id = ?1) AS completed_at")?,
            q("SELECT data FROM remote_checklists WHERE ticket_id = ?1")?,
            q("SELECT c.id, c.label, c.created_at, c.purged_at, \
                 (SELECT COUNT(*) FROM credential_reveals r WHERE r.credential_id = c.id) AS reveals \
               FROM credentials c WHERE c.ticket_id = ?1 ORDER BY c.created_at, c.rowid")?,
            q("SELECT t.id, t.user_id, u.name AS user_name, t.minutes, t.charged_hours, t.warranty, \
                 t.note, t.created_at \
               FROM time_entries t JOIN users u ON u.id = t.user_id \
               WHERE t.ticket_id = ?1 ORDER BY t.created_at DESC, t.rowid DESC")?,
            q(&format!(
                "{INVOICES} WHERE i.ticket_id = ?1 ORDER BY i.created_at DESC"
            ))?,
        ],
    )
    .await?;
    let t: Option<TicketBilling> = rows(&r[1])?.into_iter().next();
    Ok(TicketFacts {
        offers: rows(&r[0])?,
        charged_hours: t.as_ref().map(|t| t.charged.max(0) as u32).unwrap_or(0),
        completed: t.is_some_and(|t| t.completed_at.is_some()),
        checklist: rows(&r[2])?.into_iter().next(),
        credentials: rows(&r[3])?,
        time: rows(&r[4])?,
        invoices: rows(&r[5])?,
    })
}

/// The guard of a ticket's batch: the ticket (`?a`) still has the status read (`?b`).
fn exists(a: usize, b: usize) -> String {
    format!("EXISTS (SELECT 1 FROM tickets WHERE id = ?{a} AND status = ?{b})")
}

/// A new offer replaces the one still waiting (run before [`insert_offer`]).
pub fn supersede_waiting(guard: Guard<'_>) -> Sql {
    super::sql::withdraw_offers(guard)
}

pub struct NewOffer<'a> {
    pub id: &'a str,
    pub company_id: &'a str,
    pub kind: &'a str,
    pub lines: &'a str,
    pub hours: i64,
    pub total_cents: i64,
    pub payment_terms: Option<&'a str>,
    pub invoicing_data: Option<&'a str>,
    pub note: Option<&'a str>,
    pub contract_id: Option<&'a str>,
    pub created_by: &'a str,
    pub now: &'a str,
}

pub fn insert_offer(o: &NewOffer<'_>, guard: Guard<'_>) -> Sql {
    Sql::new(
        format!(
            "INSERT INTO offers (id, ticket_id, company_id, kind, state, lines, hours, total_cents, \
               payment_terms, invoicing_data, note, contract_id, created_by, created_at) \
             SELECT ?3, ?1, ?4, ?5, 'sent', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14 WHERE {}",
            exists(1, 2)
        ),
        vec![
            text(guard.ticket_id),
            text(guard.status),
            text(o.id),
            text(o.company_id),
            text(o.kind),
            text(o.lines),
            int(o.hours),
            int(o.total_cents),
            opt(o.payment_terms),
            opt(o.invoicing_data),
            opt(o.note),
            opt(o.contract_id),
            text(o.created_by),
            text(o.now),
        ],
    )
}

/// The client's decision, once: only while the offer waits and the ticket still awaits it.
pub struct DecisionWrite<'a> {
    pub offer_id: &'a str,
    pub state: &'a str,
    pub by: &'a str,
    pub ip: Option<&'a str>,
    pub terms_accepted: bool,
    pub now: &'a str,
}

pub fn decide_offer(d: &DecisionWrite<'_>, guard: Guard<'_>) -> Sql {
    Sql::new(
        format!(
            "UPDATE offers SET state = ?4, decided_by = ?5, decided_at = ?6, decided_ip = ?7, \
               terms_accepted = ?8 \
             WHERE id = ?3 AND ticket_id = ?1 AND state = 'sent' AND {}",
            exists(1, 2)
        ),
        vec![
            text(guard.ticket_id),
            text(guard.status),
            text(d.offer_id),
            text(d.state),
            text(d.by),
            text(d.now),
            opt(d.ip),
            int(d.terms_accepted as i64),
        ],
    )
}

/// Marks the first completion of the service (the warranty rule needs it) and links the
/// invoice to the quotes it bills.
pub fn mark_completed(guard: Guard<'_>, now: &str) -> Sql {
    Sql::new(
        "UPDATE tickets SET service_completed_at = COALESCE(service_completed_at, ?3) \
         WHERE id = ?1 AND status = ?2",
        vec![text(guard.ticket_id), text(guard.status), text(now)],
    )
}

pub struct NewInvoice<'a> {
    pub id: &'a str,
    pub company_id: &'a str,
    pub amount_cents: i64,
    pub delivered_on: &'a str,
    pub due_on: &'a str,
    pub summary: &'a str,
    pub now: &'a str,
}

/// The invoice of per-event work, guarded like the rest of the completion's batch.
pub fn insert_invoice(i: &NewInvoice<'_>, guard: Guard<'_>) -> Sql {
    Sql::new(
        format!(
            "INSERT INTO invoices (id, company_id, ticket_id, amount_cents, delivered_on, due_on, \
               summary, created_at) \
             SELECT ?3, ?4, ?1, ?5, ?6, ?7, ?8, ?9 WHERE {}",
            exists(1, 2)
        ),
        vec![
            text(guard.ticket_id),
            text(guard.status),
            text(i.id),
            text(i.company_id),
            int(i.amount_cents),
            text(i.delivered_on),
            text(i.due_on),
            text(i.summary),
            text(i.now),
        ],
    )
}

pub fn link_invoice(offer_id: &str, invoice_id: &str) -> Sql {
    Sql::new(
        "UPDATE offers SET invoice_id = ?2 WHERE id = ?1 AND invoice_id IS NULL \
           AND EXISTS (SELECT 1 FROM invoices WHERE id = ?2)",
        vec![text(offer_id), text(invoice_id)],
    )
}

/// Saves the client's checklist (partial saves allowed) while the ticket is open.
pub fn save_checklist(ticket_id: &str, data: &str, complete: bool, by: &str, now: &str) -> Sql {
    Sql::new(
        "INSERT INTO remote_checklists (ticket_id, data, complete, updated_by, updated_at) \
         SELECT ?1, ?2, ?3, ?4, ?5 \
         WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?1 AND status NOT IN ('resolved', 'closed')) \
         ON CONFLICT (ticket_id) DO UPDATE SET data = excluded.data, complete = excluded.complete, \
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        vec![
            text(ticket_id),
            text(data),
            int(complete as i64),
            text(by),
            text(now),
        ],
    )
}

/// A sealed credential, while the ticket is open.
pub fn insert_credential(
    id: &str,
    ticket_id: &str,
    label: &str,
    sealed: &str,
    by: &str,
    now: &str,
) -> Sql {
    Sql::new(
        "INSERT INTO credentials (id, ticket_id, label, sealed, created_by, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
         WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?2 AND status NOT IN ('resolved', 'closed'))",
        vec![
            text(id),
            text(ticket_id),
            text(label),
            text(sealed),
            text(by),
            text(now),
        ],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct SealedRow {
    pub id: String,
    pub label: String,
    pub sealed: Option<String>,
}

pub async fn sealed(db: &D1Database, ticket_id: &str, id: &str) -> ApiResult<Option<SealedRow>> {
    first(
        db,
        "SELECT id, label, sealed FROM credentials WHERE id = ?1 AND ticket_id = ?2",
        &[s(id), s(ticket_id)],
    )
    .await
}

/// Each reveal is recorded (who, when, from where).
pub fn record_reveal(id: &str, ticket_id: &str, by: &str, ip: Option<&str>, now: &str) -> Sql {
    Sql::new(
        "INSERT INTO credential_reveals (credential_id, ticket_id, user_id, ip, at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        vec![text(id), text(ticket_id), text(by), opt(ip), text(now)],
    )
}

// ---------------------------------------------------------------------------
// Time entries and the ledger

pub struct NewTime<'a> {
    pub id: &'a str,
    pub ticket_id: &'a str,
    pub offer_id: &'a str,
    pub user_id: &'a str,
    pub minutes: i64,
    pub charged_hours: i64,
    pub warranty: bool,
    pub note: &'a str,
    pub now: &'a str,
}

/// The charge of a time entry: inserted only if the póliza still has the hours, the client
/// authorized them on this ticket, and the ticket is still open — checked inside the insert,
/// so concurrent charges never overdraw (D1 runs one statement at a time).
pub fn charge(t: &NewTime<'_>, contract_id: &str) -> Sql {
    Sql::new(
        "INSERT INTO ledger_entries (contract_id, company_id, kind, hours, ticket_id, time_entry_id, \
           created_by, created_at) \
         SELECT k.id, k.company_id, 'charge', -?3, ?2, ?4, ?5, ?6 FROM contracts k \
         WHERE k.id = ?1 AND k.hours_total - k.hours_used >= ?3 \
           AND (SELECT COALESCE(SUM(hours), 0) FROM offers \
                  WHERE ticket_id = ?2 AND kind = 'estimate' AND state = 'accepted') \
               >= ?3 + (SELECT COALESCE(-SUM(hours), 0) FROM ledger_entries \
                  WHERE ticket_id = ?2 AND kind = 'charge') \
           AND EXISTS (SELECT 1 FROM tickets WHERE id = ?2 AND status NOT IN ('resolved', 'closed'))",
        vec![
            text(contract_id),
            text(t.ticket_id),
            int(t.charged_hours),
            text(t.id),
            text(t.user_id),
            text(t.now),
        ],
    )
}

/// The time entry; when it is charged, only if its charge went in (`charge` first).
pub fn insert_time(t: &NewTime<'_>, charged: bool) -> Sql {
    Sql::new(
        "INSERT INTO time_entries (id, ticket_id, offer_id, user_id, minutes, charged_hours, \
           warranty, note, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 \
         WHERE (?10 = 0 OR EXISTS (SELECT 1 FROM ledger_entries WHERE time_entry_id = ?1)) \
           AND EXISTS (SELECT 1 FROM tickets WHERE id = ?2 AND status NOT IN ('resolved', 'closed'))",
        vec![
            text(t.id),
            text(t.ticket_id),
            text(t.offer_id),
            text(t.user_id),
            int(t.minutes),
            int(t.charged_hours),
            int(t.warranty as i64),
            text(t.note),
            text(t.now),
            int(charged as i64),
        ],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct LedgerRow {
    pub id: i64,
    pub kind: String,
    pub hours: i64,
    pub ticket_id: Option<String>,
    pub ticket_number: Option<String>,
    pub reason: Option<String>,
    pub created_at: String,
}

/// A póliza's ledger, oldest first.
pub async fn ledger(db: &D1Database, contract_id: &str) -> ApiResult<Vec<LedgerRow>> {
    all(
        db,
        "SELECT l.id, l.kind, l.hours, l.ticket_id, t.number AS ticket_number, l.reason, l.created_at \
         FROM ledger_entries l LEFT JOIN tickets t ON t.id = l.ticket_id \
         WHERE l.contract_id = ?1 ORDER BY l.id",
        &[s(contract_id)],
    )
    .await
}

#[derive(Debug, Clone, Deserialize)]
pub struct ContractRef {
    pub hours_total: i64,
    pub hours_used: i64,
}

pub async fn contract(db: &D1Database, id: &str) -> ApiResult<Option<ContractRef>> {
    first(
        db,
        "SELECT hours_total, hours_used FROM contracts WHERE id = ?1",
        &[s(id)],
    )
    .await
}

/// An admin's compensating entry: a negative one only while the hours are there, a positive
/// one only up to what was used (the balance stays within 0 and the plan's hours).
pub fn correction(contract_id: &str, hours: i64, reason: &str, by: &str, now: &str) -> Sql {
    Sql::new(
        "INSERT INTO ledger_entries (contract_id, company_id, kind, hours, reason, created_by, created_at) \
         SELECT k.id, k.company_id, 'correction', ?2, ?3, ?4, ?5 FROM contracts k \
         WHERE k.id = ?1 AND k.hours_total - k.hours_used + ?2 BETWEEN 0 AND k.hours_total \
         RETURNING id",
        vec![
            text(contract_id),
            int(hours),
            text(reason),
            text(by),
            text(now),
        ],
    )
}

// ---------------------------------------------------------------------------
// Invoices

/// A company's invoices (or every company's), newest first, filtered by `status`
/// (`all` | `unpaid` | `overdue` | `paid`; overdue = unpaid and due before `today`).
pub async fn invoices(
    db: &D1Database,
    company_id: Option<&str>,
    status: &str,
    today: &str,
) -> ApiResult<Vec<InvoiceRow>> {
    all(
        db,
        &format!(
            "{INVOICES} WHERE (?1 IS NULL OR i.company_id = ?1) \
               AND (?2 = 'all' OR (?2 = 'paid' AND i.paid_on IS NOT NULL) \
                 OR (?2 = 'unpaid' AND i.paid_on IS NULL) \
                 OR (?2 = 'overdue' AND i.paid_on IS NULL AND i.due_on < ?3)) \
             ORDER BY i.paid_on IS NOT NULL, i.due_on DESC, i.id LIMIT 500"
        ),
        &[super::opt(company_id), s(status), s(today)],
    )
    .await
}

pub async fn invoice(db: &D1Database, id: &str) -> ApiResult<Option<InvoiceRow>> {
    first(db, &format!("{INVOICES} WHERE i.id = ?1"), &[s(id)]).await
}

/// Records the payment once; `false` when it was already paid (or does not exist).
pub fn mark_paid(id: &str, paid_on: &str, reference: &str, by: &str) -> Sql {
    Sql::new(
        "UPDATE invoices SET paid_on = ?2, paid_reference = ?3, paid_by = ?4 \
         WHERE id = ?1 AND paid_on IS NULL",
        vec![text(id), text(paid_on), text(reference), text(by)],
    )
}
