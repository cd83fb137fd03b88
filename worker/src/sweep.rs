//! Scheduled sweeps. Each run is recorded in `sweep_runs` with its counts.
use serde::Serialize;
use worker::D1Database;

use crate::error::ApiResult;
use crate::repo::{sweeps, users};
use crate::util::{db_time, now};

#[derive(Debug, Default, Serialize)]
pub struct SweepCounts {
    pub expired_sessions: usize,
}

pub async fn run(db: &D1Database, cron: &str) -> ApiResult<SweepCounts> {
    let started = now();
    let run_id = sweeps::start(db, cron, &db_time(started)).await?;
    let counts = SweepCounts {
        expired_sessions: users::delete_expired_sessions(db, &db_time(started)).await?,
    };
    sweeps::finish(db, run_id, &db_time(now()), &serde_json::to_string(&counts)?).await?;
    Ok(counts)
}
