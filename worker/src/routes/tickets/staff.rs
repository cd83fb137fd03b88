//! Staff actions: assign/take, merge, out-of-scope, flag.
use domain::api::{
    AssignRequest, ErrorBody, EventData, MergeRequest, OutOfScopeRequest, TicketDetail, TicketRef,
    UserRef,
};
use domain::ticket::commands::{self, Command};
use domain::ticket::{Action, Status};
use domain::validation::Lang;
use domain::workflow::{self, OutOfScope};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http::read_json;
use crate::repo::catalog as catalog_repo;
use crate::repo::tickets::{self as repo};
use crate::util::{new_id, now};

use super::*;

#[utoipa::path(post, path = "/api/tickets/{id}/assign", tag = "tickets", request_body = AssignRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Assigned (taking a new ticket also opens it)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Unknown staff member (field `assignee_id`)", body = ErrorBody)))]
pub async fn assign(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let (caller, _) = staff_on_ticket(ctx, req, id, "asignar tickets").await?;
    let input: AssignRequest = optional_json(req).await?;
    let assignee = if input.unassign.unwrap_or(false) {
        None
    } else {
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
        Some(UserRef {
            id: user.id,
            name: user.name,
            role: Some(user.role),
        })
    };
    let Committed { row, .. } = change(ctx, &caller, id, |row, from| {
        if row.assignee_id.as_deref() == assignee.as_ref().map(|a| a.id.as_str()) {
            return Ok(Plan::default());
        }
        commands::check(&command_context(&caller, row, from, now()), Command::Assign)?;
        let mut plan = Plan {
            assignee: Some(assignee.as_ref().map(|a| a.id.clone())),
            ..Default::default()
        };
        if from == Status::New && assignee.as_ref().is_some_and(|a| a.id == caller.id) {
            plan.action = Some(Action::Take);
        }
        plan.event(
            "assigned",
            EventData {
                assignee: assignee.clone(),
                ..Default::default()
            },
        );
        Ok(plan)
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/merge", tag = "tickets", request_body = MergeRequest,
    params(("id" = String, Path, description = "The duplicate (id or number)")),
    responses(
        (status = 200, description = "The duplicate, now closed and pointing to the survivor; its messages and attachments moved (P12)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "The duplicate or the survivor is closed", body = ErrorBody),
        (status = 422, description = "Unknown survivor, same ticket or another company (field `into`)", body = ErrorBody)))]
pub async fn merge(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let (caller, dup) = staff_on_ticket(ctx, req, id, "unir tickets").await?;
    let input: MergeRequest = read_json(req).await?;
    let bad_into = |code: &'static str, msg: (&str, &str)| ApiError::invalid(code, "into", msg);
    let survivor = repo::get(&ctx.db, input.into.trim())
        .await?
        .ok_or_else(|| {
            bad_into(
                "unknown_ticket",
                (
                    "El ticket destino no existe.",
                    "The target ticket does not exist.",
                ),
            )
        })?;
    if survivor.id == dup.id {
        return Err(bad_into(
            "same_ticket",
            (
                "Un ticket no puede unirse consigo mismo.",
                "A ticket cannot be merged into itself.",
            ),
        ));
    }
    if survivor.company_id != dup.company_id {
        return Err(bad_into(
            "different_company",
            (
                "Solo se unen tickets de la misma empresa.",
                "Only tickets of the same company can be merged.",
            ),
        ));
    }
    if status_of(&survivor)? == Status::Closed {
        return Err(ApiError::Conflict(
            "merge_target_closed",
            (
                "El ticket destino está cerrado.",
                "The target ticket is closed.",
            )
                .into(),
        ));
    }
    let into = TicketRef {
        id: survivor.id.clone(),
        number: survivor.number.clone(),
    };
    let Committed { row, .. } = change(ctx, &caller, id, |row, _| {
        let mut plan = Plan {
            action: Some(Action::Close),
            reason: Some("duplicate".into()),
            merge_into: Some(into.clone()),
            ..Default::default()
        };
        let this = TicketRef {
            id: row.id.clone(),
            number: row.number.clone(),
        };
        plan.message(
            "system",
            false,
            workflow::bilingual(
                &format!("Este ticket era un duplicado y se unió al {}; la conversación continúa allí.", into.number),
                &format!("This ticket was a duplicate and was merged into {}; the conversation continues there.", into.number),
            ),
            true,
        )?;
        plan.messages.push(PlannedMessage {
            ticket_id: Some(into.id.clone()),
            id: new_id()?,
            kind: "system",
            internal: false,
            body: workflow::bilingual(
                &format!("Se unió el ticket duplicado {} con sus mensajes y archivos.", this.number),
                &format!("The duplicate ticket {} was merged here with its messages and files.", this.number),
            ),
            by_caller: true,
        });
        plan.event(
            "merged_into",
            EventData {
                ticket: Some(into.clone()),
                ..Default::default()
            },
        );
        plan.events.push(PlannedEvent {
            ticket_id: Some(into.id.clone()),
            kind: "merged_from",
            data: EventData {
                ticket: Some(this),
                ..Default::default()
            },
        });
        Ok(plan)
    })
    .await?;
    let cal = calendar(ctx).await?;
    refresh_due(ctx, &cal, &caller, &into.id).await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/out-of-scope", tag = "tickets", request_body = OutOfScopeRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Closed with the referral message of the reason (P10)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
        (status = 422, description = "Unknown reason (field `reason`)", body = ErrorBody)))]
pub async fn out_of_scope(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let (caller, _) = staff_on_ticket(ctx, req, id, "cerrar tickets fuera de alcance").await?;
    let input: OutOfScopeRequest = read_json(req).await?;
    let reason = OutOfScope::parse(&input.reason).map_err(field_err)?;
    let Committed { row, .. } = change(ctx, &caller, id, |_, _| {
        let mut plan = Plan {
            action: Some(Action::Close),
            reason: Some(format!("out_of_scope:{}", reason.as_str())),
            ..Default::default()
        };
        plan.message(
            "system",
            false,
            workflow::bilingual(reason.referral(Lang::Es), reason.referral(Lang::En)),
            true,
        )?;
        plan.event(
            "out_of_scope",
            EventData {
                reason: Some(reason.as_str().into()),
                ..Default::default()
            },
        );
        Ok(plan)
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/messages/{mid}/flag", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number"), ("mid" = String, Path, description = "Message id")),
    responses(
        (status = 200, description = "Flagged (idempotent); the client gets a warning message (P27)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such message on this ticket", body = ErrorBody),
        (status = 422, description = "Not a client message", body = ErrorBody)))]
pub async fn flag(req: &Request, ctx: &Ctx, id: &str, mid: &str) -> ApiResult<Response> {
    let (caller, row) = staff_on_ticket(ctx, req, id, "marcar mensajes").await?;
    let m = repo::message(&ctx.db, &row.id, mid)
        .await?
        .ok_or(ApiError::NotFound)?;
    if m.kind != "client" {
        return Err(ApiError::invalid(
            "not_a_client_message",
            "message_id",
            (
                "Solo se marcan mensajes de clientes.",
                "Only client messages can be flagged.",
            ),
        ));
    }
    if m.flagged == 0 {
        change(ctx, &caller, id, |_, _| {
            let mut plan = Plan {
                flag_message: Some(m.id.clone()),
                ..Default::default()
            };
            plan.message(
                "system",
                false,
                workflow::bilingual(
                    workflow::conduct_warning(Lang::Es),
                    workflow::conduct_warning(Lang::En),
                ),
                true,
            )?;
            plan.event(
                "message_flagged",
                EventData {
                    message_id: Some(m.id.clone()),
                    ..Default::default()
                },
            );
            Ok(plan)
        })
        .await?;
    }
    respond_detail(ctx, &caller, &row.id, 200).await
}
