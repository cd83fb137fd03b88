//! Public endpoints that need no session.
use worker::Response;

use crate::error::ApiResult;
use crate::http::ok;
use domain::api::Health;

#[utoipa::path(get, path = "/api/health", tag = "public",
    responses((status = 200, description = "The service is up", body = Health)))]
pub fn health() -> ApiResult<Response> {
    ok(&Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "public",
    responses((status = 200, description = "This OpenAPI 3.1 document, generated from the `domain::api` types")))]
pub fn openapi() -> ApiResult<Response> {
    ok(&crate::openapi::document())
}
