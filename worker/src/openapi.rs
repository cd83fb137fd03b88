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
        routes::auth::logout_everywhere,
        routes::auth::me,
        routes::admin::sweep_runs,
        routes::admin::companies::list,
        routes::admin::companies::create,
        routes::admin::companies::get,
        routes::admin::companies::patch,
        routes::admin::companies::suspend,
        routes::admin::companies::unsuspend,
        routes::admin::companies::create_service,
        routes::admin::companies::patch_service,
        routes::admin::companies::create_contract,
        routes::admin::users::list,
        routes::admin::users::create,
        routes::admin::users::patch,
        routes::admin::users::suspend,
        routes::admin::users::unsuspend,
        routes::admin::audit::list,
        routes::admin::import::import,
        routes::admin::settings::get_conduct,
        routes::admin::settings::put_conduct,
        routes::prices::list,
        routes::prices::admin_list,
        routes::prices::create,
        routes::prices::patch,
        routes::billing::get,
        routes::billing::quote,
        routes::billing::estimate,
        routes::billing::authorize,
        routes::billing::checklist,
        routes::billing::add_credential,
        routes::billing::reveal,
        routes::billing::time,
        routes::billing::complete,
        routes::invoices::ledger,
        routes::invoices::list,
        routes::invoices::admin_list,
        routes::invoices::mark_paid,
        routes::invoices::correction,
        routes::account::activate,
        routes::account::forgot,
        routes::account::reset,
        routes::account::change_password,
        routes::account::patch_me,
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
        routes::chat::live,
        routes::chat::lobby,
        routes::chat::own,
        routes::chat::status,
        routes::chat::request,
        routes::chat::take,
        routes::chat::queue,
        routes::tickets::status::set_status,
        routes::tickets::status::reopen,
        routes::sla::set_breach_reason,
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
        routes::notifications::list,
        routes::notifications::mark_read,
        routes::notifications::get_prefs,
        routes::notifications::put_prefs,
        routes::dev::mail_failures,
        routes::dev::send_test,
        routes::dev::clock_set,
        routes::dev::clock_reset,
        routes::dev::contract_hours,
        routes::dev::create_invoice,
    )
)]
struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    complete(&mut doc);
    doc
}

/// Operations anyone may call without a session. Every other operation answers 401 to an
/// anonymous caller and 403 to a role it is not for.
const PUBLIC: &[&str] = &[
    "/api/health",
    "/api/openapi.json",
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/activate",
    "/api/auth/forgot",
    "/api/auth/reset",
    "/api/calendar/holidays",
    "/api/calendar/status",
    "/api/sla/preview",
    "/api/kb/search",
    "/api/kb/categories",
    "/api/kb/categories/{slug}",
    "/api/kb/articles/{slug}",
    "/api/kb/articles/{slug}/feedback",
    "/api/kb/events",
    "/api/kb/images/{id}",
];

/// Operations behind a Workers rate-limit binding (429 with `Retry-After`).
const RATE_LIMITED: &[&str] = &[
    "/api/auth/login",
    "/api/auth/forgot",
    "/api/kb/articles/{slug}/feedback",
    "/api/kb/events",
];

/// The answers every handler can give through the shared plumbing, added to each operation
/// where they apply (one place instead of ~90 annotations): 401/403 from `auth`, 400/413/415
/// from `http::read_json` and query parsing, 404 for a path naming nothing visible, 403 for a
/// foreign `Origin` on a write, 429 from the rate limits. Documented errors without a body
/// get the error schema. Also the session cookie as the security scheme.
fn complete(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
    use utoipa::openapi::{Content, Ref, RefOr, Response};

    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "session".into(),
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::http::SESSION_COOKIE,
            "Set by POST /api/auth/login (HttpOnly, SameSite=Lax); 7 days sliding, 30 days at most",
        ))),
    );
    let error_content = || Content::new(Some(Ref::from_schema_name("ErrorBody")));
    for (path, item) in doc.paths.paths.iter_mut() {
        let public = PUBLIC.contains(&path.as_str());
        let limited = RATE_LIMITED.contains(&path.as_str());
        let ops = [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.patch.as_mut()),
            (true, item.delete.as_mut()),
        ];
        for (writes, op) in ops {
            let Some(op) = op else { continue };
            let params = op.parameters.as_deref().unwrap_or_default();
            let has_path = params
                .iter()
                .any(|p| matches!(p.parameter_in, ParameterIn::Path));
            let has_query = params
                .iter()
                .any(|p| matches!(p.parameter_in, ParameterIn::Query | ParameterIn::Header));
            let has_body = op.request_body.is_some();
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(Response::new(description)));
            };
            if !public {
                add("401", "Not signed in, or the session ended");
                add(
                    "403",
                    "Signed in with a role (or a suspension) that may not do this",
                );
            }
            if writes {
                add(
                    "403",
                    "A request from another site's page (foreign `Origin`)",
                );
            }
            if has_body {
                add(
                    "400",
                    "Malformed JSON, or a missing or unknown field (with `field`)",
                );
                add("413", "Body over 64 KiB (10 MB for uploads)");
                add("415", "Body not sent as `application/json`");
            }
            if has_query {
                add("400", "A parameter out of range or too long (with `field`)");
            }
            if has_path {
                add("404", "Nothing by that id visible to you");
            }
            if limited {
                add("429", "Too many requests; see `Retry-After`");
            }
            if !public {
                op.security = Some(vec![SecurityRequirement::new(
                    "session",
                    Vec::<String>::new(),
                )]);
            }
            for (status, response) in op.responses.responses.iter_mut() {
                if let RefOr::T(r) = response {
                    if status.as_str() >= "400" && r.content.is_empty() {
                        r.content.insert("application/json".into(), error_content());
                    }
                }
            }
        }
    }
}

/// Methods the document lists for a path (`segs` after `/api/`), for a 405's `Allow`.
/// The router and the document list the same routes (tests/api/openapi.test.mjs).
pub fn allowed_methods(segs: &[&str]) -> Vec<String> {
    // Only the paths are needed: skip `complete`'s per-operation work on this miss path.
    let doc = ApiDoc::openapi();
    let mut methods: Vec<String> = doc
        .paths
        .paths
        .iter()
        .filter(|(template, _)| template_matches(template, segs))
        .flat_map(|(_, item)| {
            [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(m, _)| m.to_string())
        })
        .collect();
    methods.sort();
    methods.dedup();
    methods
}

/// `/api/tickets/{id}/status` matches `["tickets", "T-1", "status"]`.
fn template_matches(template: &str, segs: &[&str]) -> bool {
    let parts: Vec<&str> = template
        .strip_prefix("/api/")
        .unwrap_or(template)
        .split('/')
        .collect();
    parts.len() == segs.len()
        && parts
            .iter()
            .zip(segs)
            .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
}
