//! Request/response plumbing shared by every handler: JSON bodies with limits,
//! cookies, Origin checks, query strings.
use serde::{de::DeserializeOwned, Serialize};
use worker::{Method, Request, Response, ResponseBuilder};

use crate::error::{ApiError, ApiResult};

/// Largest JSON body accepted.
pub const MAX_JSON_BYTES: usize = 64 * 1024;
pub const SESSION_COOKIE: &str = "mds_session";

pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult<Response> {
    let mut resp = ResponseBuilder::new()
        .with_status(status)
        .from_json(value)?;
    resp.headers_mut()
        .set("Content-Type", "application/json; charset=utf-8")?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

pub fn ok<T: Serialize>(value: &T) -> ApiResult<Response> {
    json(200, value)
}

pub fn no_content() -> ApiResult<Response> {
    Ok(ResponseBuilder::new().with_status(204).empty())
}

/// Reads and parses a JSON body: 415 for another content type, 413 when too large,
/// 400 with the parser's message when malformed.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !is_json_media_type(&content_type) {
        return Err(ApiError::UnsupportedMedia(
            (
                "Envía JSON (Content-Type: application/json).",
                "Send JSON (Content-Type: application/json).",
            )
                .into(),
        ));
    }
    if let Some(len) = req.headers().get("Content-Length")? {
        if len
            .parse::<usize>()
            .map(|n| n > MAX_JSON_BYTES)
            .unwrap_or(false)
        {
            return Err(too_large());
        }
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_JSON_BYTES {
        return Err(too_large());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        let field = missing_field(&e.to_string());
        ApiError::BadRequest {
            code: "malformed_json",
            message: (format!("JSON inválido: {e}"), format!("Invalid JSON: {e}")).into(),
            field,
        }
    })
}

/// `application/json`, with parameters (`; charset=utf-8`) or not; `application/jsonx`,
/// `application/json-patch` and friends are not JSON bodies.
fn is_json_media_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

fn too_large() -> ApiError {
    ApiError::TooLarge(
        (
            format!("El cuerpo excede {MAX_JSON_BYTES} bytes."),
            format!("Body exceeds {MAX_JSON_BYTES} bytes."),
        )
            .into(),
    )
}

/// serde reports "missing field `x`" / "unknown variant"; surface the field name when present.
fn missing_field(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    msg.contains("missing field")
        .then(|| msg[start..end].to_string())
}

pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = req.headers().get("Cookie").ok()??;
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn is_local(req: &Request) -> bool {
    req.url()
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h == "localhost" || h == "127.0.0.1" || h == "[::1]")
        })
        .unwrap_or(false)
}

pub fn session_cookie(req: &Request, token: &str, max_age_secs: i64) -> String {
    let secure = if is_local(req) { "" } else { "; Secure" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}

/// The anonymous knowledge-base reader id (signed by the server), a year, for `/api/kb` only.
pub const READER_COOKIE: &str = "mds_reader";

pub fn reader_cookie(req: &Request, value: &str) -> String {
    let secure = if is_local(req) { "" } else { "; Secure" };
    format!(
        "{READER_COOKIE}={value}; Path=/api/kb; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}"
    )
}

/// State-changing requests from a browser must come from our own origin.
/// Requests without an Origin header (server-to-server tools) are allowed.
pub fn check_origin(req: &Request) -> ApiResult<()> {
    if matches!(req.method(), Method::Get | Method::Head | Method::Options) {
        return Ok(());
    }
    let Some(origin) = req.headers().get("Origin")? else {
        return Ok(());
    };
    let url = req.url()?;
    let own = url.origin().ascii_serialization();
    if origin == own {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "cross_origin",
            (
                "Solicitud de otro sitio rechazada.",
                "Cross-site request refused.",
            )
                .into(),
        ))
    }
}

pub fn query_param(req: &Request, name: &str) -> ApiResult<Option<String>> {
    let url = req.url()?;
    Ok(url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned()))
}

pub fn client_ip(req: &Request) -> String {
    req.headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into())
}
