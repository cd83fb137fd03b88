//! The price list (issue 13, P20): everyone signed in reads the current prices; admins add
//! items, change prices (a new version each time, the earlier kept) and stop offering an
//! item. Every admin change is audited.
use std::collections::HashMap;

use domain::api::admin::{
    AdminPriceItem, AdminPriceList, PriceItemPatch, PriceItemRequest, PriceList, PriceVersionView,
};
use domain::api::ErrorBody;
use domain::billing::PriceInput;
use worker::{Request, Response};

use super::admin::Admin;
use super::calendar::{calendar, office_time};
use super::Ctx;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ok, read_json};
use crate::repo::batch;
use crate::repo::prices::{self as repo, PriceRow, VersionRow};
use crate::util::{new_id, parse_db_time};

#[utoipa::path(get, path = "/api/price-list", tag = "billing",
    responses((status = 200, body = PriceList, description = "Current prices of the items still offered, by name (P20: the preferential price applies with a current póliza)"),
              (status = 401, body = ErrorBody, description = "Not signed in")))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?;
    let items = repo::offered(&ctx.db).await?;
    ok(&PriceList { items })
}

#[utoipa::path(get, path = "/api/admin/price-list", tag = "admin",
    responses((status = 200, body = AdminPriceList, description = "Every item, offered or not, with its prices newest first"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn admin_list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    ok(&AdminPriceList {
        items: views(ctx, None).await?,
    })
}

#[utoipa::path(post, path = "/api/admin/price-list", tag = "admin", request_body = PriceItemRequest,
    responses((status = 201, body = AdminPriceItem, description = "Created with its first price; audited as price.create"),
              (status = 422, body = ErrorBody, description = "A field out of range, or a preferential price above the standard one — with `field`"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn create(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: PriceItemRequest = read_json(req).await?;
    let input = PriceInput::validate(
        &body.name,
        body.standard_hours,
        body.standard_cents,
        body.preferential_cents,
    )?;
    let id = new_id()?;
    let now = admin.now_s();
    batch(
        &ctx.db,
        vec![
            repo::insert_item(&ctx.db, &id, &input.name, &now)?,
            repo::insert_version(&ctx.db, &id, &input, &admin.caller.id, &now)?,
            admin.audit(
                ctx,
                "price.create",
                "price_item",
                Some(&id),
                None::<&()>,
                Some(&body),
            )?,
        ],
    )
    .await?;
    json(201, &one(ctx, &id).await?)
}

#[utoipa::path(patch, path = "/api/admin/price-list/{id}", tag = "admin", request_body = PriceItemPatch,
    params(("id" = String, Path, description = "Price-list item id")),
    responses((status = 200, body = AdminPriceItem, description = "Changed; a new price is a new version (the earlier stays in `history`); audited as price.update"),
              (status = 404, body = ErrorBody, description = "Unknown item"),
              (status = 422, body = ErrorBody, description = "A field out of range, or a preferential price above the standard one — with `field`"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn patch(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: PriceItemPatch = read_json(req).await?;
    let before = repo::item(&ctx.db, id).await?.ok_or(ApiError::NotFound)?;
    let was = input_of(&before);
    let next = PriceInput::validate(
        body.name.as_deref().unwrap_or(&before.name),
        body.standard_hours.unwrap_or(before.standard_hours),
        body.standard_cents.unwrap_or(before.standard_cents),
        body.preferential_cents.unwrap_or(before.preferential_cents),
    )?;
    let active = body.active.unwrap_or(before.active != 0);
    let now = admin.now_s();
    let mut stmts = Vec::new();
    if next.name != before.name || active != (before.active != 0) {
        stmts.push(repo::update_item(&ctx.db, id, &next.name, active, &now)?);
    }
    if was.prices_differ(&next) {
        stmts.push(repo::insert_version(
            &ctx.db,
            id,
            &next,
            &admin.caller.id,
            &now,
        )?);
    }
    if !stmts.is_empty() {
        let snapshot = |p: &PriceInput, active: bool| {
            serde_json::json!({
                "name": p.name, "active": active, "standard_hours": p.standard_hours,
                "standard_cents": p.standard_cents, "preferential_cents": p.preferential_cents,
            })
        };
        stmts.push(admin.audit(
            ctx,
            "price.update",
            "price_item",
            Some(id),
            Some(&snapshot(&was, before.active != 0)),
            Some(&snapshot(&next, active)),
        )?);
        batch(&ctx.db, stmts).await?;
    }
    ok(&one(ctx, id).await?)
}

fn input_of(r: &PriceRow) -> PriceInput {
    PriceInput {
        name: r.name.clone(),
        standard_hours: r.standard_hours as u32,
        standard_cents: r.standard_cents,
        preferential_cents: r.preferential_cents,
    }
}

async fn one(ctx: &Ctx, id: &str) -> ApiResult<AdminPriceItem> {
    views(ctx, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound)
}

/// Items with their history (one round trip), times in office time.
async fn views(ctx: &Ctx, id: Option<&str>) -> ApiResult<Vec<AdminPriceItem>> {
    let (stored, cal) =
        futures_util::future::join(repo::with_history(&ctx.db, id), calendar(ctx)).await;
    let ((items, versions), cal) = (stored?, cal?);
    let mut by_item: HashMap<String, Vec<VersionRow>> = HashMap::new();
    for v in versions {
        by_item.entry(v.item_id.clone()).or_default().push(v);
    }
    Ok(items
        .into_iter()
        .map(|r| AdminPriceItem {
            history: by_item
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|v| PriceVersionView {
                    standard_hours: v.standard_hours as u32,
                    standard_cents: v.standard_cents,
                    preferential_cents: v.preferential_cents,
                    valid_from: parse_db_time(&v.valid_from)
                        .map(|t| office_time(&cal, t))
                        .unwrap_or(v.valid_from),
                    created_by: v.created_by,
                })
                .collect(),
            id: r.id,
            name: r.name,
            active: r.active != 0,
            standard_hours: r.standard_hours as u32,
            standard_cents: r.standard_cents,
            preferential_cents: r.preferential_cents,
        })
        .collect())
}
