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
//!
//! Every person also has a `UserLive` object (named by their id): their own socket for the
//! notification bell, and the count of all their sockets (`MAX_SOCKETS_PER_PERSON`): a
//! ticket or lobby upgrade first takes a lease from it. Notices written by any request or
//! sweep are announced to their people's objects after the commit ([`notified`]).
pub mod lobby;
pub mod ticket;
pub mod user;

use domain::api::live::{LobbyFrame, ServerFrame, UserFrame};
use domain::api::Role;
use serde::{Deserialize, Serialize};
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

pub const TICKET_BINDING: &str = "TICKET_LIVE";
pub const LOBBY_BINDING: &str = "CHAT_LOBBY";
pub const USER_BINDING: &str = "USER_LIVE";
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
    /// A frame for one person's own sockets.
    User {
        user_id: String,
        frame: UserFrame,
    },
}

impl Push {
    /// One `changed {what, status}` frame for every socket of a ticket: its pages read the
    /// ticket again.
    pub fn changed(ticket_id: &str, what: &str, status: Option<String>) -> Push {
        Push::Ticket {
            ticket_id: ticket_id.to_string(),
            frames: vec![(
                false,
                ServerFrame::Changed {
                    what: what.to_string(),
                    status,
                },
            )],
        }
    }
}

/// An object that holds sockets of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    Ticket(String),
    Lobby,
}

impl Target {
    /// The object's binding and name.
    fn object(&self) -> (&'static str, &str) {
        match self {
            Target::Ticket(id) => (TICKET_BINDING, id),
            Target::Lobby => (LOBBY_BINDING, LOBBY_NAME),
        }
    }

    fn stub(&self, env: &Env) -> ApiResult<worker::Stub> {
        let (binding, name) = self.object();
        Ok(env.durable_object(binding)?.get_by_name(name)?)
    }
}

/// How many sockets of `user_id` the object `target` holds.
pub async fn count_on(env: &Env, target: &Target, user_id: &str) -> ApiResult<usize> {
    #[derive(Deserialize)]
    struct N {
        n: usize,
    }
    let url = format!("https://live/count?user={user_id}");
    let mut resp = target.stub(env)?.fetch_with_str(&url).await?;
    Ok(resp.json::<N>().await?.n)
}

/// The `/count` answer of an object: the sockets tagged with the person.
pub fn count_response(state: &worker::State, req: &Request) -> worker::Result<Response> {
    let user = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "user")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Response::from_json(&serde_json::json!({
        "n": state.get_websockets_with_tag(&format!("u:{user}")).len()
    }))
}

/// Opens `conn`'s socket on `target` within the person's limit: a lease from their
/// `UserLive` (409 `too_many_sockets` when they are at the limit), the upgrade, the
/// lease settled either way.
pub async fn open(env: &Env, target: Target, conn: &Conn) -> ApiResult<Response> {
    let person = env
        .durable_object(USER_BINDING)?
        .get_by_name(&conn.user_id)?;
    let lease = serde_json::to_string(&user::Lease {
        user_id: conn.user_id.clone(),
        target: target.clone(),
    })?;
    let mut granted = person
        .fetch_with_request(json_request("https://live/lease", lease)?)
        .await?;
    if granted.status_code() != 200 {
        return Ok(granted);
    }
    let lease = granted.json::<user::Granted>().await?.lease;
    let (binding, name) = target.object();
    let resp = forward(env, binding, name, conn).await;
    let ok = resp.as_ref().is_ok_and(|r| r.status_code() == 101);
    let settle = serde_json::to_string(&user::Settle { lease, target, ok })?;
    if let Err(e) = person
        .fetch_with_request(json_request("https://live/settle", settle)?)
        .await
    {
        worker::console_error!("live settle: {e}");
    }
    resp
}

/// The person's own socket (`GET /api/live`).
pub async fn open_own(env: &Env, conn: &Conn) -> ApiResult<Response> {
    forward(env, USER_BINDING, &conn.user_id.clone(), conn).await
}

fn json_request(url: &str, body: String) -> ApiResult<Request> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    Ok(Request::new_with_init(
        url,
        RequestInit::new()
            .with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(wasm_bindgen::JsValue::from_str(&body))),
    )?)
}

/// `Push::User` for everyone the isolate's committed statements notified since the last
/// call (`repo::take_notified`), once each. Concurrent requests in one isolate share the
/// list: whichever takes it delivers, so nobody is missed.
pub fn notified() -> Vec<Push> {
    let mut ids = crate::repo::take_notified();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .map(|user_id| Push::User {
            user_id,
            frame: UserFrame::Notifications,
        })
        .collect()
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
    let req = json_request("https://live/push", body)?;
    let stub = env.durable_object(binding)?.get_by_name(name)?;
    stub.fetch_with_request(req).await?;
    Ok(())
}

/// Sends pushes to their objects (with [`notified`]'s). Best effort: a failure is logged,
/// never the request's. Ticket and lobby frames go in order; people's frames in parallel.
pub async fn deliver(env: &Env, mut pushes: Vec<Push>) {
    pushes.extend(notified());
    let (people, ordered): (Vec<Push>, Vec<Push>) = pushes
        .into_iter()
        .partition(|p| matches!(p, Push::User { .. }));
    futures_util::future::join_all(people.into_iter().map(|p| deliver_one(env, p))).await;
    for p in ordered {
        deliver_one(env, p).await;
    }
}

async fn deliver_one(env: &Env, p: Push) {
    {
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
            Push::User { user_id, frame } => match serde_json::to_string(&frame) {
                Ok(body) => post(env, USER_BINDING, &user_id, body).await,
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

/// Sends `frame` to every socket of the object.
pub fn send_all<T: Serialize>(state: &worker::State, frame: &T) {
    for ws in state.get_websockets() {
        send(&ws, frame);
    }
}

/// Sends `frame` to `ws`, ignoring a socket that is already closing.
pub fn send<T: Serialize>(ws: &worker::WebSocket, frame: &T) {
    if let Ok(text) = serde_json::to_string(frame) {
        let _ = ws.send_with_str(text);
    }
}
