//! `POST /api/tickets`: open a ticket (idempotent with `Idempotency-Key`).
use chrono::Datelike;
use domain::api::{CreateTicketRequest, ErrorBody, EventData, TicketDetail, TicketRef};
use domain::contract::{self, Category, ServiceStatus};
use domain::sla::{self, Priority, TimelineEvent};
use domain::ticket::Status;
use domain::validation::{self, FieldError};
use domain::workflow::{self};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::catalog;
use super::super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult, Text};
use crate::http::{client_ip, json, read_json};
use crate::repo::catalog as catalog_repo;
use crate::repo::tickets::{self as repo, Guard, NewEvent, NewMessage, NewTicket};
use crate::util::{db_time, new_id, now};

use super::*;

// ---------------------------------------------------------------------------
// Create

pub(crate) fn parse_field<T: std::str::FromStr<Err = FieldError>>(v: &str) -> ApiResult<T> {
    v.parse().map_err(field_err)
}

#[utoipa::path(post, path = "/api/tickets", tag = "tickets", request_body = CreateTicketRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the same ticket")),
    responses(
        (status = 201, description = "The new ticket (or the one created earlier with this Idempotency-Key)", body = TicketDetail),
        (status = 400, description = "Malformed JSON or Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Staff, or a suspended user/company", body = ErrorBody),
        (status = 422, description = "Invalid field, ineligible service (P2) or priority/category not allowed (P3) — with `field`", body = ErrorBody)))]
pub async fn create(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let Some(company) = caller.company.clone() else {
        return Err(ApiError::Forbidden(
            "clients_only",
            (
                "Los tickets los levantan los clientes.",
                "Tickets are opened by clients.",
            )
                .into(),
        ));
    };
    if caller.suspended {
        return Err(ApiError::Forbidden(
            "user_suspended",
            (
                "Tu cuenta está suspendida y no puede levantar tickets.",
                "Your account is suspended and cannot open tickets.",
            )
                .into(),
        ));
    }
    let key = match req.headers().get("Idempotency-Key")? {
        Some(k) => Some(workflow::idempotency_key(&k).map_err(query_err)?),
        None => None,
    };
    let body: CreateTicketRequest = read_json(req).await?;
    let subject = validation::subject(&body.subject).map_err(field_err)?;
    let description = validation::description(&body.description).map_err(field_err)?;
    let steps = validation::optional_text("steps", body.steps.as_deref().unwrap_or(""), 20_000)
        .map_err(field_err)?;
    let priority: Priority = parse_field(&body.priority)?;
    let category: Category = parse_field(&body.category)?;

    // Independent reads at once: a replayed key, the service, the company's standing.
    let replay = async {
        match &key {
            Some(k) => repo::by_idempotency_key(&ctx.db, &caller.id, k).await,
            None => Ok(None),
        }
    };
    let (existing, service, standing, cal) = futures_util::future::join4(
        replay,
        catalog_repo::service(&ctx.db, body.service_id.trim()),
        catalog::standing(ctx, &company.id),
        calendar(ctx),
    )
    .await;
    if let Some(existing) = existing? {
        return replayed(ctx, &caller, &existing).await;
    }
    let standing = standing?;
    let service = service?
        .filter(|s| s.company_id == company.id)
        .ok_or_else(|| {
            ApiError::invalid(
                "unknown_service",
                "service_id",
                (
                    "Elige uno de los servicios de tu empresa.",
                    "Choose one of your company's services.",
                ),
            )
        })?;
    let service_status: ServiceStatus =
        service.status.parse().map_err(internal("service status"))?;
    contract::eligibility(
        service_status,
        service.special_contract != 0,
        standing.contract_current(),
    )
    .map_err(|e| ApiError::Invalid {
        code: e.code(),
        message: Text::from_lang(|l| e.message(l)),
        field: Some("service_id".into()),
    })?;
    let coverage = contract::check_request(
        category,
        priority,
        standing.contract_current(),
        standing.overdue(),
    )
    .map_err(|e| field_err(e.to_field_error()))?;
    let linked_to = match body
        .linked_to
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        Some(l) => Some(
            visible(ctx, &caller, l)
                .await
                .map_err(|_| {
                    ApiError::invalid(
                        "unknown_ticket",
                        "linked_to",
                        (
                            "El ticket relacionado no existe.",
                            "The linked ticket does not exist.",
                        ),
                    )
                })?
                .id,
        ),
        None => None,
    };
    let mut info = body.client_info.unwrap_or_default().sanitized();
    info.ip = Some(client_ip(req));
    info.user_agent = req
        .headers()
        .get("User-Agent")?
        .map(|u| u.chars().take(300).collect());
    let info = serde_json::to_string(&info)?;

    let cal = cal?;
    let at = now();
    let now_s = db_time(at);
    let due = sla::compute(&cal, priority, &[TimelineEvent::ClientMessage { at }], at)
        .due_at
        .map(db_time);
    let year = cal.local_date(at).year();
    let number_prefix = workflow::ticket_number_prefix(year);
    let counter = workflow::ticket_counter(year);
    let id = new_id()?;
    let message_id = new_id()?;
    let guard = Guard {
        ticket_id: &id,
        status: Status::New.as_str(),
    };
    let mut stmts = vec![
        repo::bump_counter(&ctx.db, &counter)?,
        repo::insert_ticket(
            &ctx.db,
            &NewTicket {
                id: &id,
                number_prefix: &number_prefix,
                counter: &counter,
                company_id: &company.id,
                service_id: &service.id,
                requester_id: &caller.id,
                category: category.as_str(),
                priority: priority.as_str(),
                coverage: coverage.as_str(),
                subject: &subject,
                description: &description,
                steps: steps.as_deref(),
                client_info: Some(&info),
                due_at: due.as_deref(),
                linked_to: linked_to.as_deref(),
                idempotency_key: key.as_deref(),
                now: &now_s,
            },
        )?,
        repo::insert_message(
            &ctx.db,
            &NewMessage {
                id: &message_id,
                ticket_id: &id,
                author_id: Some(&caller.id),
                kind: "client",
                internal: false,
                body: &description,
                now: &now_s,
            },
            guard,
        )?,
        repo::insert_event(
            &ctx.db,
            &NewEvent {
                ticket_id: &id,
                actor_id: Some(&caller.id),
                actor_kind: "client",
                kind: "created",
                data: serde_json::to_string(&EventData {
                    to: Some(Status::New),
                    ticket: linked_to.as_ref().map(|l| TicketRef {
                        id: l.clone(),
                        number: String::new(),
                    }),
                    ..Default::default()
                })?,
                now: &now_s,
            },
            None,
        )?,
    ];
    // The new ticket is read back in the same batch (one transaction).
    stmts.extend(repo::timeline_stmts(&ctx.db, &id)?);
    let Some(results) = repo::try_commit_results(&ctx.db, stmts).await? else {
        // Most likely a concurrent request with the same Idempotency-Key won the race.
        if let Some(k) = &key {
            if let Some(existing) = repo::by_idempotency_key(&ctx.db, &caller.id, k).await? {
                return replayed(ctx, &caller, &existing).await;
            }
        }
        return Err(ApiError::Internal("ticket insert failed".into()));
    };
    let (row, timeline) = repo::read_timeline(&results[results.len() - 4..])?
        .ok_or_else(|| ApiError::Internal("new ticket vanished".into()))?;
    let detail = detail(ctx, &cal, &caller, &row, timeline, DueSync::ReadOnly).await?;
    let mut resp = json(201, &detail)?;
    resp.headers_mut()
        .set("Location", &format!("/api/tickets/{id}"))?;
    Ok(resp)
}

pub(crate) async fn replayed(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    let mut resp = respond_detail(ctx, caller, id, 201).await?;
    resp.headers_mut().set("Idempotency-Replayed", "true")?;
    resp.headers_mut()
        .set("Location", &format!("/api/tickets/{id}"))?;
    Ok(resp)
}
