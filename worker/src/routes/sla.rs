//! The breach reason staff record on a ticket whose target was missed (P9, issue 11).
use domain::api::{BreachReasonRequest, EventData, TicketDetail};
use domain::sla::breach::validate_breach_reason;
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::http::read_json;
use crate::repo::tickets as repo;
use crate::util::{db_time, now};

#[utoipa::path(post, path = "/api/tickets/{id}/breach-reason", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    request_body = BreachReasonRequest,
    responses(
        (status = 200, description = "Recorded (replaces an earlier reason); the ticket as staff see it", body = TicketDetail),
        (status = 401, description = "Not signed in", body = domain::api::ErrorBody),
        (status = 403, description = "Not staff", body = domain::api::ErrorBody),
        (status = 404, description = "No such ticket", body = domain::api::ErrorBody),
        (status = 409, description = "No target of this ticket was missed (`not_breached`)", body = domain::api::ErrorBody),
        (status = 422, description = "Reason not in the list, note missing for `other` or too long (field `reason` / `note`)", body = domain::api::ErrorBody)))]
pub async fn set_breach_reason(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    caller.require_staff()?;
    let body: BreachReasonRequest = read_json(req).await?;
    let (reason, note) = validate_breach_reason(&body.reason, body.note.as_deref())?;
    let row = repo::get(&ctx.db, id).await?.ok_or(ApiError::NotFound)?;
    let data = serde_json::to_string(&EventData {
        reason: Some(reason.as_str().into()),
        ..Default::default()
    })?;
    let changed = repo::set_breach_reason(
        &ctx.db,
        &row.id,
        reason.as_str(),
        note.as_deref(),
        &caller.id,
        caller.role.as_str(),
        &data,
        &db_time(now()),
    )
    .await?;
    if !changed {
        return Err(ApiError::conflict(
            "not_breached",
            (
                "Este ticket no tiene un tiempo de respuesta vencido.",
                "No response target of this ticket was missed.",
            ),
        ));
    }
    super::tickets::respond_read(ctx, &caller, &row.id, 200).await
}
