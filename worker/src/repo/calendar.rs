//! Calendar settings and admin holiday overrides.
use chrono::NaiveDate;
use domain::calendar::CalendarSettings;
use serde::Deserialize;
use worker::D1Database;

use super::{all, batch, rows, run, s, stmt};
use crate::error::ApiResult;

const KEY: &str = "calendar";

#[derive(Deserialize)]
struct Value {
    value: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Override {
    pub date: String,
    pub action: String,
    pub name: String,
}

/// The stored settings with the holiday overrides folded in (defaults when nothing is stored).
pub async fn load(db: &D1Database) -> ApiResult<CalendarSettings> {
    let res = batch(
        db,
        vec![
            stmt(db, "SELECT value FROM settings WHERE key = ?1", &[s(KEY)])?,
            stmt(db, OVERRIDES, &[])?,
        ],
    )
    .await?;
    let stored: Option<Value> = rows::<Value>(&res[0])?.into_iter().next();
    let mut settings: CalendarSettings = stored
        .and_then(|v| serde_json::from_str(&v.value).ok())
        .unwrap_or_default();
    for o in rows::<Override>(&res[1])? {
        let Ok(date) = NaiveDate::parse_from_str(&o.date, "%Y-%m-%d") else {
            continue;
        };
        if o.action == "add" {
            settings.added.insert(date, o.name);
        } else {
            settings.removed.insert(date);
        }
    }
    Ok(settings)
}

const OVERRIDES: &str = "SELECT date, action, name FROM holidays ORDER BY date";

pub async fn overrides(db: &D1Database) -> ApiResult<Vec<Override>> {
    all(db, OVERRIDES, &[]).await
}

/// Stores the office settings (without the overrides, which live in `holidays`).
pub async fn save(db: &D1Database, settings: &CalendarSettings, now: &str) -> ApiResult<()> {
    let mut plain = settings.clone();
    plain.added.clear();
    plain.removed.clear();
    run(
        db,
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        &[s(KEY), s(&serde_json::to_string(&plain)?), s(now)],
    )
    .await?;
    Ok(())
}

pub async fn put_override(db: &D1Database, o: &Override, now: &str) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO holidays (date, action, name, created_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT(date) DO UPDATE SET action = excluded.action, name = excluded.name",
        &[s(&o.date), s(&o.action), s(&o.name), s(now)],
    )
    .await?;
    Ok(())
}

pub async fn delete_override(db: &D1Database, date: &str) -> ApiResult<usize> {
    run(db, "DELETE FROM holidays WHERE date = ?1", &[s(date)]).await
}
