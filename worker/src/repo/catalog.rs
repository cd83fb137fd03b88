//! Companies, services, pólizas and invoices: the facts eligibility and coverage depend on.
use serde::Deserialize;
use worker::D1Database;

use super::{all, first, s};
use crate::error::ApiResult;

/// A company with its current-póliza candidate and invoice situation on `today`.
#[derive(Debug, Clone, Deserialize)]
pub struct CompanyFacts {
    pub id: String,
    pub name: String,
    pub suspended: i64,
    pub only_own_tickets: i64,
    pub overdue: i64,
    pub open_tickets: i64,
    pub flagged: i64,
    pub plan: Option<String>,
    pub hours_total: Option<i64>,
    pub hours_used: Option<i64>,
    pub starts_on: Option<String>,
    #[serde(default)]
    pub contract_id: Option<String>,
}

/// The company facts (`repo::sql::company_facts`, shared with the benchmark).
fn facts() -> String {
    super::sql::company_facts()
}

pub async fn company(db: &D1Database, id: &str, today: &str) -> ApiResult<Option<CompanyFacts>> {
    first(db, &super::sql::company(id, today).text, &[s(today), s(id)]).await
}

pub async fn companies(db: &D1Database, today: &str) -> ApiResult<Vec<CompanyFacts>> {
    all(db, &format!("{} ORDER BY c.name", facts()), &[s(today)]).await
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceRow {
    pub id: String,
    pub company_id: String,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub special_contract: i64,
}

const SERVICE: &str = "SELECT id, company_id, kind, name, status, special_contract FROM services";

pub async fn services(db: &D1Database, company_id: Option<&str>) -> ApiResult<Vec<ServiceRow>> {
    match company_id {
        Some(c) => {
            all(
                db,
                &format!("{SERVICE} WHERE company_id = ?1 ORDER BY status <> 'active', name"),
                &[s(c)],
            )
            .await
        }
        None => {
            all(
                db,
                &format!("{SERVICE} ORDER BY company_id, status <> 'active', name"),
                &[],
            )
            .await
        }
    }
}

pub async fn service(db: &D1Database, id: &str) -> ApiResult<Option<ServiceRow>> {
    first(db, &format!("{SERVICE} WHERE id = ?1"), &[s(id)]).await
}

#[derive(Debug, Clone, Deserialize)]
pub struct StaffRow {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// Active staff (agents and admins), by name: who a ticket can be assigned to.
pub async fn staff_members(db: &D1Database) -> ApiResult<Vec<StaffRow>> {
    all(
        db,
        "SELECT id, name, role FROM users WHERE role IN ('agent', 'admin') AND suspended = 0 \
         ORDER BY name",
        &[],
    )
    .await
}

/// A staff member (agent or admin) by id.
pub async fn staff_user(db: &D1Database, id: &str) -> ApiResult<Option<StaffRow>> {
    first(
        db,
        "SELECT id, name, role FROM users WHERE id = ?1 AND role IN ('agent', 'admin') AND suspended = 0",
        &[s(id)],
    )
    .await
}

#[derive(Debug, Clone, Deserialize)]
pub struct FlagRow {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub company_id: String,
    pub company_name: String,
    pub suspended: i64,
    pub flagged: i64,
    pub last_flagged_at: String,
}

/// Flagged client messages per user, most flagged first (P27).
pub async fn flag_counts(db: &D1Database) -> ApiResult<Vec<FlagRow>> {
    all(
        db,
        "SELECT u.id AS user_id, u.name, u.email, c.id AS company_id, c.name AS company_name, \
           u.suspended, COUNT(*) AS flagged, \
           COALESCE((SELECT MAX(e.created_at) FROM events e WHERE e.kind = 'message_flagged' \
             AND e.ticket_id IN (SELECT m2.ticket_id FROM messages m2 WHERE m2.author_id = u.id AND m2.flagged = 1)), '') \
             AS last_flagged_at \
         FROM messages m JOIN users u ON u.id = m.author_id JOIN companies c ON c.id = u.company_id \
         WHERE m.flagged = 1 GROUP BY u.id ORDER BY flagged DESC, u.name",
        &[],
    )
    .await
}
