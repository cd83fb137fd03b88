//! Administration endpoints (admins only).
use domain::api::ops::{SweepRunView, SweepRuns};
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::error::ApiResult;
use crate::http::ok;
use crate::repo::sweeps;

#[utoipa::path(get, path = "/api/admin/sweeps", tag = "admin",
    responses((status = 200, description = "The 50 most recent sweep runs, newest first", body = SweepRuns),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not an admin")))]
pub async fn sweep_runs(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let runs = sweeps::recent(&ctx.db, 50)
        .await?
        .into_iter()
        .map(|r| SweepRunView {
            id: r.id,
            cron: r.cron,
            started_at: r.started_at,
            finished_at: r.finished_at,
            counts: r.counts,
        })
        .collect();
    ok(&SweepRuns { runs })
}
