//! Status changes: `status`, `reopen`, `close`.
use domain::api::{ErrorBody, StatusRequest, TicketDetail};
use domain::ticket::plan;
use domain::ticket::Status;
use domain::validation::{self};
use std::future::ready;
use worker::{Request, Response};

use super::super::Ctx;
use crate::auth::{self};
use crate::error::ApiResult;
use crate::http::read_json;

use super::*;

#[utoipa::path(post, path = "/api/tickets/{id}/status", tag = "tickets", request_body = StatusRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Changed; waiting_third_party / waiting_release pause the clock (P9)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "Transition not allowed from the current status", body = ErrorBody),
        (status = 422, description = "Unknown status (field `status`)", body = ErrorBody)))]
pub async fn set_status(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input = read_json::<StatusRequest>(req).await;
    let done = change(ctx, &caller, id, ready(()), |l, _, at| {
        let who = who(&caller);
        // 404 (the load), then 403, then the body's verdict.
        who.require_staff()?;
        let input = input.clone()?;
        let to: Status = parse_field(&input.status)?;
        let reason = input.reason.as_deref().unwrap_or("");
        let reason = validation::optional_text("reason", reason, REASON_MAX)?;
        Ok(plan::plan_status(&l.snapshot()?, &who, to, reason, &l.cal, at)?.into())
    })
    .await?;
    done.respond(&caller, 200)
}

#[utoipa::path(post, path = "/api/tickets/{id}/reopen", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Reopened (inside the warranty window for clients, P18)", body = TicketDetail),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "`warranty_expired` after the window; `invalid_transition` if not resolved/closed", body = ErrorBody)))]
pub async fn reopen(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let done = change(ctx, &caller, id, ready(()), |l, _, at| {
        Ok(plan::plan_reopen(&l.snapshot()?, &who(&caller), &l.cal, at)?.into())
    })
    .await?;
    done.respond(&caller, 200)
}

#[utoipa::path(post, path = "/api/tickets/{id}/close", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Closed: the client confirms the solution (P16); staff close directly", body = TicketDetail),
        (status = 409, description = "Not resolved (clients) / already closed", body = ErrorBody)))]
pub async fn close(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let done = change(ctx, &caller, id, ready(()), |l, _, at| {
        Ok(plan::plan_close(&l.snapshot()?, &who(&caller), &l.cal, at)?.into())
    })
    .await?;
    done.respond(&caller, 200)
}

/// A JSON body that may be absent (`POST` with no body = defaults).
pub(crate) async fn optional_json<T: serde::de::DeserializeOwned + Default>(
    req: &mut Request,
) -> ApiResult<T> {
    let has_type = req.headers().get("Content-Type")?.is_some();
    let len = req
        .headers()
        .get("Content-Length")?
        .and_then(|l| l.parse::<usize>().ok());
    if !has_type && len.unwrap_or(0) == 0 {
        return Ok(T::default());
    }
    read_json(req).await
}
