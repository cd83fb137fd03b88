//! JSON bodies of operations endpoints: sweep runs and the test-only time shift.
use serde::{Deserialize, Serialize};

/// One scheduled sweep run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepRunView {
    pub id: i64,
    /// The cron expression that fired.
    pub cron: String,
    /// As stored (UTC).
    pub started_at: String,
    /// `null` while running (or if it died).
    pub finished_at: Option<String>,
    /// JSON text with what the sweep changed, e.g. `{"closed":3}`; `null` while running.
    pub counts: Option<String>,
}

/// `GET /api/admin/sweeps`: the 50 most recent runs, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepRuns {
    pub runs: Vec<SweepRunView>,
}

/// Body of `POST /api/admin/debug/shift-ticket` (test hook).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftRequest {
    pub ticket_id: String,
    /// 1–100,000.
    pub hours: i64,
}

/// Answer of the test hook: which ticket moved, by how many hours into the past.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftResponse {
    pub shifted: String,
    pub hours: i64,
}
