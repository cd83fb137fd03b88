//! Remote-access credentials at rest (P15): AES-256-GCM through WebCrypto, with a key from the
//! Worker secret `CREDENTIALS_KEY` (base64 of 32 bytes). `cargo xtask dev`/`test` pass a dev
//! key with `--var`; a deployed Worker without the secret refuses to store credentials (503)
//! and `cargo xtask deploy` refuses to ship without it. The sealed text is
//! `base64(iv ‖ ciphertext)`, bound to its credential and ticket ids (additional data), so a
//! sealed value copied to another row does not open.
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use worker::Env;

use crate::error::{ApiError, ApiResult};
use crate::util::{crypto, random_bytes};

const KEY_NAME: &str = "CREDENTIALS_KEY";
const IV_LEN: usize = 12;

/// What is sealed: never logged, never serialized into a response but the staff reveal.
#[derive(Serialize, Deserialize)]
pub struct Secret {
    #[serde(rename = "u")]
    pub username: String,
    #[serde(rename = "s")]
    pub secret: String,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

fn not_configured() -> ApiError {
    ApiError::Unavailable(
        "credentials_unavailable",
        (
            "El resguardo de credenciales no está configurado en este servidor.",
            "Credential storage is not configured on this server.",
        )
            .into(),
    )
}

fn key_bytes(env: &Env) -> ApiResult<Vec<u8>> {
    let raw = env
        .secret(KEY_NAME)
        .map(|s| s.to_string())
        .or_else(|_| env.var(KEY_NAME).map(|v| v.to_string()))
        .map_err(|_| not_configured())?;
    let bytes = B64.decode(raw.trim()).map_err(|_| not_configured())?;
    if bytes.len() != 32 {
        return Err(not_configured());
    }
    Ok(bytes)
}

fn js_err(e: wasm_bindgen::JsValue) -> ApiError {
    // The error text of WebCrypto never contains the plaintext.
    ApiError::Internal(format!("webcrypto: {e:?}"))
}

async fn key(env: &Env) -> ApiResult<web_sys::CryptoKey> {
    let raw = js_sys::Uint8Array::from(key_bytes(env)?.as_slice());
    let usages = js_sys::Array::of2(&"encrypt".into(), &"decrypt".into());
    let k = JsFuture::from(
        crypto()?
            .subtle()
            .import_key_with_str("raw", &raw, "AES-GCM", false, &usages)
            .map_err(js_err)?,
    )
    .await
    .map_err(js_err)?;
    Ok(k.unchecked_into())
}

fn params(iv: &[u8], bound_to: &str) -> web_sys::AesGcmParams {
    let p = web_sys::AesGcmParams::new_with_u8_array("AES-GCM", &js_sys::Uint8Array::from(iv));
    p.set_additional_data_u8_array(&js_sys::Uint8Array::from(bound_to.as_bytes()));
    p
}

/// Whether this Worker can store credentials at all.
pub fn configured(env: &Env) -> bool {
    key_bytes(env).is_ok()
}

/// Seals `secret` for the row `bound_to` (`credential id/ticket id`).
pub async fn seal(env: &Env, bound_to: &str, secret: &Secret) -> ApiResult<String> {
    let key = key(env).await?;
    let iv = random_bytes::<IV_LEN>()?;
    let mut plain = serde_json::to_vec(secret)?;
    let out = JsFuture::from(
        crypto()?
            .subtle()
            .encrypt_with_object_and_u8_array(&params(&iv, bound_to), &key, &plain)
            .map_err(js_err)?,
    )
    .await
    .map_err(js_err)?;
    plain.fill(0);
    let mut sealed = iv.to_vec();
    sealed.extend(js_sys::Uint8Array::new(&out).to_vec());
    Ok(B64.encode(sealed))
}

/// Opens a value sealed for `bound_to`.
pub async fn open(env: &Env, bound_to: &str, sealed: &str) -> ApiResult<Secret> {
    let key = key(env).await?;
    let bytes = B64
        .decode(sealed)
        .map_err(|_| ApiError::Internal("sealed credential is not base64".into()))?;
    if bytes.len() <= IV_LEN {
        return Err(ApiError::Internal("sealed credential too short".into()));
    }
    let (iv, ct) = bytes.split_at(IV_LEN);
    let ct = ct.to_vec();
    let out = JsFuture::from(
        crypto()?
            .subtle()
            .decrypt_with_object_and_u8_array(&params(iv, bound_to), &key, &ct)
            .map_err(js_err)?,
    )
    .await
    .map_err(|_| ApiError::Internal("a sealed credential did not open".into()))?;
    let plain = js_sys::Uint8Array::new(&out).to_vec();
    serde_json::from_slice(&plain)
        .map_err(|_| ApiError::Internal("a sealed credential is not JSON".into()))
}
