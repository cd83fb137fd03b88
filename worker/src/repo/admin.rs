//! Administration (issue 12): companies, services, pólizas, people, suspensions, one-time
//! account tokens and the append-only audit trail. Writes are statements for the caller's
//! one batch; reads that belong together run as one batch.
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{all, batch, first, n, opt, rows, s, stmt};
use crate::error::{ApiError, ApiResult};

// --- companies -------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CompanyRow {
    pub id: String,
    pub name: String,
    pub tax_id: Option<String>,
    pub only_own_tickets: i64,
    pub suspended: i64,
    pub suspended_reason: Option<String>,
    pub suspended_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CompanyListRow {
    #[serde(flatten)]
    pub company: CompanyRow,
    pub people: i64,
    pub open_tickets: i64,
}

const COMPANY: &str = "c.id, c.name, c.tax_id, c.only_own_tickets, c.suspended, \
   c.suspended_reason, c.suspended_at, c.created_at";

#[derive(Deserialize)]
struct Count {
    n: i64,
}

/// A page of companies in name order, filtered by an FTS5 expression when given.
pub async fn companies_page(
    db: &D1Database,
    matching: Option<&str>,
    limit: i64,
    offset: i64,
) -> ApiResult<(Vec<CompanyListRow>, i64)> {
    let filter = if matching.is_some() {
        "WHERE c.rowid IN (SELECT rowid FROM companies_fts WHERE companies_fts MATCH ?3)"
    } else {
        "WHERE ?3 IS NULL"
    };
    let page = stmt(
        db,
        &format!(
            "SELECT {COMPANY}, \
               (SELECT COUNT(*) FROM users u WHERE u.company_id = c.id AND u.deactivated_at IS NULL) AS people, \
               (SELECT COUNT(*) FROM tickets t WHERE t.company_id = c.id AND t.status NOT IN {finished}) AS open_tickets \
             FROM companies c {filter} ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?1 OFFSET ?2",
            finished = domain::ticket::Status::sql_list(&domain::ticket::Status::FINISHED)
        ),
        &[n(limit), n(offset), opt(matching)],
    )?;
    let count = stmt(
        db,
        &format!("SELECT COUNT(*) AS n FROM companies c {filter} AND ?1 = ?1 AND ?2 = ?2"),
        &[n(0), n(0), opt(matching)],
    )?;
    let res = batch(db, vec![page, count]).await?;
    let total = rows::<Count>(&res[1])?.first().map(|c| c.n).unwrap_or(0);
    Ok((rows(&res[0])?, total))
}

pub async fn company(db: &D1Database, id: &str) -> ApiResult<Option<CompanyRow>> {
    first(
        db,
        &format!("SELECT {COMPANY} FROM companies c WHERE c.id = ?1"),
        &[s(id)],
    )
    .await
}

pub fn insert_company(db: &D1Database, c: &CompanyRow) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO companies (id, name, tax_id, only_own_tickets, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            s(&c.id),
            s(&c.name),
            opt(c.tax_id.as_deref()),
            n(c.only_own_tickets),
            s(&c.created_at),
        ],
    )
}

pub fn update_company(db: &D1Database, c: &CompanyRow) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE companies SET name = ?2, tax_id = ?3, only_own_tickets = ?4, suspended = ?5, \
         suspended_reason = ?6, suspended_at = ?7 WHERE id = ?1",
        &[
            s(&c.id),
            s(&c.name),
            opt(c.tax_id.as_deref()),
            n(c.only_own_tickets),
            n(c.suspended),
            opt(c.suspended_reason.as_deref()),
            opt(c.suspended_at.as_deref()),
        ],
    )
}

// --- services --------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AdminServiceRow {
    pub id: String,
    pub company_id: String,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub special_contract: i64,
    pub special_contract_until: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceEventRow {
    pub service_id: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub created_at: String,
}

const SERVICE: &str =
    "SELECT id, company_id, kind, name, status, special_contract, special_contract_until FROM services";

pub async fn service(db: &D1Database, id: &str) -> ApiResult<Option<AdminServiceRow>> {
    first(db, &format!("{SERVICE} WHERE id = ?1"), &[s(id)]).await
}

pub fn insert_service(
    db: &D1Database,
    v: &AdminServiceRow,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO services (id, company_id, kind, name, status, special_contract, special_contract_until, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            s(&v.id),
            s(&v.company_id),
            s(&v.kind),
            s(&v.name),
            s(&v.status),
            n(v.special_contract),
            opt(v.special_contract_until.as_deref()),
            s(now),
        ],
    )
}

pub fn update_service(db: &D1Database, v: &AdminServiceRow) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE services SET name = ?2, status = ?3, special_contract = ?4, special_contract_until = ?5 WHERE id = ?1",
        &[
            s(&v.id),
            s(&v.name),
            s(&v.status),
            n(v.special_contract),
            opt(v.special_contract_until.as_deref()),
        ],
    )
}

pub fn service_event(
    db: &D1Database,
    service_id: &str,
    actor_id: &str,
    from: Option<&str>,
    to: &str,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO service_events (service_id, actor_id, from_status, to_status, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[s(service_id), s(actor_id), opt(from), s(to), s(now)],
    )
}

pub async fn service_events(db: &D1Database, service_id: &str) -> ApiResult<Vec<ServiceEventRow>> {
    all(
        db,
        "SELECT e.service_id, e.from_status, e.to_status, e.actor_id, u.name AS actor_name, e.created_at \
         FROM service_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.service_id = ?1 ORDER BY e.id DESC",
        &[s(service_id)],
    )
    .await
}

// --- contracts (append-only) -----------------------------------------------------

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ContractRow {
    pub id: String,
    pub company_id: String,
    pub plan: String,
    pub hours_total: i64,
    pub hours_used: i64,
    pub starts_on: String,
    pub replaces_id: Option<String>,
    pub replaced_by: Option<String>,
    pub created_at: String,
}

const CONTRACT: &str = "SELECT k.id, k.company_id, k.plan, k.hours_total, k.hours_used, k.starts_on, \
   k.replaces_id, (SELECT r.id FROM contracts r WHERE r.replaces_id = k.id) AS replaced_by, k.created_at \
   FROM contracts k";

pub async fn contract(db: &D1Database, id: &str) -> ApiResult<Option<ContractRow>> {
    first(db, &format!("{CONTRACT} WHERE k.id = ?1"), &[s(id)]).await
}

pub fn insert_contract(
    db: &D1Database,
    k: &ContractRow,
    actor_id: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO contracts (id, company_id, plan, hours_total, hours_used, starts_on, replaces_id, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            s(&k.id),
            s(&k.company_id),
            s(&k.plan),
            n(k.hours_total),
            n(k.hours_used),
            s(&k.starts_on),
            opt(k.replaces_id.as_deref()),
            s(actor_id),
            s(&k.created_at),
        ],
    )
}

// --- people ----------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AdminUserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub company_id: Option<String>,
    pub company_name: Option<String>,
    pub phone: Option<String>,
    pub invited: i64,
    pub deactivated_at: Option<String>,
    pub suspended: i64,
    pub suspended_reason: Option<String>,
    pub suspended_at: Option<String>,
    pub flagged: i64,
    pub created_at: String,
}

/// Password placeholder of an invited person: never verifies (not a PBKDF2 hash).
pub const INVITED: &str = "!";

const USER: &str = "SELECT u.id, u.email, u.name, u.role, u.company_id, c.name AS company_name, u.phone, \
   (u.password_hash = '!') AS invited, u.deactivated_at, u.suspended, u.suspended_reason, u.suspended_at, \
   (SELECT COUNT(*) FROM messages m WHERE m.author_id = u.id AND m.flagged = 1) AS flagged, u.created_at \
   FROM users u LEFT JOIN companies c ON c.id = u.company_id";

pub async fn user(db: &D1Database, id: &str) -> ApiResult<Option<AdminUserRow>> {
    first(db, &format!("{USER} WHERE u.id = ?1"), &[s(id)]).await
}

pub async fn user_id_by_email(db: &D1Database, email: &str) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(
        first::<Id>(db, "SELECT id FROM users WHERE email = ?1", &[s(email)])
            .await?
            .map(|r| r.id),
    )
}

/// A page of people, newest first, filtered by role / company / e-mail or name prefix.
pub async fn users_page(
    db: &D1Database,
    role: Option<&str>,
    company_id: Option<&str>,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> ApiResult<(Vec<AdminUserRow>, i64)> {
    let filter = "WHERE (?3 IS NULL OR u.role = ?3) AND (?4 IS NULL OR u.company_id = ?4) \
       AND (?5 IS NULL OR substr(lower(u.email), 1, length(?5)) = ?5 \
            OR substr(lower(u.name), 1, length(?5)) = ?5)";
    let args = [n(limit), n(offset), opt(role), opt(company_id), opt(q)];
    let page = stmt(
        db,
        &format!("{USER} {filter} ORDER BY u.created_at DESC, u.id LIMIT ?1 OFFSET ?2"),
        &args,
    )?;
    let count = stmt(
        db,
        &format!("SELECT COUNT(*) AS n FROM users u {filter} AND ?1 = ?1 AND ?2 = ?2"),
        &args,
    )?;
    let res = batch(db, vec![page, count]).await?;
    let total = rows::<Count>(&res[1])?.first().map(|c| c.n).unwrap_or(0);
    Ok((rows(&res[0])?, total))
}

pub fn insert_user(
    db: &D1Database,
    u: &AdminUserRow,
    password_hash: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO users (id, email, name, role, company_id, phone, password_hash, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            s(&u.id),
            s(&u.email),
            s(&u.name),
            s(&u.role),
            opt(u.company_id.as_deref()),
            opt(u.phone.as_deref()),
            s(password_hash),
            s(&u.created_at),
        ],
    )
}

pub fn update_user(db: &D1Database, u: &AdminUserRow) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE users SET name = ?2, role = ?3, company_id = ?4, phone = ?5, deactivated_at = ?6, \
         suspended = ?7, suspended_reason = ?8, suspended_at = ?9 WHERE id = ?1",
        &[
            s(&u.id),
            s(&u.name),
            s(&u.role),
            opt(u.company_id.as_deref()),
            opt(u.phone.as_deref()),
            opt(u.deactivated_at.as_deref()),
            n(u.suspended),
            opt(u.suspended_reason.as_deref()),
            opt(u.suspended_at.as_deref()),
        ],
    )
}

pub fn update_profile(
    db: &D1Database,
    user_id: &str,
    name: &str,
    phone: Option<&str>,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE users SET name = ?2, phone = ?3 WHERE id = ?1",
        &[s(user_id), s(name), opt(phone)],
    )
}

pub fn set_password(db: &D1Database, user_id: &str, hash: &str) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE users SET password_hash = ?2 WHERE id = ?1 AND deactivated_at IS NULL",
        &[s(user_id), s(hash)],
    )
}

/// Ends every session of a person (all of them, or all but `keep`).
pub fn end_sessions(
    db: &D1Database,
    user_id: &str,
    keep: Option<&str>,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)",
        &[s(user_id), opt(keep)],
    )
}

pub fn set_language(
    db: &D1Database,
    user_id: &str,
    lang: &str,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO user_preferences (user_id, lang, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at",
        &[s(user_id), s(lang), s(now)],
    )
}

pub async fn language(db: &D1Database, user_id: &str) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct L {
        lang: String,
    }
    Ok(first::<L>(
        db,
        "SELECT lang FROM user_preferences WHERE user_id = ?1",
        &[s(user_id)],
    )
    .await?
    .map(|l| l.lang))
}

// --- company page ----------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct InvoiceRow {
    pub id: String,
    pub amount_cents: i64,
    pub delivered_on: String,
    pub due_on: String,
    pub paid_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TicketLineRow {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FlaggedRow {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub ticket_id: String,
    pub ticket_number: String,
    pub body: String,
    pub created_at: String,
}

pub struct CompanyPage {
    pub people: Vec<AdminUserRow>,
    pub services: Vec<AdminServiceRow>,
    pub events: Vec<ServiceEventRow>,
    pub contracts: Vec<ContractRow>,
    pub invoices: Vec<InvoiceRow>,
    pub open_tickets: Vec<TicketLineRow>,
    pub flagged: Vec<FlaggedRow>,
    /// Flags after which the admin is prompted to suspend (the setting or the default).
    pub flag_threshold: i64,
}

/// Everything on a company's admin page, in one round trip.
pub async fn company_page(db: &D1Database, id: &str) -> ApiResult<CompanyPage> {
    let a = [s(id)];
    let stmts = vec![
        stmt(db, &format!("{USER} WHERE u.company_id = ?1 ORDER BY u.name"), &a)?,
        stmt(db, &format!("{SERVICE} WHERE company_id = ?1 ORDER BY status <> 'active', name"), &a)?,
        stmt(
            db,
            "SELECT e.service_id, e.from_status, e.to_status, e.actor_id, u.name AS actor_name, e.created_at \
             FROM service_events e JOIN services sv ON sv.id = e.service_id LEFT JOIN users u ON u.id = e.actor_id \
             WHERE sv.company_id = ?1 ORDER BY e.id DESC",
            &a,
        )?,
        stmt(db, &format!("{CONTRACT} WHERE k.company_id = ?1 ORDER BY k.created_at DESC, k.starts_on DESC"), &a)?,
        stmt(
            db,
            "SELECT id, amount_cents, delivered_on, due_on, paid_on FROM invoices WHERE company_id = ?1 ORDER BY due_on DESC LIMIT 50",
            &a,
        )?,
        stmt(
            db,
            &format!(
                "SELECT id, number, subject, status, created_at FROM tickets \
                 WHERE company_id = ?1 AND status NOT IN {} ORDER BY number LIMIT 50",
                domain::ticket::Status::sql_list(&domain::ticket::Status::FINISHED)
            ),
            &a,
        )?,
        stmt(
            db,
            "SELECT m.id, m.author_id, u.name AS author_name, m.ticket_id, t.number AS ticket_number, m.body, m.created_at \
             FROM users u JOIN messages m ON m.author_id = u.id AND m.flagged = 1 JOIN tickets t ON t.id = m.ticket_id \
             WHERE u.company_id = ?1 ORDER BY m.created_at DESC LIMIT 200",
            &a,
        )?,
        flag_threshold_stmt(db)?,
    ];
    let r = batch(db, stmts).await?;
    Ok(CompanyPage {
        flag_threshold: flag_threshold_of(&r[7])?,
        people: rows(&r[0])?,
        services: rows(&r[1])?,
        events: rows(&r[2])?,
        contracts: rows(&r[3])?,
        invoices: rows(&r[4])?,
        open_tickets: rows(&r[5])?,
        flagged: rows(&r[6])?,
    })
}

// --- account tokens --------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct TokenRow {
    pub user_id: String,
    pub email: String,
    pub purpose: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub deactivated_at: Option<String>,
}

pub fn insert_token(
    db: &D1Database,
    hash: &str,
    user_id: &str,
    purpose: &str,
    now: &str,
    expires_at: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[s(hash), s(user_id), s(purpose), s(now), s(expires_at)],
    )
}

pub async fn token(db: &D1Database, hash: &str) -> ApiResult<Option<TokenRow>> {
    first(
        db,
        "SELECT t.user_id, u.email, t.purpose, t.expires_at, t.used_at, u.deactivated_at \
         FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
        &[s(hash)],
    )
    .await
}

/// Marks a token used; guarded so that of two concurrent uses only one changes a row.
pub fn use_token(db: &D1Database, hash: &str, now: &str) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE account_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
        &[s(hash), s(now)],
    )
}

/// Every other unused token of the person for the same purpose stops working.
pub fn retire_tokens(
    db: &D1Database,
    user_id: &str,
    purpose: &str,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE account_tokens SET used_at = ?3 WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL",
        &[s(user_id), s(purpose), s(now)],
    )
}

// --- audit -----------------------------------------------------------------------

pub struct AuditInsert<'a> {
    pub actor_id: Option<&'a str>,
    pub actor_email: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: &'a str,
    pub now: &'a str,
}

pub fn insert_audit(db: &D1Database, a: &AuditInsert) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO audit_log (actor_id, actor_email, action, entity, entity_id, before, after, ip, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            opt(a.actor_id),
            opt(a.actor_email),
            s(a.action),
            s(a.entity),
            opt(a.entity_id),
            opt(a.before.as_deref()),
            opt(a.after.as_deref()),
            s(a.ip),
            s(a.now),
        ],
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
    pub created_at: String,
}

pub struct AuditFilter<'a> {
    pub entity: Option<&'a str>,
    pub entity_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub action: Option<&'a str>,
    pub since: Option<&'a str>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Newest first; every filter optional (each has an index to start from).
pub async fn audit(db: &D1Database, f: &AuditFilter<'_>) -> ApiResult<Vec<AuditRow>> {
    let before: JsValue = f.before_id.map(n).unwrap_or(JsValue::NULL);
    all(
        db,
        "SELECT id, actor_id, actor_email, action, entity, entity_id, before, after, ip, created_at FROM audit_log \
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR actor_id = ?3) \
           AND (?4 IS NULL OR action = ?4) AND (?5 IS NULL OR created_at >= ?5) AND (?6 IS NULL OR id < ?6) \
         ORDER BY id DESC LIMIT ?7",
        &[
            opt(f.entity),
            opt(f.entity_id),
            opt(f.actor_id),
            opt(f.action),
            opt(f.since),
            before,
            n(f.limit),
        ],
    )
    .await
}

/// Runs a write batch; a UNIQUE violation (e.g. a taken e-mail) becomes `conflict`.
pub async fn commit(
    db: &D1Database,
    stmts: Vec<D1PreparedStatement>,
    conflict: ApiError,
) -> ApiResult<Vec<worker::D1Result>> {
    match db.batch(stmts).await {
        Ok(r) => {
            super::committed(&r);
            Ok(r)
        }
        Err(e) if e.to_string().contains("UNIQUE") => Err(conflict),
        Err(e) => Err(ApiError::Internal(format!("batch: {e}"))),
    }
}

// --- CSV import --------------------------------------------------------------------

/// What exists for the company names and e-mails an import mentions, in one round trip:
/// companies by name (SQLite's `lower`, ASCII case only), accounts by e-mail, and the
/// services of those companies.
pub async fn import_existing(
    db: &D1Database,
    names: &[String],
    emails: &[String],
) -> ApiResult<domain::import::Existing> {
    #[derive(Deserialize)]
    struct C {
        id: String,
        name: String,
    }
    #[derive(Deserialize)]
    struct E {
        email: String,
    }
    #[derive(Deserialize)]
    struct S {
        company_id: String,
        kind: String,
        name: String,
    }
    let names = s(&serde_json::to_string(names)?);
    let emails = s(&serde_json::to_string(emails)?);
    let by_name = "SELECT id, name FROM companies WHERE lower(trim(name)) IN \
       (SELECT lower(trim(value)) FROM json_each(?1))";
    let stmts = vec![
        stmt(db, by_name, std::slice::from_ref(&names))?,
        stmt(
            db,
            "SELECT email FROM users WHERE email IN (SELECT value FROM json_each(?1))",
            &[emails],
        )?,
        stmt(
            db,
            &format!(
                "SELECT company_id, kind, name FROM services WHERE company_id IN (SELECT id FROM ({by_name}))"
            ),
            &[names],
        )?,
    ];
    let r = batch(db, stmts).await?;
    Ok(domain::import::Existing {
        companies: rows::<C>(&r[0])?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect(),
        emails: rows::<E>(&r[1])?.into_iter().map(|e| e.email).collect(),
        services: rows::<S>(&r[2])?
            .into_iter()
            .map(|v| (v.company_id, v.kind, v.name))
            .collect(),
    })
}

// --- conduct (P27) -------------------------------------------------------------------

/// Flagged messages of the author of message `message_id` (the message itself included
/// once flagged).
pub async fn flags_before(db: &D1Database, message_id: &str) -> ApiResult<i64> {
    Ok(first::<Count>(
        db,
        "SELECT COUNT(*) AS n FROM messages WHERE flagged = 1 AND author_id = \
         (SELECT author_id FROM messages WHERE id = ?1)",
        &[s(message_id)],
    )
    .await?
    .map(|c| c.n)
    .unwrap_or(0))
}

const CONDUCT_KEY: &str = "conduct";

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ConductSettings {
    pub flag_threshold: i64,
}

/// Flags after which the admin is prompted to suspend: the stored setting or the default.
pub fn flag_threshold_stmt(db: &D1Database) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "SELECT value FROM settings WHERE key = ?1",
        &[s(CONDUCT_KEY)],
    )
}

pub fn flag_threshold_of(r: &worker::D1Result) -> ApiResult<i64> {
    #[derive(Deserialize)]
    struct V {
        value: String,
    }
    Ok(rows::<V>(r)?
        .first()
        .and_then(|v| serde_json::from_str::<ConductSettings>(&v.value).ok())
        .map(|c| c.flag_threshold)
        .unwrap_or(domain::accounts::DEFAULT_FLAGS_BEFORE_SUSPENSION))
}

pub async fn flag_threshold(db: &D1Database) -> ApiResult<i64> {
    let r = batch(db, vec![flag_threshold_stmt(db)?]).await?;
    flag_threshold_of(&r[0])
}

pub fn set_conduct(
    db: &D1Database,
    c: &ConductSettings,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        &[s(CONDUCT_KEY), s(&serde_json::to_string(c)?), s(now)],
    )
}
