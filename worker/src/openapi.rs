//! The OpenAPI 3 document, generated from the handlers' annotations and the domain types.
use utoipa::OpenApi;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mesa de Soporte API", version = "1"),
    paths(
        routes::public::health,
        routes::auth::login,
        routes::auth::logout,
        routes::auth::me,
        routes::admin::sweep_runs,
    )
)]
struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
