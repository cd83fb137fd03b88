//! `UserLive`: one Durable Object per person (named by the user's id). It holds the
//! person's own socket (`GET /api/live`, the notification bell) and counts every socket the
//! person has open — on tickets, in the staff lobby and its own — so that one person never
//! holds more than `MAX_SOCKETS_PER_PERSON`.
//!
//! The count asks each object the person connected to how many of their sockets it holds
//! (`/count`), so a socket that went away without a close event is not counted for ever;
//! objects with none are forgotten. Between a lease and the upgrade it was for, the socket
//! is counted as pending (cleared by `/settle`, or after `PENDING_MS` if the Worker never
//! settles), and one lease is decided at a time.
use std::cell::RefCell;

use domain::api::live::UserFrame;
use domain::chat::MAX_SOCKETS_PER_PERSON;
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

use super::{conn_of, send, Target};
use crate::error::{ApiError, ApiResult};

/// How long a lease counts as a socket without being settled.
const PENDING_MS: f64 = 30_000.0;
const OBJECTS_KEY: &str = "objects";

#[derive(Serialize, Deserialize)]
pub struct Lease {
    pub user_id: String,
    pub target: Target,
}

#[derive(Serialize, Deserialize)]
pub struct Settle {
    pub lease: u64,
    pub target: Target,
    pub ok: bool,
}

#[derive(Serialize, Deserialize)]
pub struct Granted {
    pub lease: u64,
}

#[durable_object(websocket)]
pub struct UserLive {
    state: State,
    env: Env,
    /// Leases granted and not settled: (id, when, ms).
    pending: RefCell<Vec<(u64, f64)>>,
    next: std::cell::Cell<u64>,
    /// One count-and-decide at a time.
    turn: futures_util::lock::Mutex<()>,
}

impl DurableObject for UserLive {
    fn new(state: State, env: Env) -> Self {
        UserLive {
            state,
            env,
            pending: Default::default(),
            next: Default::default(),
            turn: futures_util::lock::Mutex::new(()),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/connect" => {
                let _turn = self.turn.lock().await;
                Ok(match self.connect(&req).await {
                    Ok(r) => r,
                    Err(e) => e.into_response(),
                })
            }
            "/lease" => {
                let lease: Lease = req.json().await?;
                let _turn = self.turn.lock().await;
                Ok(match self.lease(&lease.user_id).await {
                    Ok(id) => Response::from_json(&Granted { lease: id })?,
                    Err(e) => e.into_response(),
                })
            }
            "/settle" => {
                let s: Settle = req.json().await?;
                self.pending.borrow_mut().retain(|(id, _)| *id != s.lease);
                if s.ok {
                    let mut objects = self.objects().await;
                    if !objects.contains(&s.target) {
                        objects.push(s.target);
                        self.state.storage().put(OBJECTS_KEY, &objects).await?;
                    }
                }
                Response::empty()
            }
            "/push" => {
                let frame: UserFrame = req.json().await?;
                super::send_all(&self.state, &frame);
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
        // The only thing a person's socket takes is a ping.
        if let WebSocketIncomingMessage::String(s) = message {
            if s.len() < 100 && s.contains("\"ping\"") {
                send(&ws, &UserFrame::Pong);
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
        let _ = ws.close(Some(1000), Some("bye"));
        Ok(())
    }
}

impl UserLive {
    async fn objects(&self) -> Vec<Target> {
        self.state
            .storage()
            .get::<Vec<Target>>(OBJECTS_KEY)
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Every socket of this person now: its own, each object's, and leases in flight.
    async fn count(&self, user_id: &str) -> ApiResult<usize> {
        let now = js_sys::Date::now();
        self.pending
            .borrow_mut()
            .retain(|(_, at)| now - *at < PENDING_MS);
        let mut total = self.state.get_websockets().len() + self.pending.borrow().len();
        let objects = self.objects().await;
        let counts = futures_util::future::join_all(
            objects
                .iter()
                .map(|t| super::count_on(&self.env, t, user_id)),
        )
        .await;
        let mut kept = vec![];
        for (t, n) in objects.iter().zip(counts) {
            // An object that could not answer is kept and counted as empty this time.
            let n = n.unwrap_or(0);
            total += n;
            if n > 0 {
                kept.push(t.clone());
            }
        }
        if kept.len() != objects.len() {
            self.state.storage().put(OBJECTS_KEY, &kept).await?;
        }
        Ok(total)
    }

    async fn lease(&self, user_id: &str) -> ApiResult<u64> {
        if self.count(user_id).await? >= MAX_SOCKETS_PER_PERSON {
            return Err(too_many());
        }
        let id = self.next.get() + 1;
        self.next.set(id);
        self.pending.borrow_mut().push((id, js_sys::Date::now()));
        Ok(id)
    }

    async fn connect(&self, req: &Request) -> ApiResult<Response> {
        let conn = conn_of(req).ok_or(ApiError::NotFound)?;
        if self.count(&conn.user_id).await? >= MAX_SOCKETS_PER_PERSON {
            return Err(too_many());
        }
        let pair = WebSocketPair::new()?;
        self.state.accept_web_socket(&pair.server);
        Ok(Response::from_websocket(pair.client)?)
    }
}

pub fn too_many() -> ApiError {
    ApiError::Conflict(
        "too_many_sockets",
        (
            format!(
                "Tienes demasiadas conexiones abiertas (máximo {MAX_SOCKETS_PER_PERSON}); cierra alguna pestaña."
            ),
            format!("You have too many connections open (at most {MAX_SOCKETS_PER_PERSON}); close a tab."),
        )
            .into(),
    )
}
