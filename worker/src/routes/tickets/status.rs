//! Status changes: `status`, `reopen`, `close`.
use domain::api::{ErrorBody, StatusRequest, TicketDetail};
use domain::ticket::{Action, Status, TransitionError};
use domain::validation::{self};
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
    let (caller, _) = staff_on_ticket(ctx, req, id, "cambiar el estado").await?;
    let input: StatusRequest = read_json(req).await?;
    let to: Status = parse_field(&input.status)?;
    let reason =
        validation::optional_text("reason", input.reason.as_deref().unwrap_or(""), REASON_MAX)
            .map_err(field_err)?;
    let Committed { row, .. } = change(ctx, &caller, id, |_row, from| {
        let action = Action::for_target(from, to).ok_or_else(|| {
            transition_err(TransitionError::InvalidTransition {
                from,
                action: Action::Resume,
            })
        })?;
        Ok(Plan {
            action: Some(action),
            restart: from == to,
            reason: reason.clone(),
            ..Default::default()
        })
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/reopen", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Reopened (inside the warranty window for clients, P18)", body = TicketDetail),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "`warranty_expired` after the window; `invalid_transition` if not resolved/closed", body = ErrorBody)))]
pub async fn reopen(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let Committed { row, .. } = change(ctx, &caller, id, |_, _| {
        Ok(Plan {
            action: Some(Action::Reopen),
            ..Default::default()
        })
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/close", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Closed: the client confirms the solution (P16); staff close directly", body = TicketDetail),
        (status = 409, description = "Not resolved (clients) / already closed", body = ErrorBody)))]
pub async fn close(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let action = if caller.role.is_staff() {
        Action::Close
    } else {
        Action::ClientConfirm
    };
    let Committed { row, .. } = change(ctx, &caller, id, |_, _| {
        Ok(Plan {
            action: Some(action),
            ..Default::default()
        })
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
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
