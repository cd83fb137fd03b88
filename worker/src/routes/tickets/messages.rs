//! `POST /api/tickets/{id}/messages`: replies, internal notes and special messages.
use domain::api::{ErrorBody, MessageView, PostMessageRequest};
use domain::ticket::messages::{check_request, ReplyKind, ReplyRequest};
use domain::ticket::plan;
use domain::validation::{self};
use std::future::ready;
use worker::{Request, Response};

use super::super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, read_json};

use super::*;

// ---------------------------------------------------------------------------
// Messages and status changes

#[utoipa::path(post, path = "/api/tickets/{id}/messages", tag = "tickets", request_body = PostMessageRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 201, description = "The stored message", body = MessageView),
        (status = 403, description = "A client posting an internal note or a staff-only kind, or a suspended client (P27)", body = ErrorBody),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "Closed ticket or warranty expired", body = ErrorBody),
        (status = 422, description = "Empty/too long body, bad kind (with `field`)", body = ErrorBody)))]
pub async fn post_message(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input = read_json(req).await;
    json(201, &persist_message(ctx, &caller, id, input).await?)
}

/// Stores a reply or note: the one path for `POST …/messages` and a message typed into the
/// ticket's live socket (issue 15), so both pass the same planner and guards.
pub(crate) async fn persist_message(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    input: ApiResult<PostMessageRequest>,
) -> ApiResult<MessageView> {
    let parsed = parse_message(input, actor_of(caller));
    // Visibility before anything else: other companies get 404 whatever they send, so the
    // input's verdict is given only once the ticket has been read (inside `change`).
    let done = change(ctx, caller, id, ready(()), |l, _, at| {
        let who = who(caller);
        // A suspended client reads but does not reply (P27), whatever the body.
        who.require_not_suspended()?;
        let (body, request) = parsed.clone()?;
        Ok(plan::plan_message(&l.snapshot()?, &who, body, request, &l.cal, at)?.into())
    })
    .await?;
    // The stored message, from what was written (no read-back).
    let mid = done
        .written
        .message_ids
        .first()
        .cloned()
        .unwrap_or_default();
    let m = done
        .timeline
        .messages
        .iter()
        .find(|m| m.id == mid)
        .ok_or_else(|| ApiError::Internal("planned message missing".into()))?;
    Ok(message_view(&done.cal, m, vec![]))
}

/// The message body and request, checked on their own (no ticket state needed).
fn parse_message(
    input: ApiResult<PostMessageRequest>,
    actor: domain::ticket::Actor,
) -> ApiResult<(String, ReplyRequest)> {
    let input = input?;
    let body = validation::required_text("body", &input.body, MESSAGE_MAX).map_err(field_err)?;
    let request = ReplyRequest {
        kind: ReplyKind::parse(input.kind.as_deref())?,
        internal: input.internal.unwrap_or(false),
    };
    check_request(actor, request)?;
    Ok((body, request))
}
