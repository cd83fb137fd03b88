//! The price list (issue 13, P20): items and their append-only price versions.
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{all, batch, first, n, opt, rows, s, stmt};
use crate::error::ApiResult;

/// An item with its current (latest) price.
#[derive(Debug, Clone, Deserialize)]
pub struct PriceRow {
    pub id: String,
    pub name: String,
    pub active: i64,
    pub standard_hours: i64,
    pub standard_cents: i64,
    pub preferential_cents: i64,
}

/// One stored price of an item.
#[derive(Debug, Clone, Deserialize)]
pub struct VersionRow {
    pub item_id: String,
    pub standard_hours: i64,
    pub standard_cents: i64,
    pub preferential_cents: i64,
    pub valid_from: String,
    pub created_by: Option<String>,
}

const CURRENT: &str = "SELECT i.id, i.name, i.active, v.standard_hours, v.standard_cents, \
       v.preferential_cents \
     FROM price_items i JOIN price_versions v \
       ON v.id = (SELECT MAX(id) FROM price_versions WHERE item_id = i.id)";

/// Every item at its current price, by name; only the offered ones unless `all_items`.
pub async fn current(db: &D1Database, all_items: bool) -> ApiResult<Vec<PriceRow>> {
    all(
        db,
        &format!("{CURRENT} WHERE (?1 = 1 OR i.active = 1) ORDER BY i.name COLLATE NOCASE, i.id"),
        &[n(all_items as i64)],
    )
    .await
}

/// The items offered now at their current prices, as quotes use them.
pub async fn offered(db: &D1Database) -> ApiResult<Vec<domain::billing::PriceItem>> {
    Ok(current(db, false)
        .await?
        .into_iter()
        .map(|r| domain::billing::PriceItem {
            id: r.id,
            name: r.name,
            standard_hours: r.standard_hours as u32,
            standard_cents: r.standard_cents,
            preferential_cents: r.preferential_cents,
        })
        .collect())
}

/// One item at its current price.
pub async fn item(db: &D1Database, id: &str) -> ApiResult<Option<PriceRow>> {
    first(db, &format!("{CURRENT} WHERE i.id = ?1"), &[s(id)]).await
}

/// Every item (offered or not) with all its prices newest first, in one round trip.
pub async fn with_history(
    db: &D1Database,
    id: Option<&str>,
) -> ApiResult<(Vec<PriceRow>, Vec<VersionRow>)> {
    let r = batch(
        db,
        vec![
            stmt(
                db,
                &format!(
                    "{CURRENT} WHERE (?1 IS NULL OR i.id = ?1) ORDER BY i.name COLLATE NOCASE, i.id"
                ),
                &[opt(id)],
            )?,
            stmt(
                db,
                "SELECT v.item_id, v.standard_hours, v.standard_cents, v.preferential_cents, \
                   v.valid_from, u.name AS created_by \
                 FROM price_versions v LEFT JOIN users u ON u.id = v.created_by \
                 WHERE (?1 IS NULL OR v.item_id = ?1) ORDER BY v.item_id, v.id DESC",
                &[opt(id)],
            )?,
        ],
    )
    .await?;
    Ok((rows(&r[0])?, rows(&r[1])?))
}

pub fn insert_item(
    db: &D1Database,
    id: &str,
    name: &str,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO price_items (id, name, active, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?3)",
        &[s(id), s(name), s(now)],
    )
}

/// Name and "offered" change in place (they are not prices).
pub fn update_item(
    db: &D1Database,
    id: &str,
    name: &str,
    active: bool,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "UPDATE price_items SET name = ?2, active = ?3, updated_at = ?4 WHERE id = ?1",
        &[s(id), s(name), n(active as i64), s(now)],
    )
}

/// A new price of `item_id`, in force from `now`.
pub fn insert_version(
    db: &D1Database,
    item_id: &str,
    p: &domain::billing::PriceInput,
    by: &str,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO price_versions (item_id, standard_hours, standard_cents, preferential_cents, \
           valid_from, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            s(item_id),
            n(p.standard_hours as i64),
            n(p.standard_cents),
            n(p.preferential_cents),
            s(now),
            s(by),
        ],
    )
}
