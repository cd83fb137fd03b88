//! Staff actions: assign/take, merge, out-of-scope, flag.
use domain::api::{
    AssignRequest, ErrorBody, MergeRequest, OutOfScopeRequest, TicketDetail, UserRef,
};
use domain::ticket::messages::MessageKind;
use domain::ticket::plan::{self, Flagged, Survivor};
use domain::workflow::OutOfScope;
use std::future::ready;
use worker::{Request, Response};

use super::super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http::read_json;
use crate::repo::catalog as catalog_repo;
use crate::repo::commit::OtherSeen;
use crate::repo::tickets::{self as repo};
use crate::util::parse_db_time;

use super::*;

#[utoipa::path(post, path = "/api/tickets/{id}/assign", tag = "tickets", request_body = AssignRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Assigned (taking a new ticket also opens it)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "The ticket is resolved or closed: reopen it first", body = ErrorBody),
        (status = 422, description = "Unknown staff member (field `assignee_id`)", body = ErrorBody)))]
pub async fn assign(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input: ApiResult<AssignRequest> = optional_json(req).await;
    // The new assignee is looked up with the snapshot; its verdict waits for the 404/403.
    let assignee = async {
        let input = input.clone()?;
        if input.unassign.unwrap_or(false) || !caller.role.is_staff() {
            return Ok(None);
        }
        let aid = input.assignee_id.unwrap_or_else(|| caller.id.clone());
        let user = catalog_repo::staff_user(&ctx.db, aid.trim())
            .await?
            .ok_or_else(|| {
                ApiError::invalid(
                    "unknown_staff",
                    "assignee_id",
                    (
                        "Asigna el ticket a un agente o administrador activo.",
                        "Assign the ticket to an active agent or admin.",
                    ),
                )
            })?;
        Ok(Some(UserRef {
            id: user.id,
            name: user.name,
            role: Some(user.role),
        }))
    };
    let done = change(
        ctx,
        &caller,
        id,
        assignee,
        |l, assignee: &ApiResult<_>, at| {
            let who = who(&caller);
            who.require_staff()?;
            let assignee = assignee.clone()?;
            Ok(plan::plan_assign(&l.snapshot()?, &who, assignee, &l.cal, at)?.into())
        },
    )
    .await?;
    done.respond(&caller, 200)
}

#[utoipa::path(post, path = "/api/tickets/{id}/merge", tag = "tickets", request_body = MergeRequest,
    params(("id" = String, Path, description = "The duplicate (id or number)")),
    responses(
        (status = 200, description = "The duplicate, now closed and pointing to the survivor; its messages and attachments moved (P12)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "The duplicate or the survivor is closed", body = ErrorBody),
        (status = 422, description = "Unknown survivor, same ticket, another company, or another requester where each client sees only their own tickets (field `into`; codes `unknown_ticket`, `same_ticket`, `different_company`, `different_requester`)", body = ErrorBody)))]
pub async fn merge(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input: ApiResult<MergeRequest> = read_json(req).await;
    // The survivor with its timeline, read with the duplicate's snapshot.
    let survivor = async {
        match &input {
            Ok(i) if caller.role.is_staff() => {
                repo::get_with_timeline(&ctx.db, i.into.trim()).await
            }
            _ => Ok(None),
        }
    };
    let done = change(ctx, &caller, id, survivor, |l, survivor, at| {
        let who = who(&caller);
        who.require_staff()?;
        input.clone()?;
        let survivor = survivor.as_ref().map_err(Clone::clone)?.as_ref();
        let clock = survivor
            .map(|(_, t)| timeline(&t.messages, &t.events))
            .unwrap_or_default();
        let target = match survivor {
            Some((row, _)) => Some(Survivor {
                id: &row.id,
                number: &row.number,
                status: status_of(row)?,
                priority: row.priority.parse().map_err(internal("priority"))?,
                audience: audience(row),
                timeline: &clock,
            }),
            None => None,
        };
        // The duplicate's messages move: the survivor's clock counts them.
        let moved: Vec<plan::MovedMessage> = l
            .timeline
            .messages
            .iter()
            .filter_map(|m| {
                Some((
                    MessageKind::parse(&m.kind)?,
                    m.internal != 0,
                    parse_db_time(&m.created_at)?,
                ))
            })
            .collect();
        let snap = l.snapshot()?;
        let plan = plan::plan_merge(
            &snap,
            audience(&l.row),
            target.as_ref(),
            &moved,
            &who,
            &l.cal,
            at,
        )?;
        let other = survivor.map(|(_, t)| {
            let seen = mark_of(t);
            let moved_after = l
                .timeline
                .messages
                .iter()
                .filter(|m| m.seq > seen.m)
                .count();
            OtherSeen { seen, moved_after }
        });
        Ok(Decision {
            plan,
            other,
            extra: vec![],
        })
    })
    .await?;
    done.respond(&caller, 200)
}

#[utoipa::path(post, path = "/api/tickets/{id}/out-of-scope", tag = "tickets", request_body = OutOfScopeRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Closed with the referral message of the reason (P10)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
        (status = 422, description = "Unknown reason (field `reason`)", body = ErrorBody)))]
pub async fn out_of_scope(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input: ApiResult<OutOfScopeRequest> = read_json(req).await;
    let done = change(ctx, &caller, id, ready(()), |l, _, at| {
        let who = who(&caller);
        who.require_staff()?;
        let reason = OutOfScope::parse(&input.clone()?.reason)?;
        Ok(plan::plan_out_of_scope(&l.snapshot()?, &who, reason, &l.cal, at)?.into())
    })
    .await?;
    done.respond(&caller, 200)
}

#[utoipa::path(post, path = "/api/tickets/{id}/messages/{mid}/flag", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number"), ("mid" = String, Path, description = "Message id")),
    responses(
        (status = 200, description = "Flagged (idempotent). P27: the first flag of a person posts a formal warning in the ticket and notifies them (mandatory notice); later flags post a reminder", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such message on this ticket", body = ErrorBody),
        (status = 422, description = "Not a client message", body = ErrorBody)))]
pub async fn flag(req: &Request, ctx: &Ctx, id: &str, mid: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    // P27: how many of the author's messages were flagged before this one.
    let flags_before = crate::repo::admin::flags_before(&ctx.db, mid);
    let done = change(ctx, &caller, id, flags_before, |l, flags_before, at| {
        let who = who(&caller);
        who.require_staff()?;
        // The message comes with the snapshot's timeline: 404 unless it is on this ticket.
        let m = l
            .timeline
            .messages
            .iter()
            .find(|m| m.id == mid)
            .ok_or(ApiError::NotFound)?;
        let message = Flagged {
            id: &m.id,
            kind: MessageKind::parse(&m.kind).ok_or_else(|| internal("message kind")(()))?,
            flagged: m.flagged != 0,
            author: m.author_id.as_deref(),
            author_flags_before: match flags_before {
                Ok(n) => *n,
                Err(e) => return Err(ApiError::Internal(format!("flags before: {e:?}"))),
            },
        };
        Ok(plan::plan_flag(&l.snapshot()?, &who, message, &l.cal, at)?.into())
    })
    .await?;
    done.respond(&caller, 200)
}

/// Assigns the ticket to the caller, as `POST …/assign` without a body does: an agent
/// taking a live chat (issue 15).
pub(crate) async fn assign_to_self(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<()> {
    let me = UserRef {
        id: caller.id.clone(),
        name: caller.name.clone(),
        role: Some(caller.role.as_str().to_string()),
    };
    change(ctx, caller, id, ready(()), |l, _, at| {
        let who = who(caller);
        who.require_staff()?;
        Ok(plan::plan_assign(&l.snapshot()?, &who, Some(me.clone()), &l.cal, at)?.into())
    })
    .await?;
    Ok(())
}
