//! `ChatLobby`: one Durable Object for the staff's lobby socket (`GET /api/chat/live`):
//! availability for chats (kept in each socket's attachment, so it ends with the socket),
//! the live chat queue and ticket-queue updates. Hibernates like the tickets' objects.
use domain::api::live::{LobbyClientFrame, LobbyFrame};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

use super::{conn_of, send, Conn};
use crate::error::{ApiError, ApiResult};

#[durable_object(websocket)]
pub struct ChatLobby {
    state: State,
    #[allow(dead_code)]
    env: Env,
}

impl DurableObject for ChatLobby {
    fn new(state: State, env: Env) -> Self {
        ChatLobby { state, env }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/connect" => Ok(self.connect(&req).unwrap_or_else(ApiError::into_response)),
            "/count" => super::count_response(&self.state, &req),
            "/push" => {
                let frame: LobbyFrame = req.json().await?;
                super::send_all(&self.state, &frame);
                Response::empty()
            }
            "/agents" => Response::from_json(&serde_json::json!({
                "available": self.available(None)
            })),
            _ => Ok(ApiError::NotFound.into_response()),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        let Ok(Some(mut conn)) = ws.deserialize_attachment::<Conn>() else {
            return Ok(());
        };
        let frame = match message {
            WebSocketIncomingMessage::String(s) if s.len() < 1_000 => {
                serde_json::from_str::<LobbyClientFrame>(&s).ok()
            }
            _ => None,
        };
        match frame {
            Some(LobbyClientFrame::Ping) => send(&ws, &LobbyFrame::Pong),
            Some(LobbyClientFrame::Available { on }) => {
                conn.available = on;
                ws.serialize_attachment(&conn)?;
                self.agents(None);
            }
            None => {}
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
        let _ = ws.close(Some(1000), Some("bye"));
        self.agents(Some(&ws));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        self.agents(Some(&ws));
        Ok(())
    }
}

impl ChatLobby {
    fn connect(&self, req: &Request) -> ApiResult<Response> {
        let conn = conn_of(req).ok_or(ApiError::NotFound)?;
        if self
            .state
            .get_websockets_with_tag(&format!("u:{}", conn.user_id))
            .len()
            >= domain::chat::MAX_SOCKETS_PER_USER
        {
            return Err(ApiError::Conflict(
                "too_many_sockets",
                ("Demasiadas ventanas abiertas.", "Too many windows open.").into(),
            ));
        }
        let pair = WebSocketPair::new()?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[&format!("u:{}", conn.user_id)]);
        pair.server.serialize_attachment(&conn)?;
        send(
            &pair.server,
            &LobbyFrame::Agents {
                available: self.available(None),
                you_available: false,
            },
        );
        Ok(Response::from_websocket(pair.client)?)
    }

    /// People with at least one available socket (but `leaving`).
    fn available(&self, leaving: Option<&WebSocket>) -> u32 {
        let mut ids: Vec<String> = vec![];
        for ws in self.state.get_websockets() {
            if leaving == Some(&ws) {
                continue;
            }
            if let Ok(Some(c)) = ws.deserialize_attachment::<Conn>() {
                if c.available && !ids.contains(&c.user_id) {
                    ids.push(c.user_id);
                }
            }
        }
        ids.len() as u32
    }

    /// Tells every socket how many agents are available and whether its person is.
    fn agents(&self, leaving: Option<&WebSocket>) {
        let available = self.available(leaving);
        let sockets: Vec<(WebSocket, Option<Conn>)> = self
            .state
            .get_websockets()
            .into_iter()
            .filter(|ws| leaving != Some(ws))
            .map(|ws| {
                let c = ws.deserialize_attachment::<Conn>().ok().flatten();
                (ws, c)
            })
            .collect();
        for (ws, c) in &sockets {
            let you_available = c.as_ref().is_some_and(|c| {
                sockets.iter().any(|(_, o)| {
                    o.as_ref()
                        .is_some_and(|o| o.user_id == c.user_id && o.available)
                })
            });
            send(
                ws,
                &LobbyFrame::Agents {
                    available,
                    you_available,
                },
            );
        }
    }
}
