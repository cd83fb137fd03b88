//! Small platform helpers: time, randomness, hashing, ids.
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicI64, Ordering};
use wasm_bindgen::JsCast;

use crate::error::{ApiError, ApiResult};

/// The dev clock's key in `dev_state` (milliseconds added to the real time).
pub const CLOCK_KEY: &str = "clock_offset_ms";

/// The dev clock offset (ms), loaded from D1 at the start of each request and sweep by a
/// dev Worker (`routes::dev::load_clock`); always 0 in a deployed Worker.
static CLOCK_OFFSET_MS: AtomicI64 = AtomicI64::new(0);

pub fn set_clock_offset(ms: i64) {
    CLOCK_OFFSET_MS.store(ms, Ordering::Relaxed);
}

/// The server's "now": the one reading of the clock every handler and sweep uses.
pub fn now() -> DateTime<Utc> {
    let ms = js_sys::Date::now() as i64 + CLOCK_OFFSET_MS.load(Ordering::Relaxed);
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The platform clock without the dev offset.
pub fn real_now() -> DateTime<Utc> {
    let ms = js_sys::Date::now() as i64;
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Instants are stored as sortable UTC text.
pub fn db_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_db_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn crypto() -> ApiResult<web_sys::Crypto> {
    let global = js_sys::global();
    let value = js_sys::Reflect::get(&global, &"crypto".into())
        .map_err(|_| ApiError::Internal("no crypto".into()))?;
    value
        .dyn_into::<web_sys::Crypto>()
        .map_err(|_| ApiError::Internal("crypto has the wrong type".into()))
}

pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut buf = [0u8; N];
    crypto()?
        .get_random_values_with_u8_array(&mut buf)
        .map_err(|_| ApiError::Internal("getRandomValues failed".into()))?;
    Ok(buf)
}

/// A random, non-guessable id (128 bits, hex).
pub fn new_id() -> ApiResult<String> {
    Ok(hex::encode(random_bytes::<16>()?))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}
