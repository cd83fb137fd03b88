//! `GET /api/tickets` (list and queue), `GET /api/tickets/{id}`, `GET /api/tickets/similar`.
use domain::api::{ErrorBody, SimilarTicket, SimilarTickets, TicketDetail, TicketList};
use domain::sla::Priority;
use domain::ticket::Status;
use domain::validation;
use domain::workflow::{self};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::Ctx;
use crate::auth::{self};
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, query_param};
use crate::repo::catalog as catalog_repo;
use crate::repo::tickets::{self as repo, ListFilter, Scope};
use crate::util::{db_time, now};

use super::*;

// ---------------------------------------------------------------------------
// Read

pub(crate) fn parse_bool(field: &'static str, v: &str) -> ApiResult<bool> {
    match v.trim() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ApiError::bad_field(
            field,
            ("Usa true o false.", "Use true or false."),
        )),
    }
}

pub(crate) fn param(req: &Request, name: &str) -> ApiResult<Option<String>> {
    Ok(query_param(req, name)?
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty()))
}

#[utoipa::path(get, path = "/api/tickets", tag = "tickets",
    params(
        ("status" = Option<String>, Query, description = "Comma-separated statuses; `active` = not resolved/closed"),
        ("q" = Option<String>, Query, description = "Text in the subject or number (at most 200 characters)"),
        ("page" = Option<u32>, Query, description = "1-based page (default 1)"),
        ("per_page" = Option<u32>, Query, description = "1–100 (default 25)"),
        ("priority" = Option<String>, Query, description = "low | medium | high"),
        ("company_id" = Option<String>, Query, description = "Staff filter"),
        ("service_id" = Option<String>, Query, description = "Service filter"),
        ("assignee" = Option<String>, Query, description = "A user id, `me` or `none`"),
        ("requester" = Option<String>, Query, description = "A user id or `me`"),
        ("breached" = Option<bool>, Query, description = "Only (un)breached SLA"),
        ("sla" = Option<String>, Query, description = "at_risk | breached: only tickets in the line the SLA sweep marked at risk (75 % of the target) or breached, on their running target (indexed)"),
        ("sort" = Option<String>, Query, description = "`arrival` (default, FIFO) or `newest`")),
    responses(
        (status = 200, description = "Tickets visible to the caller in arrival order (P8)", body = TicketList),
        (status = 400, description = "Bad filter (with `field`)", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let mut f = ListFilter {
        page: 1,
        per_page: 25,
        ..Default::default()
    };
    if let Some(st) = param(req, "status")? {
        for s in st.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if s == "active" {
                f.statuses.extend(
                    Status::ALL
                        .into_iter()
                        .filter(|s| s.is_open())
                        .map(|s| s.as_str().to_string()),
                );
            } else {
                let st: Status = s.parse().map_err(query_err)?;
                f.statuses.push(st.as_str().to_string());
            }
        }
    }
    f.q = match param(req, "q")? {
        Some(q) => validation::ticket_query(&q).map_err(query_err)?,
        None => None,
    };
    if let Some(p) = param(req, "priority")? {
        let p: Priority = p.parse().map_err(query_err)?;
        f.priority = Some(p.as_str().to_string());
    }
    f.company_id = param(req, "company_id")?;
    f.service_id = param(req, "service_id")?;
    f.assignee = param(req, "assignee")?.map(|a| match a.as_str() {
        "none" => None,
        "me" => Some(caller.id.clone()),
        _ => Some(a),
    });
    f.requester_id =
        param(req, "requester")?.map(|r| if r == "me" { caller.id.clone() } else { r });
    f.breached = param(req, "breached")?
        .map(|b| parse_bool("breached", &b))
        .transpose()?;
    f.sla = param(req, "sla")?
        .map(|v| domain::sla::breach::SlaFlag::parse_query(&v).map_err(query_err))
        .transpose()?;
    f.newest_first = match param(req, "sort")?.as_deref() {
        None | Some("arrival") => false,
        Some("newest") => true,
        Some(_) => {
            return Err(ApiError::bad_field(
                "sort",
                ("Usa arrival o newest.", "Use arrival or newest."),
            ))
        }
    };
    if let Some(p) = param(req, "page")? {
        f.page = p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| {
                ApiError::bad_field(
                    "page",
                    (
                        "La página debe ser un número desde 1.",
                        "Page must be a number from 1.",
                    ),
                )
            })?;
    }
    if let Some(p) = param(req, "per_page")? {
        f.per_page = p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| {
                ApiError::bad_field("per_page", ("Entre 1 y 100.", "Between 1 and 100."))
            })?;
    }
    let scope = match (&caller.role, &caller.company) {
        (r, _) if r.is_staff() => Scope::Staff,
        (_, Some(c)) => Scope::Client {
            user_id: &caller.id,
            company_id: &c.id,
        },
        _ => return Err(ApiError::NotFound),
    };
    let cal = calendar(ctx).await?;
    let at = now();
    let (rows, total) = repo::list(&ctx.db, &scope, &f, &db_time(at)).await?;
    let tickets = rows
        .iter()
        .map(|r| summary(&cal, r, at))
        .collect::<ApiResult<Vec<_>>>()?;
    ok(&TicketList {
        tickets,
        page: f.page,
        per_page: f.per_page,
        total,
    })
}

#[utoipa::path(get, path = "/api/tickets/{id}", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number (T-2026-000123)")),
    responses(
        (status = 200, description = "The ticket with its messages (notes only for staff), events and attachments", body = TicketDetail),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such ticket or not visible to you", body = ErrorBody)))]
pub async fn get(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    respond_read(ctx, &caller, id, 200).await
}

#[utoipa::path(get, path = "/api/tickets/similar", tag = "tickets",
    params(("service_id" = String, Query, description = "The service of the new ticket"),
           ("subject" = String, Query, description = "The subject typed so far")),
    responses(
        (status = 200, description = "The caller's open tickets on that service with a similar subject (P12)", body = SimilarTickets),
        (status = 400, description = "Missing service_id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn similar(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let service_id = param(req, "service_id")?.ok_or_else(|| {
        ApiError::bad_field("service_id", ("Indica el servicio.", "Give the service."))
    })?;
    let subject = param(req, "subject")?.unwrap_or_default();
    let service = catalog_repo::service(&ctx.db, &service_id).await?;
    let allowed = match (&service, &caller.company) {
        (Some(_), _) if caller.role.is_staff() => true,
        (Some(s), Some(c)) => s.company_id == c.id,
        _ => false,
    };
    if !allowed || workflow::subject_terms(&subject).is_empty() {
        return ok(&SimilarTickets { tickets: vec![] });
    }
    let requester = (!caller.role.is_staff()).then_some(caller.id.as_str());
    let cal = calendar(ctx).await?;
    let mut found: Vec<SimilarTicket> = repo::open_on_service(&ctx.db, &service_id, requester)
        .await?
        .into_iter()
        .filter_map(|r| {
            let score = workflow::subject_similarity(&subject, &r.subject);
            (score >= workflow::SIMILAR_THRESHOLD).then(|| {
                Some(SimilarTicket {
                    status: r.status.parse().ok()?,
                    created_at: t(&cal, &r.created_at),
                    id: r.id,
                    number: r.number,
                    subject: r.subject,
                    score,
                })
            })?
        })
        .collect();
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    found.truncate(5);
    ok(&SimilarTickets { tickets: found })
}
