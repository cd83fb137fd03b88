//! `GET/PUT /api/admin/settings/conduct`: the P27 flag threshold (audited).
use domain::accounts;
use domain::api::admin::ConductSettingsView;
use domain::api::ErrorBody;
use worker::{Request, Response};

use super::super::Ctx;
use super::Admin;
use crate::error::ApiResult;
use crate::http::{ok, read_json};
use crate::repo::admin::{self as repo, ConductSettings};

#[utoipa::path(get, path = "/api/admin/settings/conduct", tag = "admin",
    responses((status = 200, body = ConductSettingsView, description = "The flag threshold (default 3)"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn get_conduct(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    ok(&ConductSettingsView {
        flag_threshold: repo::flag_threshold(&ctx.db).await?,
    })
}

#[utoipa::path(put, path = "/api/admin/settings/conduct", tag = "admin", request_body = ConductSettingsView,
    responses((status = 200, body = ConductSettingsView, description = "Stored; audited as settings.update"),
              (status = 422, body = ErrorBody, description = "Not 1 to 20 (field `flag_threshold`)"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn put_conduct(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: ConductSettingsView = read_json(req).await?;
    let after = ConductSettings {
        flag_threshold: accounts::flag_threshold(body.flag_threshold)?,
    };
    let before = ConductSettings {
        flag_threshold: repo::flag_threshold(&ctx.db).await?,
    };
    let stmts = vec![
        repo::set_conduct(&ctx.db, &after, &admin.now_s())?,
        admin.audit(
            ctx,
            "settings.update",
            "settings",
            Some("conduct"),
            Some(&before),
            Some(&after),
        )?,
    ];
    crate::repo::batch(&ctx.db, stmts).await?;
    ok(&ConductSettingsView {
        flag_threshold: after.flag_threshold,
    })
}
