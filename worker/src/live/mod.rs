//! Live tickets and chat (issue 15): one Durable Object per ticket (`TicketLive`) holds the
//! ticket's WebSockets with the Hibernation API, one `ChatLobby` holds the staff's (the
//! chat queue, availability, ticket-queue updates).
//!
//! The Worker authenticates the upgrade exactly as a ticket read (404 before upgrading when
//! the caller cannot see it, the Origin check) and hands the socket to the object with who
//! the caller is. A message typed into a socket is stored by the same code as
//! `POST /api/tickets/{id}/messages` (`tickets::messages::persist_message`: the change
//! engine and `plan_message`) inside the object, serialized, and only then broadcast; what
//! HTTP requests commit (replies, notes, status changes, attachments) is pushed to the
//! object after the commit (`Ctx::live`, sent after the response, best effort). Frames carry
//! the message's per-ticket `seq`, the one order every reader keeps.
pub mod lobby;
pub mod ticket;

use domain::api::live::{LobbyFrame, ServerFrame};
use domain::api::Role;
use serde::{Deserialize, Serialize};
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

pub const TICKET_BINDING: &str = "TICKET_LIVE";
pub const LOBBY_BINDING: &str = "CHAT_LOBBY";
const LOBBY_NAME: &str = "lobby";
/// Who is connecting, from the Worker to the object (never from the browser).
const CONN_HEADER: &str = "X-Mds-Live-Conn";

/// A socket's identity, kept as its hibernation attachment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conn {
    /// Random id of this socket.
    pub id: String,
    pub ticket_id: String,
    pub user_id: String,
    pub name: String,
    pub role: Role,
    /// The session the socket was opened with: every `send` looks it up again, so a
    /// sign-out, a deactivation or a suspension applies to open sockets too.
    pub session_hash: String,
    /// `scheme://host` of the upgrade (links in e-mails a message sends).
    pub origin: String,
    /// Lobby only: available for chats.
    #[serde(default)]
    pub available: bool,
}

impl Conn {
    pub fn of(caller: &Caller, ticket_id: &str, origin: &str) -> ApiResult<Conn> {
        Ok(Conn {
            id: crate::util::new_id()?,
            ticket_id: ticket_id.to_string(),
            user_id: caller.id.clone(),
            name: caller.name.clone(),
            role: caller.role,
            session_hash: caller.session_hash.clone().ok_or(ApiError::Unauthorized)?,
            origin: origin.to_string(),
            available: false,
        })
    }

    pub fn staff(&self) -> bool {
        self.role.is_staff()
    }

    pub fn viewer(&self) -> domain::api::live::Viewer {
        domain::api::live::Viewer {
            id: self.user_id.clone(),
            name: self.name.clone(),
            role: self.role,
        }
    }
}

/// Something to tell a Durable Object once the request's writes are committed.
#[derive(Debug, Clone)]
pub enum Push {
    /// Frames for a ticket's sockets; `true` = staff sockets only (internal notes).
    Ticket {
        ticket_id: String,
        frames: Vec<(bool, ServerFrame)>,
    },
    Lobby(LobbyFrame),
}

#[derive(Serialize, Deserialize)]
pub struct TicketPush {
    pub frames: Vec<(bool, ServerFrame)>,
}

/// Refuses an upgrade whose `Origin` is another site (a browser always sends it on a
/// WebSocket handshake; tools without it are allowed, as for other requests).
pub fn check_upgrade(req: &Request) -> ApiResult<()> {
    if let Some(origin) = req.headers().get("Origin")? {
        let own = req.url()?.origin().ascii_serialization();
        if origin != own {
            return Err(ApiError::Forbidden(
                "cross_origin",
                (
                    "Solicitud de otro sitio rechazada.",
                    "Cross-site request refused.",
                )
                    .into(),
            ));
        }
    }
    let upgrade = req.headers().get("Upgrade")?.unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(ApiError::bad_request(
            "upgrade_required",
            (
                "Esta dirección solo acepta WebSocket (Upgrade: websocket).",
                "This address only accepts WebSocket (Upgrade: websocket).",
            ),
        ));
    }
    Ok(())
}

/// Hands an authorized upgrade to the object named `name` of `binding`.
pub async fn forward(env: &Env, binding: &str, name: &str, conn: &Conn) -> ApiResult<Response> {
    let headers = Headers::new();
    headers.set("Upgrade", "websocket")?;
    headers.set(CONN_HEADER, &serde_json::to_string(conn)?)?;
    let req = Request::new_with_init(
        "https://live/connect",
        RequestInit::new().with_headers(headers),
    )?;
    let stub = env.durable_object(binding)?.get_by_name(name)?;
    Ok(stub.fetch_with_request(req).await?)
}

/// The connecting socket's identity (set by [`forward`]).
pub fn conn_of(req: &Request) -> Option<Conn> {
    req.headers()
        .get(CONN_HEADER)
        .ok()
        .flatten()
        .and_then(|h| serde_json::from_str(&h).ok())
}

async fn post(env: &Env, binding: &str, name: &str, body: String) -> ApiResult<()> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    let req = Request::new_with_init(
        "https://live/push",
        RequestInit::new()
            .with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(wasm_bindgen::JsValue::from_str(&body))),
    )?;
    let stub = env.durable_object(binding)?.get_by_name(name)?;
    stub.fetch_with_request(req).await?;
    Ok(())
}

/// Sends pushes to their objects. Best effort: a failure is logged, never the request's.
pub async fn deliver(env: &Env, pushes: Vec<Push>) {
    for p in pushes {
        let sent = match p {
            Push::Ticket { ticket_id, frames } => {
                match serde_json::to_string(&TicketPush { frames }) {
                    Ok(body) => post(env, TICKET_BINDING, &ticket_id, body).await,
                    Err(e) => Err(e.into()),
                }
            }
            Push::Lobby(frame) => match serde_json::to_string(&frame) {
                Ok(body) => post(env, LOBBY_BINDING, LOBBY_NAME, body).await,
                Err(e) => Err(e.into()),
            },
        };
        if let Err(e) = sent {
            worker::console_error!("live push: {e}");
        }
    }
}

/// Agents available for chat right now (the lobby's sockets marked available).
pub async fn available_agents(env: &Env) -> ApiResult<u32> {
    let stub = env.durable_object(LOBBY_BINDING)?.get_by_name(LOBBY_NAME)?;
    let mut resp = stub.fetch_with_str("https://live/agents").await?;
    #[derive(Deserialize)]
    struct Count {
        available: u32,
    }
    Ok(resp.json::<Count>().await?.available)
}

/// The lobby object's stub, for the lobby upgrade.
pub async fn forward_lobby(env: &Env, conn: &Conn) -> ApiResult<Response> {
    forward(env, LOBBY_BINDING, LOBBY_NAME, conn).await
}

/// Sends `frame` to `ws`, ignoring a socket that is already closing.
pub fn send<T: Serialize>(ws: &worker::WebSocket, frame: &T) {
    if let Ok(text) = serde_json::to_string(frame) {
        let _ = ws.send_with_str(text);
    }
}
