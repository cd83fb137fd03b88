//! Tickets end to end (issue 5): create, list, read, reply, status changes,
//! reopen/close, assignment, merge, flags, out-of-scope, duplicates.
//!
//! Every status change goes through [`change`]: read the ticket → decide with
//! `domain::ticket::apply` and `domain::workflow::deadlines` → one guarded
//! batch (messages, events, ticket update) → retry when another writer changed
//! the status in between. Due times come from `domain::sla::compute` over the
//! timeline and are re-stored whenever a ticket is read in full.
use chrono::{DateTime, Datelike, Utc};
use domain::api::{
    AssignRequest, AttachmentView, ClientInfo, CreateTicketRequest, ErrorBody, EventData,
    EventView, LocalizedText, MergeRequest, MessageView, OutOfScopeRequest, PausedView,
    PostMessageRequest, Role, ServiceRef, SimilarTicket, SimilarTickets, SlaView, StatusRequest,
    TicketDetail, TicketList, TicketRef, TicketSummary, UserRef,
};
use domain::calendar::BusinessCalendar;
use domain::contract::{self, Category, Coverage, ServiceStatus};
use domain::sla::{self, PauseReason, Priority, TimelineEvent};
use domain::ticket::{self, Action, Actor, Status, TransitionContext, TransitionError};
use domain::validation::{self, FieldError, Lang};
use domain::workflow::{self, OutOfScope};
use serde::Deserialize;
use worker::{Request, Response};

use super::calendar::{calendar, office_time};
use super::catalog;
use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult, Text};
use crate::http::{client_ip, json, ok, query_param, read_json};
use crate::repo::catalog as catalog_repo;
use crate::repo::tickets::{
    self as repo, EventRow, Guard, ListFilter, MessageRow, NewEvent, NewMessage, NewTicket, Scope,
    TicketRow, TicketUpdate,
};
use crate::util::{db_time, new_id, now, parse_db_time};

const MESSAGE_MAX: usize = 20_000;
const REASON_MAX: usize = 500;

// ---------------------------------------------------------------------------
// Errors, roles, visibility

fn field_err(e: FieldError) -> ApiError {
    e.into()
}

fn query_err(e: FieldError) -> ApiError {
    ApiError::query(e)
}

fn transition_err(e: TransitionError) -> ApiError {
    e.into()
}

fn staff_only(what: &str) -> ApiError {
    ApiError::Forbidden(
        "staff_only",
        (
            format!("Solo el personal de soporte puede {what}."),
            "Only support staff can do this.".to_string(),
        )
            .into(),
    )
}

fn actor_of(caller: &Caller) -> Actor {
    match caller.role {
        Role::Client => Actor::Client,
        Role::Agent => Actor::Agent,
        Role::Admin => Actor::Admin,
    }
}

fn internal<T>(what: &str) -> impl FnOnce(T) -> ApiError + '_ {
    move |_| ApiError::Internal(format!("bad stored value: {what}"))
}

fn status_of(row: &TicketRow) -> ApiResult<Status> {
    row.status.parse().map_err(internal("status"))
}

/// Staff see every ticket; a client sees their company's, or only their own
/// when the company restricts it.
fn can_see(caller: &Caller, row: &TicketRow) -> bool {
    match (&caller.role, &caller.company) {
        (r, _) if r.is_staff() => true,
        (_, Some(c)) => {
            c.id == row.company_id && (row.company_only_own == 0 || row.requester_id == caller.id)
        }
        _ => false,
    }
}

/// The ticket if the caller may see it; 404 otherwise (never reveals existence).
async fn visible(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<TicketRow> {
    match repo::get(&ctx.db, id).await? {
        Some(row) if can_see(caller, &row) => Ok(row),
        _ => Err(ApiError::NotFound),
    }
}

/// A staff-only action on a ticket: signed in (401), able to see it (404, never revealing
/// existence), then staff (403), in that order.
async fn staff_on_ticket(
    ctx: &Ctx,
    req: &Request,
    id: &str,
    what: &str,
) -> ApiResult<(Caller, TicketRow)> {
    let caller = auth::require(&ctx.db, req).await?;
    let row = visible(ctx, &caller, id).await?;
    if !caller.role.is_staff() {
        return Err(staff_only(what));
    }
    Ok((caller, row))
}

// ---------------------------------------------------------------------------
// Views

fn text(f: impl Fn(Lang) -> String) -> LocalizedText {
    LocalizedText::new(f(Lang::Es), f(Lang::En))
}

fn t(cal: &BusinessCalendar, stored: &str) -> String {
    parse_db_time(stored)
        .map(|at| office_time(cal, at))
        .unwrap_or_else(|| stored.to_string())
}

fn t_opt(cal: &BusinessCalendar, stored: &Option<String>) -> Option<String> {
    stored.as_deref().map(|s| t(cal, s))
}

fn coverage_of(s: &str) -> ApiResult<Coverage> {
    match s {
        "free" => Ok(Coverage::Free),
        "contract" => Ok(Coverage::Contract),
        "per_event" => Ok(Coverage::PerEvent),
        _ => Err(ApiError::Internal(format!("bad coverage {s}"))),
    }
}

fn paused_view(cal: &BusinessCalendar, reason: PauseReason, since: DateTime<Utc>) -> PausedView {
    PausedView {
        reason,
        since: office_time(cal, since),
        label: text(|l| reason.label(l).to_string()),
    }
}

fn summary(cal: &BusinessCalendar, row: &TicketRow, at: DateTime<Utc>) -> ApiResult<TicketSummary> {
    let status = status_of(row)?;
    let priority: Priority = row.priority.parse().map_err(internal("priority"))?;
    let paused = match (&row.paused_reason, &row.paused_since) {
        (Some(r), Some(since)) => {
            let reason: PauseReason = r.parse().map_err(internal("paused_reason"))?;
            parse_db_time(since).map(|s| paused_view(cal, reason, s))
        }
        _ => None,
    };
    let due = row.due_at.as_deref().and_then(parse_db_time);
    Ok(TicketSummary {
        id: row.id.clone(),
        number: row.number.clone(),
        subject: row.subject.clone(),
        status,
        status_label: text(|l| status.label(l).to_string()),
        priority,
        category: row.category.parse().map_err(internal("category"))?,
        coverage: coverage_of(&row.coverage)?,
        company: domain::api::CompanyRef {
            id: row.company_id.clone(),
            name: row.company_name.clone(),
        },
        service: ServiceRef {
            id: row.service_id.clone(),
            name: row.service_name.clone(),
            kind: row.service_kind.clone(),
        },
        requester: UserRef {
            id: row.requester_id.clone(),
            name: row.requester_name.clone(),
            role: Some("client".into()),
        },
        assignee: row
            .assignee_id
            .clone()
            .zip(row.assignee_name.clone())
            .map(|(id, name)| UserRef {
                id,
                name,
                role: None,
            }),
        created_at: t(cal, &row.created_at),
        updated_at: t(cal, &row.updated_at),
        due_at: due.map(|d| office_time(cal, d)),
        target_hours: priority.target_hours(),
        breached: status.is_open() && paused.is_none() && due.is_some_and(|d| d < at),
        paused,
        queue_position: row.queue_position,
        auto_close_at: t_opt(cal, &row.auto_close_at),
        reopen_until: t_opt(cal, &row.reopen_until),
        merged_into: row
            .merged_into
            .clone()
            .zip(row.merged_into_number.clone())
            .map(|(id, number)| TicketRef { id, number }),
    })
}

/// The SLA timeline of a ticket: public client messages, public staff replies
/// and the status changes recorded as events.
fn timeline(messages: &[MessageRow], events: &[EventRow]) -> Vec<TimelineEvent> {
    let mut out = Vec::new();
    for m in messages.iter().filter(|m| m.internal == 0) {
        let Some(at) = parse_db_time(&m.created_at) else {
            continue;
        };
        match m.kind.as_str() {
            "client" => out.push(TimelineEvent::ClientMessage { at }),
            "reply" | "awaiting_client" | "resolved_confirm" => {
                out.push(TimelineEvent::StaffReply { at })
            }
            _ => {}
        }
    }
    for e in events.iter().filter(|e| e.kind == "status") {
        let data = event_data(e);
        if let (Some(from), Some(to), Some(at)) = (data.from, data.to, parse_db_time(&e.created_at))
        {
            out.extend(workflow::status_timeline(from, to, at));
        }
    }
    out
}

fn event_data(e: &EventRow) -> EventData {
    e.data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default()
}

fn attachment_view(cal: &BusinessCalendar, a: &repo::AttachmentRow) -> AttachmentView {
    AttachmentView {
        id: a.id.clone(),
        name: a.name.clone(),
        size: a.size,
        content_type: a.content_type.clone(),
        message_id: a.message_id.clone(),
        created_at: t(cal, &a.created_at),
        url: format!("/api/attachments/{}", a.id),
    }
}

fn message_view(cal: &BusinessCalendar, m: &MessageRow, atts: Vec<AttachmentView>) -> MessageView {
    MessageView {
        id: m.id.clone(),
        seq: m.seq,
        kind: m.kind.clone(),
        internal: m.internal != 0,
        body: m.body.clone(),
        author: m
            .author_id
            .clone()
            .zip(m.author_name.clone())
            .map(|(id, name)| UserRef {
                id,
                name,
                role: m.author_role.clone(),
            }),
        created_at: t(cal, &m.created_at),
        flagged: m.flagged != 0,
        attachments: atts,
    }
}

/// The full ticket as the caller may see it; re-stores the due time computed
/// from the timeline when it changed.
async fn detail(
    ctx: &Ctx,
    cal: &BusinessCalendar,
    caller: &Caller,
    row: &TicketRow,
    parts: repo::Timeline,
) -> ApiResult<TicketDetail> {
    let at = now();
    let staff = caller.role.is_staff();
    let repo::Timeline {
        messages,
        events,
        attachments,
    } = parts;
    let priority: Priority = row.priority.parse().map_err(internal("priority"))?;
    let state = sla::compute(cal, priority, &timeline(&messages, &events), at);

    // Keep the stored due time (used by lists and the breach filter) in step.
    let due = if state.paused.is_some() {
        None
    } else {
        state.due_at
    };
    let due_text = due.map(db_time);
    if due_text != row.due_at {
        let mark = repo::Mark {
            m: messages.iter().map(|m| m.seq).max().unwrap_or(0),
            e: events.iter().map(|e| e.id).max().unwrap_or(0),
        };
        repo::store_due(&ctx.db, &row.id, due_text.as_deref(), mark).await?;
    }
    let mut fresh = row.clone();
    fresh.due_at = due_text;
    let mut summary = summary(cal, &fresh, at)?;
    if let Some((reason, since)) = state.paused {
        summary.paused = Some(paused_view(cal, reason, since));
    }
    summary.breached = state.breached && state.paused.is_none();

    let visible_atts: Vec<&repo::AttachmentRow> = attachments
        .iter()
        .filter(|a| staff || a.internal == 0)
        .collect();
    let messages_out: Vec<MessageView> = messages
        .iter()
        .filter(|m| staff || m.internal == 0)
        .map(|m| {
            let atts = visible_atts
                .iter()
                .filter(|a| a.message_id.as_deref() == Some(&m.id))
                .map(|a| attachment_view(cal, a))
                .collect();
            message_view(cal, m, atts)
        })
        .collect();
    let events_out = events
        .iter()
        .map(|e| EventView {
            id: e.id,
            kind: e.kind.clone(),
            actor_kind: e.actor_kind.clone(),
            actor: e
                .actor_id
                .clone()
                .zip(e.actor_name.clone())
                .map(|(id, name)| UserRef {
                    id,
                    name,
                    role: None,
                }),
            data: event_data(e),
            created_at: t(cal, &e.created_at),
        })
        .collect();
    let status = summary.status;
    let can_reopen = caller.role == Role::Client
        && ticket::apply(
            status,
            Action::Reopen,
            Actor::Client,
            &TransitionContext {
                now: at,
                reopen_deadline: row.reopen_until.as_deref().and_then(parse_db_time),
            },
        )
        .is_ok();
    let paused_minutes = |r: PauseReason| state.paused_minutes.get(&r).copied().unwrap_or(0);
    Ok(TicketDetail {
        description: row.description.clone().unwrap_or_default(),
        steps: row.steps.clone(),
        sla: SlaView {
            target_hours: priority.target_hours(),
            due_at: summary.due_at.clone(),
            remaining_minutes: state.remaining_minutes,
            breached: summary.breached,
            missed_targets: state.missed_targets,
            paused_minutes_waiting_client: paused_minutes(PauseReason::WaitingClient),
            paused_minutes_waiting_third_party: paused_minutes(PauseReason::WaitingThirdParty),
            paused_minutes_waiting_release: paused_minutes(PauseReason::WaitingRelease),
        },
        can_reopen,
        linked_to: row
            .linked_to
            .clone()
            .zip(row.linked_to_number.clone())
            .map(|(id, number)| TicketRef { id, number }),
        client_info: if staff {
            row.client_info
                .as_deref()
                .and_then(|c| serde_json::from_str::<ClientInfo>(c).ok())
        } else {
            None
        },
        messages: messages_out,
        events: events_out,
        attachments: visible_atts
            .iter()
            .map(|a| attachment_view(cal, a))
            .collect(),
        summary,
    })
}

async fn respond_detail(ctx: &Ctx, caller: &Caller, id: &str, status: u16) -> ApiResult<Response> {
    let cal = calendar(ctx).await?;
    let (row, timeline) = match repo::get_with_timeline(&ctx.db, id).await? {
        Some((row, timeline)) if can_see(caller, &row) => (row, timeline),
        _ => return Err(ApiError::NotFound),
    };
    json(status, &detail(ctx, &cal, caller, &row, timeline).await?)
}

/// Recomputes and stores the due time of a ticket (after a change made without reading it).
async fn refresh_due(
    ctx: &Ctx,
    cal: &BusinessCalendar,
    caller: &Caller,
    id: &str,
) -> ApiResult<()> {
    if let Some((row, timeline)) = repo::get_with_timeline(&ctx.db, id).await? {
        detail(ctx, cal, caller, &row, timeline).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The change engine

struct PlannedMessage {
    /// `None` = this ticket.
    ticket_id: Option<String>,
    id: String,
    kind: &'static str,
    internal: bool,
    body: String,
    by_caller: bool,
}

struct PlannedEvent {
    ticket_id: Option<String>,
    kind: &'static str,
    data: EventData,
}

#[derive(Default)]
struct Plan {
    action: Option<Action>,
    /// Re-sending "awaiting your answer" restarts the 48 h countdown.
    restart: bool,
    reason: Option<String>,
    messages: Vec<PlannedMessage>,
    events: Vec<PlannedEvent>,
    assignee: Option<Option<String>>,
    merge_into: Option<TicketRef>,
    flag_message: Option<String>,
}

impl Plan {
    fn message(
        &mut self,
        kind: &'static str,
        internal: bool,
        body: String,
        by_caller: bool,
    ) -> ApiResult<String> {
        let id = new_id()?;
        self.messages.push(PlannedMessage {
            ticket_id: None,
            id: id.clone(),
            kind,
            internal,
            body,
            by_caller,
        });
        Ok(id)
    }
    fn event(&mut self, kind: &'static str, data: EventData) {
        self.events.push(PlannedEvent {
            ticket_id: None,
            kind,
            data,
        });
    }
}

/// Applies the plan `decide` makes for the ticket's current state, retrying when
/// a concurrent writer changed the status first. Returns the planned message ids.
async fn change(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    decide: impl Fn(&TicketRow, Status) -> ApiResult<Plan>,
) -> ApiResult<(TicketRow, Vec<String>)> {
    let cal = calendar(ctx).await?;
    let actor = actor_of(caller);
    for _ in 0..12 {
        let row = visible(ctx, caller, id).await?;
        let from = status_of(&row)?;
        let plan = decide(&row, from)?;
        let at = now();
        let to = match plan.action {
            Some(action) => ticket::apply(
                from,
                action,
                actor,
                &TransitionContext {
                    now: at,
                    reopen_deadline: row.reopen_until.as_deref().and_then(parse_db_time),
                },
            )
            .map_err(transition_err)?,
            None => from,
        };
        let d = workflow::deadlines(&cal, from, to, at, plan.restart);
        let now_s = db_time(at);
        let guard = Guard {
            ticket_id: &row.id,
            status: from.as_str(),
        };
        let mut stmts = Vec::new();
        let mut event_rows: Vec<(String, &'static str, EventData)> = plan
            .events
            .iter()
            .map(|e| {
                (
                    e.ticket_id.clone().unwrap_or_else(|| row.id.clone()),
                    e.kind,
                    e.data.clone(),
                )
            })
            .collect();
        if from != to {
            event_rows.push((
                row.id.clone(),
                "status",
                EventData {
                    from: Some(from),
                    to: Some(to),
                    action: plan.action.map(|a| a.as_str().to_string()),
                    reason: plan.reason.clone(),
                    ..Default::default()
                },
            ));
        }
        if let Some(into) = &plan.merge_into {
            stmts.extend(repo::move_content(&ctx.db, &row.id, &into.id, guard)?);
        }
        if let Some(mid) = &plan.flag_message {
            stmts.push(repo::flag_message(&ctx.db, mid, guard)?);
        }
        for m in &plan.messages {
            stmts.push(repo::insert_message(
                &ctx.db,
                &NewMessage {
                    id: &m.id,
                    ticket_id: m.ticket_id.as_deref().unwrap_or(&row.id),
                    author_id: m.by_caller.then_some(caller.id.as_str()),
                    kind: m.kind,
                    internal: m.internal,
                    body: &m.body,
                    now: &now_s,
                },
                guard,
            )?);
        }
        for (tid, kind, data) in &event_rows {
            stmts.push(repo::insert_event(
                &ctx.db,
                &NewEvent {
                    ticket_id: tid,
                    actor_id: Some(&caller.id),
                    actor_kind: actor.as_str(),
                    kind,
                    data: serde_json::to_string(data)?,
                    now: &now_s,
                },
                Some(guard),
            )?);
        }
        let old = |s: &Option<String>| s.as_deref().and_then(parse_db_time);
        let fmt = |v: Option<DateTime<Utc>>| v.map(db_time);
        let paused_reason = to.is_paused().map(|r| r.as_str());
        let paused_since = fmt(d.paused_since.apply(old(&row.paused_since)));
        let auto_close_at = fmt(d.auto_close_at.apply(old(&row.auto_close_at)));
        let resolved_at = fmt(d.resolved_at.apply(old(&row.resolved_at)));
        let reopen_until = fmt(d.reopen_until.apply(old(&row.reopen_until)));
        let update = TicketUpdate {
            status: to.as_str(),
            paused_reason,
            paused_since: paused_since.as_deref(),
            auto_close_at: auto_close_at.as_deref(),
            resolved_at: resolved_at.as_deref(),
            reopen_until: reopen_until.as_deref(),
            assignee_id: plan.assignee.as_ref().map(|a| a.as_deref()),
            merged_into: plan.merge_into.as_ref().map(|m| m.id.as_str()),
            now: &now_s,
        };
        stmts.push(repo::update_ticket(&ctx.db, &update, guard)?);
        if repo::commit(&ctx.db, stmts).await? {
            let ids = plan.messages.iter().map(|m| m.id.clone()).collect();
            return Ok((row, ids));
        }
    }
    Err(ApiError::Conflict(
        "concurrent_update",
        (
            "El ticket cambió mientras lo actualizabas; intenta de nuevo.",
            "The ticket changed while you were updating it; please retry.",
        )
            .into(),
    ))
}

// ---------------------------------------------------------------------------
// Create

fn parse_field<T: std::str::FromStr<Err = FieldError>>(v: &str) -> ApiResult<T> {
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
    let (existing, service, standing) = futures_util::future::join3(
        replay,
        catalog_repo::service(&ctx.db, body.service_id.trim()),
        catalog::standing(ctx, &company.id),
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

    let cal = calendar(ctx).await?;
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
    let stmts = vec![
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
    if repo::try_commit(&ctx.db, stmts).await?.is_none() {
        // Most likely a concurrent request with the same Idempotency-Key won the race.
        if let Some(k) = &key {
            if let Some(existing) = repo::by_idempotency_key(&ctx.db, &caller.id, k).await? {
                return replayed(ctx, &caller, &existing).await;
            }
        }
        return Err(ApiError::Internal("ticket insert failed".into()));
    }
    let mut resp = respond_detail(ctx, &caller, &id, 201).await?;
    resp.headers_mut()
        .set("Location", &format!("/api/tickets/{id}"))?;
    Ok(resp)
}

async fn replayed(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Response> {
    let mut resp = respond_detail(ctx, caller, id, 201).await?;
    resp.headers_mut().set("Idempotency-Replayed", "true")?;
    resp.headers_mut()
        .set("Location", &format!("/api/tickets/{id}"))?;
    Ok(resp)
}

// ---------------------------------------------------------------------------
// Read

fn parse_bool(field: &'static str, v: &str) -> ApiResult<bool> {
    match v.trim() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ApiError::bad_field(
            field,
            ("Usa true o false.", "Use true or false."),
        )),
    }
}

fn param(req: &Request, name: &str) -> ApiResult<Option<String>> {
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
    respond_detail(ctx, &caller, id, 200).await
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

#[utoipa::path(post, path = "/api/tickets/{id}/status", tag = "tickets", request_body = StatusRequest,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Changed; waiting_third_party / waiting_release pause the clock (P9)", body = TicketDetail),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "Transition not allowed from the current status", body = ErrorBody),
        (status = 422, description = "Unknown status (field `status`)", body = ErrorBody)))]
pub async fn set_status(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let (caller, _) = staff_on_ticket(ctx, req, id, "cambiar el estado").await?;
    let input: StatusRequest = read_json(req).await?;
    let to: Status = parse_field(&input.status)?;
    let reason =
        validation::optional_text("reason", input.reason.as_deref().unwrap_or(""), REASON_MAX)
            .map_err(field_err)?;
    let (row, _) = change(ctx, &caller, id, |_row, from| {
        let action = Action::for_target(from, to).ok_or_else(|| {
            transition_err(TransitionError::InvalidTransition {
                from,
                action: Action::Resume,
            })
        })?;
        Ok(Plan {
            action: Some(action),
            restart: from == to,
            reason: reason.clone(),
            ..Default::default()
        })
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/reopen", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Reopened (inside the warranty window for clients, P18)", body = TicketDetail),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "`warranty_expired` after the window; `invalid_transition` if not resolved/closed", body = ErrorBody)))]
pub async fn reopen(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let (row, _) = change(ctx, &caller, id, |_, _| {
        Ok(Plan {
            action: Some(Action::Reopen),
            ..Default::default()
        })
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/close", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Closed: the client confirms the solution (P16); staff close directly", body = TicketDetail),
        (status = 409, description = "Not resolved (clients) / already closed", body = ErrorBody)))]
pub async fn close(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let action = if caller.role.is_staff() {
        Action::Close
    } else {
        Action::ClientConfirm
    };
    let (row, _) = change(ctx, &caller, id, |_, _| {
        Ok(Plan {
            action: Some(action),
            ..Default::default()
        })
    })
    .await?;
    respond_detail(ctx, &caller, &row.id, 200).await
}

/// A JSON body that may be absent (`POST` with no body = defaults).
async fn optional_json<T: serde::de::DeserializeOwned + Default>(
    req: &mut Request,
) -> ApiResult<T> {
    let has_type = req.headers().get("Content-Type")?.is_some();
    let len = req
        .headers()
        .get("Content-Length")?
        .and_then(|l| l.parse::<usize>().ok());
    if !has_type && len.unwrap_or(0) == 0 {
        return Ok(T::default());
    }
    read_json(req).await
}

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
    let (row, _) = change(ctx, &caller, id, |row, from| {
        if row.assignee_id.as_deref() == assignee.as_ref().map(|a| a.id.as_str()) {
            return Ok(Plan::default());
        }
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
    let (row, _) = change(ctx, &caller, id, |row, _| {
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
    let (row, _) = change(ctx, &caller, id, |_, _| {
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

// ---------------------------------------------------------------------------
// Test hook

#[derive(Deserialize)]
struct ShiftInput {
    ticket_id: String,
    hours: i64,
}

/// `POST /api/admin/debug/shift-ticket {ticket_id, hours}`: moves a ticket's instants into
/// the past. Exists only when `MDS_ALLOW_TEST_HOOKS = "1"` (set by `cargo xtask test`).
pub async fn debug_shift(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let enabled = ctx
        .env
        .var("MDS_ALLOW_TEST_HOOKS")
        .map(|v| v.to_string() == "1")
        .unwrap_or(false);
    if !enabled {
        return Err(ApiError::NotFound);
    }
    auth::require(&ctx.db, req).await?.require_admin()?;
    let input: ShiftInput = read_json(req).await?;
    if !(1..=100_000).contains(&input.hours) {
        return Err(ApiError::invalid(
            "invalid_hours",
            "hours",
            ("Entre 1 y 100000 horas.", "Between 1 and 100000 hours."),
        ));
    }
    let row = repo::get(&ctx.db, &input.ticket_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    repo::shift_into_past(&ctx.db, &row.id, input.hours).await?;
    ok(&serde_json::json!({ "shifted": row.id, "hours": input.hours }))
}

/// For sibling handlers (attachments): the ticket if visible to the caller, else 404.
pub async fn visible_row(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<TicketRow> {
    visible(ctx, caller, id).await
}

pub fn actor_kind(caller: &Caller) -> &'static str {
    actor_of(caller).as_str()
}
