//! Administration endpoints (admins only).
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::error::ApiResult;
use crate::http::ok;
use crate::repo::sweeps;

#[utoipa::path(get, path = "/api/admin/sweeps", tag = "admin",
    responses((status = 200, description = "The 50 most recent sweep runs, newest first"),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not an admin")))]
pub async fn sweep_runs(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    ok(&serde_json::json!({ "runs": sweeps::recent(&ctx.db, 50).await? }))
}
