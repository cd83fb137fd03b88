//! The OpenAPI 3 document, generated from the handlers' annotations and the domain types.
use utoipa::OpenApi;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mesa de Soporte API", version = "1"),
    paths(
        routes::public::health,
        routes::public::openapi,
        routes::auth::login,
        routes::auth::logout,
        routes::auth::me,
        routes::admin::sweep_runs,
        routes::calendar::holidays,
        routes::calendar::sla_preview,
        routes::calendar::status,
        routes::calendar::admin_get,
        routes::calendar::admin_put,
        routes::calendar::admin_put_holiday,
        routes::calendar::admin_delete_holiday,
        routes::catalog::services,
        routes::catalog::contract,
        routes::catalog::companies,
        routes::catalog::staff,
        routes::catalog::ticket_options,
        routes::catalog::flags,
        routes::tickets::create::create,
        routes::tickets::read::list,
        routes::tickets::read::get,
        routes::tickets::read::similar,
        routes::tickets::messages::post_message,
        routes::tickets::status::set_status,
        routes::tickets::status::reopen,
        routes::tickets::status::close,
        routes::tickets::staff::assign,
        routes::tickets::staff::merge,
        routes::tickets::staff::out_of_scope,
        routes::tickets::staff::flag,
        routes::attachments::upload,
        routes::attachments::download,
        routes::kb::search_handler,
        routes::kb::categories,
        routes::kb::category,
        routes::kb::article,
        routes::kb::feedback,
        routes::kb::event,
        routes::kb::preview,
        routes::kb::admin_list,
        routes::kb::admin_get,
        routes::kb::admin_create,
        routes::kb::admin_update,
        routes::kb::admin_delete,
        routes::kb::admin_put_category,
        routes::kb::stats,
        routes::kb::upload_image,
        routes::kb::image,
        routes::dev::mailbox,
        routes::dev::mail_failures,
        routes::dev::send_test,
        routes::dev::clock_set,
        routes::dev::clock_reset,
    )
)]
struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
