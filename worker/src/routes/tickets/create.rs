//! `POST /api/tickets`: open a ticket (idempotent with `Idempotency-Key`).
use chrono::{DateTime, Utc};
use domain::api::{CreateTicketRequest, ErrorBody, TicketDetail};
use domain::calendar::BusinessCalendar;
use domain::ticket::plan::{self, DomainError};
use domain::validation::{self, FieldError};
use domain::workflow::{self};
use worker::{Request, Response};

use super::super::calendar::calendar;
use super::super::catalog;
use super::super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{client_ip, json, read_json};
use crate::repo::catalog as catalog_repo;
use crate::repo::commit::{self, Author};
use crate::repo::tickets::{self as repo, NewTicket};
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
        (status = 422, description = "Invalid field, ineligible service (P2), priority/category not allowed (P3), or an Idempotency-Key already used with another body (`idempotency_key_reused`) — with `field`", body = ErrorBody)))]
pub async fn create(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let who = who(&caller);
    // Clients only, and not while suspended (P27), before the request is looked at.
    let company = caller.company.clone().ok_or(DomainError::ClientsOnly)?;
    who.require_not_suspended()?;
    let key = match req.headers().get("Idempotency-Key")? {
        Some(k) => Some(workflow::idempotency_key(&k).map_err(query_err)?),
        None => None,
    };
    let body: CreateTicketRequest = read_json(req).await?;
    let idem = match key {
        Some(key) => Some(Idempotency {
            key,
            // The body as parsed (not its bytes: whitespace and key order do not make a new
            // request).
            fingerprint: crate::util::sha256_hex(serde_json::to_string(&body)?.as_bytes()),
        }),
        None => None,
    };
    let mut input = parse_input(&body)?;
    let info = client_info(req, &body)?;
    // One step: a replayed key ∥ the service ∥ the company's standing ∥ the calendar ∥ the
    // linked ticket.
    let replay = async {
        match &idem {
            Some(i) => repo::by_idempotency_key(&ctx.db, &caller.id, &i.key).await,
            None => Ok(None),
        }
    };
    let linked = async {
        match body
            .linked_to
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            Some(l) => Some(visible(ctx, &caller, l).await.map(|r| r.id)),
            None => None,
        }
    };
    let service_id = body.service_id.trim();
    let (existing, service, standing, cal, linked) = futures_util::future::join5(
        replay,
        catalog_repo::service(&ctx.db, service_id),
        catalog::standing(ctx, &company.id),
        calendar(ctx),
        linked,
    )
    .await;
    if let (Some(existing), Some(i)) = (existing?, &idem) {
        return replay_or_refuse(ctx, &caller, &existing, &i.fingerprint).await;
    }
    let (service, standing, cal) = (service?, standing?, cal?);
    let service = match &service {
        Some(s) => Some(plan::ServiceFacts {
            id: &s.id,
            company_id: &s.company_id,
            status: s.status.parse().map_err(internal("service status"))?,
            special_contract: s.special_contract != 0,
        }),
        None => None,
    };
    let standing = plan::Standing {
        contract_current: standing.contract_current(),
        overdue: standing.overdue(),
    };
    // The linked ticket's verdict comes after the service's and the coverage's.
    let linked = match linked {
        Some(found) => found.map(Some).map_err(|_| unknown_linked()),
        None => Ok(None),
    };
    input.linked_to = linked.clone().ok().flatten();
    let at = now();
    let p = plan::plan_create(&who, Some(&company.id), service, standing, &input, &cal, at)?;
    linked?;
    let new = NewTicketFacts {
        caller: &caller,
        company: &company,
        service_id,
        input: &input,
        info: &info,
        idem: idem.as_ref(),
    };
    commit_create(ctx, &cal, &new, &p, at).await
}

fn unknown_linked() -> ApiError {
    ApiError::invalid(
        "unknown_ticket",
        "linked_to",
        (
            "El ticket relacionado no existe.",
            "The linked ticket does not exist.",
        ),
    )
}

/// The body's fields, each checked on its own (422 with the field).
fn parse_input(body: &CreateTicketRequest) -> ApiResult<plan::CreateInput> {
    Ok(plan::CreateInput {
        subject: validation::subject(&body.subject)?,
        description: validation::description(&body.description)?,
        steps: validation::optional_text("steps", body.steps.as_deref().unwrap_or(""), 20_000)?,
        priority: parse_field(&body.priority)?,
        category: parse_field(&body.category)?,
        linked_to: None,
    })
}

/// What the client sent about their environment, with the request's IP and browser.
fn client_info(req: &Request, body: &CreateTicketRequest) -> ApiResult<String> {
    let mut info = body.client_info.clone().unwrap_or_default().sanitized();
    info.ip = Some(client_ip(req));
    info.user_agent = req
        .headers()
        .get("User-Agent")?
        .map(|u| u.chars().take(300).collect());
    Ok(serde_json::to_string(&info)?)
}

struct NewTicketFacts<'a> {
    caller: &'a Caller,
    company: &'a domain::api::CompanyRef,
    service_id: &'a str,
    input: &'a plan::CreateInput,
    info: &'a str,
    idem: Option<&'a Idempotency>,
}

/// An `Idempotency-Key` and the fingerprint of the body it came with.
struct Idempotency {
    key: String,
    fingerprint: String,
}

/// The create plan in one batch (counter, ticket, first message, event, confirmation) that
/// also reads the new ticket back; a refused batch with a key is a concurrent replay.
async fn commit_create(
    ctx: &Ctx,
    cal: &BusinessCalendar,
    t: &NewTicketFacts<'_>,
    p: &plan::CreatePlan,
    at: DateTime<Utc>,
) -> ApiResult<Response> {
    let (id, now_s) = (new_id()?, db_time(at));
    let message_ids = p
        .messages
        .iter()
        .map(|_| new_id())
        .collect::<ApiResult<Vec<_>>>()?;
    let due = p.due_at.map(db_time);
    let new = NewTicket {
        id: &id,
        number_prefix: &p.number_prefix,
        counter: &p.counter,
        company_id: &t.company.id,
        service_id: t.service_id,
        requester_id: &t.caller.id,
        category: t.input.category.as_str(),
        priority: t.input.priority.as_str(),
        coverage: p.coverage.as_str(),
        subject: &t.input.subject,
        description: &t.input.description,
        steps: t.input.steps.as_deref(),
        client_info: Some(t.info),
        due_at: due.as_deref(),
        linked_to: t.input.linked_to.as_deref(),
        idempotency_key: t.idem.map(|i| i.key.as_str()),
        idempotency_fingerprint: t.idem.map(|i| i.fingerprint.as_str()),
        now: &now_s,
    };
    let author = Author {
        id: &t.caller.id,
        kind: actor_of(t.caller).as_str(),
    };
    let mut stmts = commit::create_batch(&new, p, &message_ids, author)?
        .iter()
        .map(|q| crate::repo::bind(&ctx.db, q))
        .collect::<ApiResult<Vec<_>>>()?;
    // Issue 11: the confirmation (target and due time) in the same batch.
    let facts = crate::notify::ticket::TicketFacts {
        id: &id,
        number: crate::repo::notices::NUMBER_SLOT,
        subject: &t.input.subject,
        company: &t.company.name,
        requester_id: &t.caller.id,
    };
    stmts.extend(crate::notify::ticket::planned(
        &ctx.db,
        cal,
        &ctx.origin,
        &facts,
        &t.caller.name,
        &p.notices,
        &p.messages,
        &message_ids,
        None,
        at,
    )?);
    ctx.drain_after.set(true);
    // The new ticket is read back in the same batch (one transaction).
    stmts.extend(repo::timeline_stmts(&ctx.db, &id)?);
    let Some(results) = repo::try_commit_results(&ctx.db, stmts).await? else {
        // Most likely a concurrent request with the same Idempotency-Key won the race.
        if let Some(i) = t.idem {
            if let Some(existing) = repo::by_idempotency_key(&ctx.db, &t.caller.id, &i.key).await? {
                return replay_or_refuse(ctx, t.caller, &existing, &i.fingerprint).await;
            }
        }
        return Err(ApiError::Internal("ticket insert failed".into()));
    };
    let (row, timeline) = repo::read_timeline(&results[results.len() - 4..])?
        .ok_or_else(|| ApiError::Internal("new ticket vanished".into()))?;
    // Issue 15: the staff lobby's ticket queue updates without a reload.
    ctx.live.borrow_mut().push(crate::live::Push::Lobby(
        domain::api::live::LobbyFrame::Tickets {
            ticket_id: id.clone(),
            what: "new_ticket".into(),
        },
    ));
    let mut resp = json(201, &detail(cal, t.caller, &row, timeline, at)?)?;
    resp.headers_mut()
        .set("Location", &format!("/api/tickets/{id}"))?;
    Ok(resp)
}

/// A retry with a key already used: the earlier ticket when the body is the same, else 422.
async fn replay_or_refuse(
    ctx: &Ctx,
    caller: &Caller,
    existing: &repo::Replay,
    fingerprint: &str,
) -> ApiResult<Response> {
    workflow::idempotent_replay(existing.idempotency_fingerprint.as_deref(), fingerprint)?;
    replayed(ctx, caller, &existing.id).await
}

pub(crate) async fn replayed(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    let mut resp = respond_read(ctx, caller, id, 201).await?;
    resp.headers_mut().set("Idempotency-Replayed", "true")?;
    resp.headers_mut()
        .set("Location", &format!("/api/tickets/{id}"))?;
    Ok(resp)
}
