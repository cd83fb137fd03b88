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
