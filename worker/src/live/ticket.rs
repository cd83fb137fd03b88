//! `TicketLive`: the Durable Object of one ticket (named by the ticket's id). Holds its
//! sockets with the Hibernation API — an idle socket costs no running object — and keeps
//! per-socket state (send bucket, typing throttle) in memory only: it is allowed to be
//! forgotten when the object hibernates.
use std::cell::RefCell;
use std::collections::HashMap;

use domain::api::live::{ClientFrame, ServerFrame, Viewer};
use domain::api::PostMessageRequest;
use domain::chat::{SendBucket, FRAME_MAX_BYTES, MAX_SOCKETS_PER_USER, TYPING_EVERY_MS};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

use super::{conn_of, send, Conn, Push, TicketPush};
use crate::error::{ApiError, ApiResult};
use crate::routes::Ctx;

#[durable_object(websocket)]
pub struct TicketLive {
    state: State,
    env: Env,
    buckets: RefCell<HashMap<String, SendBucket>>,
    typing: RefCell<HashMap<String, f64>>,
    /// One store-then-broadcast at a time, so socket messages are broadcast in `seq` order.
    turn: futures_util::lock::Mutex<()>,
}

fn user_tag(user_id: &str) -> String {
    format!("u:{user_id}")
}

fn error_frame(client_id: Option<String>, e: &ApiError) -> ServerFrame {
    ServerFrame::Error {
        client_id,
        error: e.detail(),
    }
}

impl DurableObject for TicketLive {
    fn new(state: State, env: Env) -> Self {
        TicketLive {
            state,
            env,
            buckets: Default::default(),
            typing: Default::default(),
            turn: futures_util::lock::Mutex::new(()),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/connect" => Ok(self.connect(&req).unwrap_or_else(ApiError::into_response)),
            "/count" => super::count_response(&self.state, &req),
            "/push" => {
                let push: TicketPush = req.json().await?;
                let _turn = self.turn.lock().await;
                self.broadcast(&push.frames, None);
                Response::empty()
            }
            _ => Ok(ApiError::NotFound.into_response()),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        let Ok(Some(conn)) = ws.deserialize_attachment::<Conn>() else {
            return Ok(());
        };
        let text = match message {
            WebSocketIncomingMessage::String(s) if s.len() <= FRAME_MAX_BYTES => s,
            WebSocketIncomingMessage::String(_) => {
                send(&ws, &error_frame(None, &too_large()));
                return Ok(());
            }
            WebSocketIncomingMessage::Binary(_) => {
                send(&ws, &error_frame(None, &bad_frame()));
                return Ok(());
            }
        };
        match serde_json::from_str::<ClientFrame>(&text) {
            Err(_) => send(&ws, &error_frame(None, &bad_frame())),
            Ok(ClientFrame::Ping) => send(&ws, &ServerFrame::Pong),
            Ok(ClientFrame::Typing { internal }) => self.typing(&ws, &conn, internal),
            Ok(ClientFrame::Send {
                body,
                internal,
                kind,
                client_id,
            }) => {
                let now_ms = js_sys::Date::now();
                let allowed = self
                    .buckets
                    .borrow_mut()
                    .entry(conn.id.clone())
                    .or_insert_with(|| SendBucket::new(now_ms))
                    .take(now_ms);
                if !allowed {
                    send(&ws, &error_frame(client_id, &rate_limited()));
                    return Ok(());
                }
                let input = PostMessageRequest {
                    body,
                    internal,
                    kind,
                };
                self.store(&ws, &conn, input, client_id).await;
            }
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> Result<()> {
        self.gone(&ws);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        self.gone(&ws);
        Ok(())
    }
}

impl TicketLive {
    fn connect(&self, req: &Request) -> ApiResult<Response> {
        let conn = conn_of(req).ok_or(ApiError::NotFound)?;
        let tag = user_tag(&conn.user_id);
        if self.state.get_websockets_with_tag(&tag).len() >= MAX_SOCKETS_PER_USER {
            return Err(ApiError::Conflict(
                "too_many_sockets",
                (
                    format!("Tienes demasiadas ventanas abiertas en este ticket (máximo {MAX_SOCKETS_PER_USER})."),
                    format!("Too many windows open on this ticket (at most {MAX_SOCKETS_PER_USER})."),
                )
                    .into(),
            ));
        }
        let pair = WebSocketPair::new()?;
        let side = if conn.staff() { "staff" } else { "client" };
        self.state
            .accept_websocket_with_tags(&pair.server, &[tag.as_str(), side]);
        pair.server.serialize_attachment(&conn)?;
        send(
            &pair.server,
            &ServerFrame::Hello {
                you: conn.viewer(),
                viewers: self.viewers(None),
            },
        );
        self.presence(Some(&pair.server));
        Ok(Response::from_websocket(pair.client)?)
    }

    /// The people connected (once each), leaving out a socket that is going away.
    fn viewers(&self, leaving: Option<&WebSocket>) -> Vec<Viewer> {
        let mut out: Vec<Viewer> = vec![];
        for ws in self.state.get_websockets() {
            if leaving == Some(&ws) {
                continue;
            }
            if let Ok(Some(c)) = ws.deserialize_attachment::<Conn>() {
                if !out.iter().any(|v| v.id == c.user_id) {
                    out.push(c.viewer());
                }
            }
        }
        out
    }

    /// Tells everyone (but `except`) who is here.
    fn presence(&self, except: Option<&WebSocket>) {
        let frame = ServerFrame::Presence {
            viewers: self.viewers(None),
        };
        for ws in self.state.get_websockets() {
            if except != Some(&ws) {
                send(&ws, &frame);
            }
        }
    }

    fn gone(&self, ws: &WebSocket) {
        let _ = ws.close(Some(1000), Some("bye"));
        if let Ok(Some(c)) = ws.deserialize_attachment::<Conn>() {
            self.buckets.borrow_mut().remove(&c.id);
            self.typing.borrow_mut().remove(&c.id);
        }
        let frame = ServerFrame::Presence {
            viewers: self.viewers(Some(ws)),
        };
        for other in self.state.get_websockets() {
            if &other != ws {
                send(&other, &frame);
            }
        }
    }

    /// Frames to every socket allowed to see them (`true`: staff only), but `except`.
    fn broadcast(&self, frames: &[(bool, ServerFrame)], except: Option<&WebSocket>) {
        for ws in self.state.get_websockets() {
            if except == Some(&ws) {
                continue;
            }
            let staff = ws
                .deserialize_attachment::<Conn>()
                .ok()
                .flatten()
                .is_some_and(|c| c.staff());
            for (staff_only, frame) in frames {
                if staff || !staff_only {
                    send(&ws, frame);
                }
            }
        }
    }

    fn typing(&self, ws: &WebSocket, conn: &Conn, internal: bool) {
        let now_ms = js_sys::Date::now();
        {
            let mut typing = self.typing.borrow_mut();
            let last = typing.entry(conn.id.clone()).or_insert(0.0);
            if now_ms - *last < TYPING_EVERY_MS {
                return;
            }
            *last = now_ms;
        }
        // Typing a note shows only to staff.
        let internal = internal && conn.staff();
        let frame = ServerFrame::Typing {
            user: conn.viewer(),
            internal,
        };
        self.broadcast(&[(internal, frame)], Some(ws));
    }

    /// Stores a typed message through the ticket's message path, then broadcasts it.
    async fn store(
        &self,
        ws: &WebSocket,
        conn: &Conn,
        input: PostMessageRequest,
        client_id: Option<String>,
    ) {
        let turn = self.turn.lock().await;
        let stored = self.persist(conn, input).await;
        let (others, drain) = match stored {
            Ok((message, pushes, drain)) => {
                let mut others = vec![];
                for p in pushes {
                    match p {
                        Push::Ticket { ticket_id, frames } if ticket_id == conn.ticket_id => {
                            self.broadcast(&frames, None)
                        }
                        other => others.push(other),
                    }
                }
                if let Some(client_id) = client_id {
                    send(
                        ws,
                        &ServerFrame::Ack {
                            client_id,
                            message_id: message.id,
                            seq: message.seq,
                        },
                    );
                }
                (others, drain)
            }
            Err(e) => {
                send(ws, &error_frame(client_id, &e));
                if matches!(e, ApiError::Unauthorized | ApiError::NotFound) {
                    // Signed out, deactivated, or the ticket is no longer visible.
                    let _ = ws.close(Some(4401), Some("session"));
                }
                (vec![], false)
            }
        };
        drop(turn);
        super::deliver(&self.env, others).await;
        if drain {
            let sent = match self.env.d1("DB") {
                Ok(db) => crate::notify::dispatch(&self.env, &db, crate::util::now()).await,
                Err(e) => Err(e.into()),
            };
            if let Err(e) = sent {
                worker::console_error!("outbox dispatch: {e}");
            }
        }
    }

    async fn persist(
        &self,
        conn: &Conn,
        input: PostMessageRequest,
    ) -> ApiResult<(domain::api::MessageView, Vec<Push>, bool)> {
        let mut ctx = Ctx::new(self.env.clone())?;
        ctx.origin = conn.origin.clone();
        crate::routes::dev::load_clock(&ctx.env, &ctx.db).await?;
        let caller = crate::auth::by_session_hash(&ctx.db, &conn.session_hash)
            .await?
            .filter(|c| c.id == conn.user_id)
            .ok_or(ApiError::Unauthorized)?;
        let view = crate::routes::tickets::messages::persist_message(
            &ctx,
            &caller,
            &conn.ticket_id,
            Ok(input),
        )
        .await?;
        let pushes = ctx.live.take();
        Ok((view, pushes, ctx.drain_after.get()))
    }
}

fn too_large() -> ApiError {
    ApiError::TooLarge(
        (
            "El mensaje es demasiado grande.",
            "The message is too large.",
        )
            .into(),
    )
}

fn bad_frame() -> ApiError {
    ApiError::bad_request(
        "bad_frame",
        (
            "Mensaje no reconocido: se espera JSON con \"type\".",
            "Unrecognised frame: JSON with a \"type\" is expected.",
        ),
    )
}

fn rate_limited() -> ApiError {
    ApiError::Conflict(
        "rate_limited",
        (
            "Estás enviando mensajes demasiado rápido; espera un momento.",
            "You are sending messages too fast; wait a moment.",
        )
            .into(),
    )
}
