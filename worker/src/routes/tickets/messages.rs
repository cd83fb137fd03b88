//! `POST /api/tickets/{id}/messages`: replies, internal notes and special messages.
use domain::api::{ErrorBody, EventData, MessageView, PostMessageRequest, UserRef};
use domain::ticket::Action;
use domain::validation::{self};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::Ctx;
use crate::auth::{self};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, read_json};
use crate::repo::tickets::{self as repo};

use super::*;

// ---------------------------------------------------------------------------
// Messages and status changes

#[utoipa::path(post, path = "/api/tickets/{id}/messages", tag = "tickets", request_body = PostMessageRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 201, description = "The stored message", body = MessageView),
        (status = 403, description = "A client posting an internal note or a staff-only kind", body = ErrorBody),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "Closed ticket or warranty expired", body = ErrorBody),
        (status = 422, description = "Empty/too long body, bad kind (with `field`)", body = ErrorBody)))]
pub async fn post_message(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    // Visibility before anything else: other companies get 404 whatever they send.
    visible(ctx, &caller, id).await?;
    let input: PostMessageRequest = read_json(req).await?;
    let body = validation::required_text("body", &input.body, MESSAGE_MAX).map_err(field_err)?;
    let is_note = input.internal.unwrap_or(false);
    let kind = input.kind.as_deref().map(str::trim).unwrap_or("reply");
    let action = match kind {
        "reply" => None,
        "awaiting_client" => Some(Action::AskClient),
        "resolved_confirm" => Some(Action::Resolve),
        _ => {
            return Err(ApiError::invalid(
                "invalid_kind",
                "kind",
                (
                    "El tipo debe ser reply, awaiting_client o resolved_confirm.",
                    "Kind must be reply, awaiting_client or resolved_confirm.",
                ),
            ))
        }
    };
    let staff = caller.role.is_staff();
    if !staff && is_note {
        return Err(staff_only("escribir notas internas"));
    }
    if !staff && action.is_some() {
        return Err(staff_only("enviar este tipo de mensaje"));
    }
    if is_note && action.is_some() {
        return Err(ApiError::invalid(
            "invalid_kind",
            "kind",
            (
                "Una nota interna no cambia el estado.",
                "An internal note does not change the status.",
            ),
        ));
    }
    let caller_id = caller.id.clone();
    let (row, ids) = change(ctx, &caller, id, |row, _from| {
        let mut plan = Plan::default();
        let stored_kind = match (staff, is_note, kind) {
            (false, _, _) => "client",
            (true, true, _) => "note",
            (true, false, "awaiting_client") => "awaiting_client",
            (true, false, "resolved_confirm") => "resolved_confirm",
            _ => "reply",
        };
        plan.action = match (staff, is_note) {
            (false, _) => Some(Action::ClientReply),
            (true, true) => None,
            (true, false) => Some(action.unwrap_or(Action::StaffReply)),
        };
        plan.restart = action == Some(Action::AskClient);
        // The first public staff answer takes an unassigned ticket.
        if staff && !is_note && row.assignee_id.is_none() {
            plan.assignee = Some(Some(caller_id.clone()));
            plan.event(
                "assigned",
                EventData {
                    assignee: Some(UserRef {
                        id: caller_id.clone(),
                        name: caller.name.clone(),
                        role: Some(caller.role.as_str().into()),
                    }),
                    ..Default::default()
                },
            );
        }
        plan.message(stored_kind, is_note, body.clone(), true)?;
        Ok(plan)
    })
    .await?;
    let cal = calendar(ctx).await?;
    refresh_due(ctx, &cal, &caller, &row.id).await?;
    let mid = ids.first().cloned().unwrap_or_default();
    let m = repo::message(&ctx.db, &row.id, &mid)
        .await?
        .ok_or_else(|| ApiError::Internal("message vanished".into()))?;
    json(201, &message_view(&cal, &m, vec![]))
}
