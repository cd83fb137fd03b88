//! `POST /api/tickets/{id}/messages`: replies, internal notes and special messages.
use domain::api::{ErrorBody, EventData, MessageView, PostMessageRequest, UserRef};
use domain::ticket::messages::{check_request, plan_reply, ReplyKind, ReplyRequest, ReplySnapshot};
use domain::validation::{self};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::Ctx;
use crate::auth::{self};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, read_json};
use crate::repo::tickets::{self as repo};
use crate::util::now;

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
    // Visibility before anything else: other companies get 404 whatever they send.
    visible(ctx, &caller, id).await?;
    caller.require_not_suspended()?;
    let input: PostMessageRequest = read_json(req).await?;
    let body = validation::required_text("body", &input.body, MESSAGE_MAX).map_err(field_err)?;
    let request = ReplyRequest {
        kind: ReplyKind::parse(input.kind.as_deref())?,
        internal: input.internal.unwrap_or(false),
    };
    check_request(actor_of(&caller), request)?;
    let (row, ids) = change(ctx, &caller, id, |row, from| {
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
        plan.message(p.message_kind.as_str(), p.internal, body.clone(), true)?;
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
