//! The repository layer: the only place with SQL. Every query binds its values.
pub mod admin;
pub mod billing;
pub mod calendar;
pub mod catalog;
pub mod chats;
pub mod commit;
pub mod kb;
pub mod notices;
pub mod outbox;
pub mod prices;
pub mod sql;
pub mod sweeps;
pub mod tickets;
pub mod users;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::error::{ApiError, ApiResult};

/// D1's own accounting of the statements run by this isolate since the last
/// [`take_stats`] (the sweep records it per run; requests interleaving in the same isolate
/// would be counted too — runs are measured alone in `cargo xtask bench`).
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct D1Stats {
    pub statements: usize,
    /// Sum of D1's `meta.duration` (SQL time inside D1, not the round trips).
    pub d1_ms: f64,
    pub rows_read: usize,
    pub rows_written: usize,
}

thread_local! {
    static STATS: std::cell::Cell<D1Stats> = const { std::cell::Cell::new(D1Stats {
        statements: 0, d1_ms: 0.0, rows_read: 0, rows_written: 0,
    }) };
}

/// Adds one result's meta to the isolate's counters.
pub fn record(r: &D1Result) {
    if let Ok(Some(m)) = r.meta() {
        STATS.with(|s| {
            let mut v = s.get();
            v.statements += 1;
            v.d1_ms += m.duration.unwrap_or(0.0);
            v.rows_read += m.rows_read.unwrap_or(0);
            v.rows_written += m.rows_written.unwrap_or(0);
            s.set(v);
        });
    }
}

thread_local! {
    /// People notified by committed statements (`RETURNING user_id AS notified_user` in
    /// `notices::fan_out`), until `take_notified`.
    static NOTIFIED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Tickets a sweep changed (`RETURNING … AS changed_ticket` on its event rows).
    static CHANGED: std::cell::RefCell<Vec<Changed>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A ticket changed by a sweep: the event's kind and, for a status change, the new status.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Changed {
    pub ticket_id: String,
    pub what: String,
    pub status: Option<String>,
}

/// Collects the `notified_user` / `changed_ticket` rows of a result (none for most).
fn collect_live(r: &D1Result) {
    #[derive(serde::Deserialize)]
    struct Row {
        #[serde(default)]
        notified_user: Option<String>,
        #[serde(default)]
        changed_ticket: Option<String>,
        #[serde(default)]
        changed_what: Option<String>,
        #[serde(default)]
        changed_status: Option<String>,
    }
    let Ok(rows) = r.results::<Row>() else {
        return;
    };
    for row in rows {
        if let Some(id) = row.notified_user {
            NOTIFIED.with(|n| n.borrow_mut().push(id));
        }
        if let Some(ticket_id) = row.changed_ticket {
            CHANGED.with(|c| {
                c.borrow_mut().push(Changed {
                    ticket_id,
                    what: row.changed_what.unwrap_or_default(),
                    status: row.changed_status,
                })
            });
        }
    }
}

/// The tickets sweeps changed since the last call.
pub fn take_changed() -> Vec<Changed> {
    CHANGED.with(|c| std::mem::take(&mut *c.borrow_mut()))
}

/// Every batch's results pass here: D1's counters and the people notified.
pub fn committed(results: &[D1Result]) {
    for r in results {
        record(r);
        collect_live(r);
    }
}

/// The people notified since the last call (see `live::notified`).
pub fn take_notified() -> Vec<String> {
    NOTIFIED.with(|n| std::mem::take(&mut *n.borrow_mut()))
}

/// The counters since the last call, which resets them.
pub fn take_stats() -> D1Stats {
    STATS.with(|s| s.replace(D1Stats::default()))
}

pub fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> ApiResult<D1PreparedStatement> {
    db.prepare(sql)
        .bind(args)
        .map_err(|e| ApiError::Internal(format!("bind: {e}")))
}

pub async fn first<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> ApiResult<Option<T>> {
    stmt(db, sql, args)?
        .first::<T>(None)
        .await
        .map_err(|e| ApiError::Internal(format!("query: {e} [{sql}]")))
}

pub async fn all<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> ApiResult<Vec<T>> {
    let result = stmt(db, sql, args)?
        .all()
        .await
        .map_err(|e| ApiError::Internal(format!("query: {e} [{sql}]")))?;
    record(&result);
    result
        .results::<T>()
        .map_err(|e| ApiError::Internal(format!("decode: {e}")))
}

/// Runs `stmts` in one round trip (one implicit transaction); one result per statement.
pub async fn batch(db: &D1Database, stmts: Vec<D1PreparedStatement>) -> ApiResult<Vec<D1Result>> {
    if stmts.is_empty() {
        return Ok(Vec::new());
    }
    let results = db
        .batch(stmts)
        .await
        .map_err(|e| ApiError::Internal(format!("batch: {e}")))?;
    committed(&results);
    Ok(results)
}

/// The rows of one batch result.
pub fn rows<T: DeserializeOwned>(r: &D1Result) -> ApiResult<Vec<T>> {
    r.results::<T>()
        .map_err(|e| ApiError::Internal(format!("decode: {e}")))
}

/// Runs a write and returns the number of changed rows.
pub async fn run(db: &D1Database, sql: &str, args: &[JsValue]) -> ApiResult<usize> {
    let result = stmt(db, sql, args)?
        .run()
        .await
        .map_err(|e| ApiError::Internal(format!("write: {e} [{sql}]")))?;
    record(&result);
    Ok(result
        .meta()
        .ok()
        .flatten()
        .and_then(|m| m.changes)
        .unwrap_or(0))
}

pub fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

pub fn opt(v: Option<&str>) -> JsValue {
    v.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

pub fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

/// The D1 values of a pure statement's arguments.
pub fn args(q: &sql::Sql) -> Vec<JsValue> {
    q.args
        .iter()
        .map(|a| match a {
            sql::Arg::Text(v) => s(v),
            sql::Arg::Int(v) => n(*v),
            sql::Arg::Null => JsValue::NULL,
        })
        .collect()
}

/// A pure statement (`repo::sql`) bound for D1.
pub fn bind(db: &D1Database, q: &sql::Sql) -> ApiResult<D1PreparedStatement> {
    stmt(db, &q.text, &args(q))
}
