//! Live ticket sockets and chat (issue 15, P3/P4). The sockets themselves live in
//! `crate::live` (Durable Objects); these handlers authorize and answer the HTTP side.
use chrono::{DateTime, Utc};
use domain::api::live::{
    ChatQueue, ChatQueueItem, ChatStatus, ChatView, LobbyFrame, ServerFrame, Viewer,
};
use domain::api::{ErrorBody, UserRef};
use domain::chat::{availability, Availability};
use domain::ticket::Status;
use worker::{Request, Response, ResponseBuilder};

use super::calendar::{calendar, office_time};
use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::ok;
use crate::live::{self, Conn, Push};
use crate::repo::chats::{self as repo, ChatRow};
use crate::util::{db_time, now, parse_db_time};

#[utoipa::path(get, path = "/api/tickets/{id}/live", tag = "live",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 101, description = "WebSocket: JSON frames `hello`, `presence`, `message` (notes to staff only), `changed`, `typing`, `ack`, `error`, `chat_taken`, `pong`; send `send {body, internal?, kind?, client_id?}`, `typing {internal?}`, `ping`"),
        (status = 400, description = "Not a WebSocket upgrade (`upgrade_required`)", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Upgrade from another site (Origin)", body = ErrorBody),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "Too many sockets of yours on this ticket (`too_many_sockets`)", body = ErrorBody)))]
pub async fn live(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    // 404 before anything about the upgrade: a stranger learns nothing.
    let row = super::tickets::visible_row(ctx, &caller, id).await?;
    live::check_upgrade(req)?;
    let conn = Conn::of(&caller, &row.id, &ctx.origin)?;
    relay(live::open(&ctx.env, live::Target::Ticket(row.id.clone()), &conn).await?).await
}

#[utoipa::path(get, path = "/api/chat/live", tag = "live",
    responses(
        (status = 101, description = "Staff lobby WebSocket: frames `agents {available, you_available}`, `queue`, `tickets {ticket_id, what}`, `pong`; send `available {on}` (availability for chats ends with the socket) or `ping`"),
        (status = 400, description = "Not a WebSocket upgrade", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not staff, or another site (Origin)", body = ErrorBody)))]
pub async fn lobby(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    caller.require_staff()?;
    live::check_upgrade(req)?;
    let conn = Conn::of(&caller, "", &ctx.origin)?;
    relay(live::open(&ctx.env, live::Target::Lobby, &conn).await?).await
}

#[utoipa::path(get, path = "/api/live", tag = "live",
    responses(
        (status = 101, description = "The person's own WebSocket (any signed-in role): frame `notifications` when a notice for them was written (read `GET /api/notifications` again), `pong`; send `ping`"),
        (status = 400, description = "Not a WebSocket upgrade", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Another site (Origin)", body = ErrorBody),
        (status = 409, description = "Too many sockets of this person in all (`too_many_sockets`)", body = ErrorBody)))]
pub async fn own(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    live::check_upgrade(req)?;
    let conn = Conn::of(&caller, "", &ctx.origin)?;
    relay(live::open_own(&ctx.env, &conn).await?).await
}

/// An object's refusal comes back with immutable headers: copy it into our own response.
async fn relay(mut resp: Response) -> ApiResult<Response> {
    if resp.status_code() == 101 {
        return Ok(resp);
    }
    let status = resp.status_code();
    let text = resp.text().await?;
    let mut out = ResponseBuilder::new()
        .with_status(status)
        .fixed(text.into_bytes());
    let _ = out
        .headers_mut()
        .set("Content-Type", "application/json; charset=utf-8");
    Ok(out)
}

/// Whether a chat can start now (office hours from the calendar, P4; agents from the lobby).
async fn current(ctx: &Ctx) -> ApiResult<(Availability, u32, DateTime<Utc>)> {
    let cal = calendar(ctx).await?;
    let at = now();
    let agents = if cal.is_open(at) {
        live::available_agents(&ctx.env).await.unwrap_or_else(|e| {
            worker::console_error!("chat lobby: {e}");
            0
        })
    } else {
        0
    };
    Ok((availability(&cal, at, agents), agents, at))
}

#[utoipa::path(get, path = "/api/chat/status", tag = "live",
    responses(
        (status = 200, description = "Whether chat is offered now; otherwise why (`closed`, `no_agents`) and, when closed, the next opening", body = ChatStatus),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn status(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let cal = calendar(ctx).await?;
    let (a, agents, _) = current(ctx).await?;
    ok(&ChatStatus {
        available: a == Availability::Open,
        reason: a.reason().map(str::to_string),
        next_opening: match a {
            Availability::Closed { next_opening } => Some(office_time(&cal, next_opening)),
            _ => None,
        },
        agents: if caller.role.is_staff() { agents } else { 0 },
    })
}

fn chat_view(ctx_cal: &domain::calendar::BusinessCalendar, c: &ChatRow) -> ChatView {
    let t = |s: &str| {
        parse_db_time(s)
            .map(|d| office_time(ctx_cal, d))
            .unwrap_or_else(|| s.to_string())
    };
    ChatView {
        ticket_id: c.ticket_id.clone(),
        requested_at: t(&c.requested_at),
        taken_by: c
            .taken_by
            .clone()
            .zip(c.taken_by_name.clone())
            .map(|(id, name)| UserRef {
                id,
                name,
                role: None,
            }),
        taken_at: c.taken_at.as_deref().map(t),
    }
}

fn unavailable(a: &Availability, cal: &domain::calendar::BusinessCalendar) -> ApiError {
    match a {
        Availability::Closed { next_opening } => {
            let when = office_time(cal, *next_opening);
            ApiError::conflict(
                "chat_closed",
                (
                    format!("El chat abre en horario de oficina; la próxima apertura es {when}. Puedes dejar tu mensaje en el ticket."),
                    format!("Chat opens in office hours; next opening {when}. You can leave your message in the ticket."),
                ),
            )
        }
        _ => ApiError::conflict(
            "chat_no_agents",
            (
                "No hay agentes disponibles para chat en este momento. Tu ticket será atendido en orden de llegada.",
                "No agents are available for chat right now. Your ticket will be answered in order of arrival.",
            ),
        ),
    }
}

#[utoipa::path(post, path = "/api/tickets/{id}/chat", tag = "live",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "The ticket's chat (requested now, or already)", body = ChatView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Staff, or a suspended client (P27)", body = ErrorBody),
        (status = 404, description = "Not visible to you", body = ErrorBody),
        (status = 409, description = "Outside office hours (`chat_closed`), no agent available (`chat_no_agents`), or the ticket is finished (`ticket_finished`)", body = ErrorBody)))]
pub async fn request(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let row = super::tickets::visible_row(ctx, &caller, id).await?;
    if caller.role.is_staff() {
        return Err(ApiError::Forbidden(
            "clients_only",
            (
                "Solo un cliente pide un chat; el personal lo toma.",
                "Only a client requests a chat; staff take it.",
            )
                .into(),
        ));
    }
    super::tickets::who(&caller).require_not_suspended()?;
    let status: Status = row
        .status
        .parse()
        .map_err(|_| ApiError::Internal("status".into()))?;
    if Status::FINISHED.contains(&status) {
        return Err(ApiError::conflict(
            "ticket_finished",
            (
                "El ticket ya está resuelto; reábrelo o abre uno nuevo para chatear.",
                "The ticket is already resolved; reopen it or open a new one to chat.",
            ),
        ));
    }
    let cal = calendar(ctx).await?;
    if let Some(existing) = repo::get(&ctx.db, &row.id).await? {
        return ok(&chat_view(&cal, &existing));
    }
    let (a, _, at) = current(ctx).await?;
    if a != Availability::Open {
        return Err(unavailable(&a, &cal));
    }
    let chat = repo::request(&ctx.db, &row.id, &caller.id, &db_time(at))
        .await?
        .ok_or_else(|| ApiError::Internal("chat vanished".into()))?;
    ctx.live.borrow_mut().push(Push::Lobby(LobbyFrame::Queue));
    ok(&chat_view(&cal, &chat))
}

#[utoipa::path(post, path = "/api/tickets/{id}/chat/take", tag = "live",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses(
        (status = 200, description = "Taken by you: the ticket is assigned to you and the client sees who", body = ChatView),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such ticket or no chat on it", body = ErrorBody),
        (status = 409, description = "Another agent took it first (`chat_taken`)", body = ErrorBody)))]
pub async fn take(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    caller.require_staff()?;
    let row = super::tickets::visible_row(ctx, &caller, id).await?;
    let cal = calendar(ctx).await?;
    let taken = repo::take(&ctx.db, &row.id, &caller.id, &db_time(now())).await?;
    let chat = repo::get(&ctx.db, &row.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !taken {
        if chat.taken_by.as_deref() == Some(caller.id.as_str()) {
            return ok(&chat_view(&cal, &chat));
        }
        return Err(ApiError::conflict(
            "chat_taken",
            (
                format!(
                    "{} ya tomó este chat.",
                    chat.taken_by_name.clone().unwrap_or_default()
                ),
                format!(
                    "{} already took this chat.",
                    chat.taken_by_name.clone().unwrap_or_default()
                ),
            ),
        ));
    }
    // The ticket is assigned to the agent through the ticket's own assign command.
    if row.assignee_id.as_deref() != Some(caller.id.as_str()) {
        if let Err(e) = super::tickets::staff::assign_to_self(ctx, &caller, &row.id).await {
            worker::console_error!("chat take: assign: {e}");
        }
    }
    let agent = Viewer {
        id: caller.id.clone(),
        name: caller.name.clone(),
        role: caller.role,
    };
    let mut live = ctx.live.borrow_mut();
    live.push(Push::Ticket {
        ticket_id: row.id.clone(),
        frames: vec![(false, ServerFrame::ChatTaken { agent })],
    });
    live.push(Push::Lobby(LobbyFrame::Queue));
    ok(&chat_view(&cal, &chat))
}

#[utoipa::path(get, path = "/api/chat/queue", tag = "live",
    responses(
        (status = 200, description = "Chats of open tickets: waiting first (oldest first), then taken", body = ChatQueue),
        (status = 403, description = "Not staff", body = ErrorBody)))]
pub async fn queue(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller: Caller = auth::require(&ctx.db, req).await?;
    caller.require_staff()?;
    let cal = calendar(ctx).await?;
    let at = now();
    let rows = repo::queue(&ctx.db, &Status::sql_list(&Status::FINISHED)).await?;
    let chats = rows
        .into_iter()
        .map(|r| {
            let requested = parse_db_time(&r.requested_at);
            ChatQueueItem {
                waiting_minutes: requested
                    .map(|d| (at - d).num_minutes().max(0))
                    .unwrap_or(0),
                requested_at: requested
                    .map(|d| office_time(&cal, d))
                    .unwrap_or(r.requested_at),
                ticket_id: r.ticket_id,
                number: r.number,
                subject: r.subject,
                company: r.company,
                requester: r.requester,
                taken_by: r.taken_by.zip(r.taken_by_name).map(|(id, name)| UserRef {
                    id,
                    name,
                    role: None,
                }),
            }
        })
        .collect();
    ok(&ChatQueue { chats })
}
