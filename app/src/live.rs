//! Live updates (issue 15): one WebSocket (`web_sys`, no extra crates) that reconnects with
//! backoff (1 s, 2 s, 4 s … 30 s, with jitter) and reports its state, so a page can fall
//! back to polling while it is down (also when the link opens and drops again at once). Frames are JSON (`domain::api::live`).
use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// Where the socket is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Open,
    /// Dropped or refused; `n` failed attempts in a row (a reconnect is scheduled).
    Down(u32),
}

type Handler = Closure<dyn FnMut(JsValue)>;

/// A socket that stayed open this long was a working link: the backoff starts over.
const STEADY_MS: f64 = 10_000.0;

struct Inner {
    path: String,
    ws: Option<WebSocket>,
    failures: u32,
    /// When the current socket opened (ms): one that closes again within `STEADY_MS` does
    /// not count as a recovery, so a link that opens and drops at once still falls back.
    opened_at: Option<f64>,
    stopped: bool,
    timer: Option<i32>,
    on_frame: Rc<dyn Fn(String)>,
    on_link: Rc<dyn Fn(Link)>,
    handlers: Vec<Handler>,
    /// Timer callbacks; the last two are kept (the running one must outlive its own call).
    retry: Vec<Closure<dyn FnMut()>>,
}

/// A reconnecting socket. Cloning shares it; `close` stops it for good.
#[derive(Clone)]
pub struct LiveSocket(Rc<RefCell<Inner>>);

fn url_of(path: &str) -> Option<String> {
    let loc = web_sys::window()?.location();
    let scheme = if loc.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}{path}", loc.host().ok()?))
}

impl LiveSocket {
    pub fn open(
        path: String,
        on_frame: impl Fn(String) + 'static,
        on_link: impl Fn(Link) + 'static,
    ) -> LiveSocket {
        let s = LiveSocket(Rc::new(RefCell::new(Inner {
            path,
            ws: None,
            failures: 0,
            opened_at: None,
            stopped: false,
            timer: None,
            on_frame: Rc::new(on_frame),
            on_link: Rc::new(on_link),
            handlers: vec![],
            retry: vec![],
        })));
        s.start();
        s
    }

    fn start(&self) {
        let (path, on_link) = {
            let i = self.0.borrow();
            if i.stopped {
                return;
            }
            (i.path.clone(), i.on_link.clone())
        };
        on_link(Link::Connecting);
        let Some(ws) = url_of(&path).and_then(|u| WebSocket::new(&u).ok()) else {
            self.schedule();
            return;
        };
        let me = self.clone();
        let on_open: Handler = Closure::new(move |_| {
            let cb = {
                let mut i = me.0.borrow_mut();
                i.opened_at = Some(js_sys::Date::now());
                i.on_link.clone()
            };
            cb(Link::Open);
        });
        let me = self.clone();
        let on_message: Handler = Closure::new(move |e: JsValue| {
            if let Some(text) = e
                .dyn_into::<MessageEvent>()
                .ok()
                .and_then(|e| e.data().as_string())
            {
                let cb = me.0.borrow().on_frame.clone();
                cb(text);
            }
        });
        let me = self.clone();
        let on_close: Handler = Closure::new(move |e: JsValue| {
            let _ = e.dyn_into::<CloseEvent>();
            {
                let mut i = me.0.borrow_mut();
                if i.stopped {
                    return;
                }
                if i.opened_at
                    .take()
                    .is_some_and(|at| js_sys::Date::now() - at >= STEADY_MS)
                {
                    i.failures = 0;
                }
            }
            me.drop_socket();
            me.schedule();
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut i = self.0.borrow_mut();
        i.ws = Some(ws);
        // The previous socket's handlers are no longer attached to anything.
        i.handlers = vec![on_open, on_message, on_close];
    }

    /// Detaches the current socket (its handlers stay alive until the next one replaces them:
    /// this may run inside one of them).
    fn drop_socket(&self) {
        if let Some(ws) = self.0.borrow_mut().ws.take() {
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close();
        }
    }

    fn schedule(&self) {
        let (failures, on_link) = {
            let mut i = self.0.borrow_mut();
            i.failures += 1;
            (i.failures, i.on_link.clone())
        };
        on_link(Link::Down(failures));
        let base = 1000.0 * 2f64.powi(failures.saturating_sub(1).min(5) as i32);
        let delay = base.min(30_000.0) * (0.75 + js_sys::Math::random() * 0.5);
        let me = self.clone();
        let retry = Closure::<dyn FnMut()>::new(move || {
            me.0.borrow_mut().timer = None;
            me.start();
        });
        if let Some(w) = web_sys::window() {
            let id = w
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    retry.as_ref().unchecked_ref(),
                    delay as i32,
                )
                .ok();
            let mut i = self.0.borrow_mut();
            i.timer = id;
            i.retry.push(retry);
            if i.retry.len() > 2 {
                i.retry.remove(0);
            }
        }
    }

    /// Sends a text frame; `false` when the socket is not open (the caller falls back).
    pub fn send(&self, text: &str) -> bool {
        let i = self.0.borrow();
        match &i.ws {
            Some(ws) if ws.ready_state() == WebSocket::OPEN => ws.send_with_str(text).is_ok(),
            _ => false,
        }
    }

    pub fn is_open(&self) -> bool {
        self.0
            .borrow()
            .ws
            .as_ref()
            .is_some_and(|ws| ws.ready_state() == WebSocket::OPEN)
    }

    /// Stops for good (the page is left): no reconnect, handlers released.
    pub fn close(&self) {
        self.0.borrow_mut().stopped = true;
        self.drop_socket();
        let mut i = self.0.borrow_mut();
        if let (Some(t), Some(w)) = (i.timer.take(), web_sys::window()) {
            w.clear_timeout_with_handle(t);
        }
        i.handlers.clear();
        i.retry.clear();
    }
}

/// A draft kept in localStorage (survives a reload), per key.
pub fn draft(key: &str) -> String {
    storage()
        .and_then(|s| s.get_item(&format!("mds.draft.{key}")).ok().flatten())
        .unwrap_or_default()
}

pub fn save_draft(key: &str, text: &str) {
    if let Some(s) = storage() {
        let k = format!("mds.draft.{key}");
        let _ = if text.is_empty() {
            s.remove_item(&k)
        } else {
            s.set_item(&k, text)
        };
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

// ---------------------------------------------------------------- chat endpoints
use crate::api::{enc, get_json, post_empty, ApiError};
use domain::api::live::{ChatQueue, ChatStatus, ChatView};

/// `GET /api/chat/status`.
pub async fn chat_status() -> Result<ChatStatus, ApiError> {
    get_json("/api/chat/status").await
}

/// `POST /api/tickets/{id}/chat`.
pub async fn request_chat(id: String) -> Result<ChatView, ApiError> {
    post_empty(&format!("/api/tickets/{}/chat", enc(&id))).await
}

/// `POST /api/tickets/{id}/chat/take`.
pub async fn take_chat(id: String) -> Result<ChatView, ApiError> {
    post_empty(&format!("/api/tickets/{}/chat/take", enc(&id))).await
}

/// `GET /api/chat/queue`.
pub async fn chat_queue() -> Result<ChatQueue, ApiError> {
    get_json("/api/chat/queue").await
}
