//! `POST /api/tickets/{id}/messages`: replies, internal notes and special messages.
use domain::api::{ErrorBody, EventData, MessageView, PostMessageRequest, UserRef};
use domain::ticket::messages::{
    check_request, message_kind, plan_reply, ReplyKind, ReplyRequest, ReplySnapshot,
};
use domain::validation::{self};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::Ctx;
use crate::auth::{self};
use crate::error::ApiResult;
use crate::http::{json, read_json};
use crate::repo::tickets::MessageRow;
use crate::util::{db_time, now};

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
    let parsed = parse_message(read_json(req).await, actor_of(&caller));
    // Visibility before anything else: other companies get 404 whatever they send, so the
    // input's verdict is given only once the ticket has been read (inside `change`).
    let Committed {
        row: _,
        messages: ids,
        at,
    } = change(ctx, &caller, id, |row, from| {
        let (body, request) = parsed.clone()?;
        let snapshot = ReplySnapshot {
            status: from,
            assigned: row.assignee_id.is_some(),
        };
        let at = command_context(&caller, row, from, now()).transition;
        let p = plan_reply(snapshot, actor_of(&caller), request, &at)?;
        let mut plan = Plan {
            action: p.action,
            restart: p.restart_wait,
            ..Default::default()
        };
        if p.take {
            plan.assignee = Some(Some(caller.id.clone()));
            plan.event(
                "assigned",
                EventData {
                    assignee: Some(UserRef {
                        id: caller.id.clone(),
                        name: caller.name.clone(),
                        role: Some(caller.role.as_str().into()),
                    }),
                    ..Default::default()
                },
            );
        }
        plan.message(p.message_kind.as_str(), p.internal, body, true)?;
        Ok(plan)
    })
    .await?;
    let (body, request) = parsed?;
    let stored_kind = message_kind(actor_of(&caller), request);
    // The stored message, from what was written (no read-back).
    let (mid, seq) = ids.into_iter().next().unwrap_or_default();
    let m = MessageRow {
        id: mid,
        seq: seq.unwrap_or(0),
        kind: stored_kind.as_str().into(),
        internal: request.internal as i64,
        body,
        author_id: Some(caller.id.clone()),
        author_name: Some(caller.name.clone()),
        author_role: Some(caller.role.as_str().into()),
        flagged: 0,
        created_at: db_time(at),
    };
    json(201, &message_view(&calendar(ctx).await?, &m, vec![]))
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
