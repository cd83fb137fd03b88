//! Every HTTP call of the SPA lives in this file.
//!
//! Two generic helpers, [`get_json`] and [`post_json`], talk JSON to the Worker
//! (same origin, so the HttpOnly session cookie travels by itself) and turn any
//! non-2xx answer into an [`ApiError`] carrying the HTTP status and the API's
//! `{"error":{"code","message","field"}}` body. The typed endpoint functions
//! (`me`, `login`, `logout`, …) are one-liners over those helpers.

use std::fmt;

use domain::api::{ErrorBody, LoginRequest, LoginResponse, Me};
use gloo_net::http::{Request, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

/// A failed API call: the HTTP status plus the error body of the API.
///
/// `status == 0` means the request never got an HTTP answer (network error,
/// aborted) or the answer could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    /// Code used when no HTTP answer was received.
    pub const NETWORK: &'static str = "network";
    /// Code used when an answer arrived but its body was not what we expected.
    pub const DECODE: &'static str = "decode";

    fn network(err: impl fmt::Display) -> Self {
        ApiError {
            status: 0,
            code: Self::NETWORK.into(),
            message: err.to_string(),
            field: None,
        }
    }

    fn decode(status: u16, err: impl fmt::Display) -> Self {
        ApiError {
            status,
            code: Self::DECODE.into(),
            message: err.to_string(),
            field: None,
        }
    }

    /// `401`: no session, or the session expired.
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    /// The request did not reach the server (or its answer was unreadable).
    pub fn is_network(&self) -> bool {
        self.status == 0
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// `GET path` and decode the JSON answer.
///
/// When called under a reactive owner (e.g. from a `LocalResource`), the
/// request is aborted if that owner is cleaned up — leaving the page cancels
/// the fetch, as in the leptos hackernews example.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    if leptos::prelude::Owner::current().is_some() {
        let controller = send_wrapper::SendWrapper::new(controller);
        leptos::prelude::on_cleanup(move || {
            if let Some(c) = controller.take() {
                c.abort();
            }
        });
    }
    send(Request::get(path).abort_signal(signal.as_ref())).await
}

/// `POST path` with a JSON body and decode the JSON answer
/// (`T = ()` accepts an empty `204 No Content`).
pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let request = Request::post(path)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiError::decode(0, e))?;
    finish(request.send().await).await
}

/// `POST path` without a body.
pub async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(Request::post(path)).await
}

async fn send<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, ApiError> {
    finish(builder.header("Accept", "application/json").send().await).await
}

async fn finish<T: DeserializeOwned>(
    answer: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = answer.map_err(ApiError::network)?;
    let status = response.status();
    let text = response.text().await.map_err(ApiError::network)?;
    if response.ok() {
        // An empty body (204) decodes as JSON `null`, i.e. `()` or `None`.
        let text = if text.trim().is_empty() {
            "null"
        } else {
            &text
        };
        serde_json::from_str(text).map_err(|e| ApiError::decode(status, e))
    } else {
        Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => ApiError {
                status,
                code: body.error.code,
                message: body.error.message,
                field: body.error.field,
            },
            Err(_) => ApiError {
                status,
                code: format!("http_{status}"),
                message: response.status_text(),
                field: None,
            },
        })
    }
}

// ---------------------------------------------------------------- endpoints

/// `GET /api/me`: the signed-in user; `Ok(None)` when anonymous (401).
pub async fn me() -> Result<Option<Me>, ApiError> {
    match get_json::<Me>("/api/me").await {
        Ok(user) => Ok(Some(user)),
        Err(e) if e.is_unauthorized() => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /api/auth/login`.
pub async fn login(email: String, password: String) -> Result<LoginResponse, ApiError> {
    post_json("/api/auth/login", &LoginRequest { email, password }).await
}

/// `POST /api/auth/logout` (`204`).
pub async fn logout() -> Result<(), ApiError> {
    post_empty("/api/auth/logout").await
}
