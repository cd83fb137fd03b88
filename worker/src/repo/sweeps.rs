//! Records of scheduled sweep runs.
use worker::D1Database;

use super::{first, n, run, s};
use crate::error::ApiResult;

pub async fn start(db: &D1Database, cron: &str, now: &str) -> ApiResult<i64> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    let row: Option<Id> = first(
        db,
        "INSERT INTO sweep_runs (cron, started_at) VALUES (?1, ?2) RETURNING id",
        &[s(cron), s(now)],
    )
    .await?;
    Ok(row.map(|r| r.id).unwrap_or(0))
}

pub async fn finish(db: &D1Database, id: i64, now: &str, counts_json: &str) -> ApiResult<()> {
    run(
        db,
        "UPDATE sweep_runs SET finished_at = ?2, counts = ?3 WHERE id = ?1",
        &[n(id), s(now), s(counts_json)],
    )
    .await?;
    Ok(())
}

#[derive(Debug, serde::Deserialize)]
pub struct SweepRun {
    pub id: i64,
    pub cron: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub counts: Option<String>,
}

pub async fn recent(db: &D1Database, limit: i64) -> ApiResult<Vec<SweepRun>> {
    super::all(
        db,
        "SELECT id, cron, started_at, finished_at, counts FROM sweep_runs ORDER BY id DESC LIMIT ?1",
        &[n(limit)],
    )
    .await
}
