//! Password hashing: PBKDF2-SHA256 through WebCrypto with a per-user salt.
//! Stored as `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`.
use base64::{engine::general_purpose::STANDARD_NO_PAD as B64, Engine};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::{ApiError, ApiResult};
use crate::util::crypto;

/// Cloudflare's production WebCrypto refuses more than 100,000 PBKDF2 iterations.
pub const MAX_ITERATIONS: u32 = 100_000;

/// A well-formed hash of a random password, verified when the e-mail is unknown so that
/// unknown e-mails and wrong passwords take the same time.
pub const DUMMY_HASH: &str =
    "pbkdf2_sha256$100000$bm90LWEtcmVhbC1zYWx0$9BgXqS7W2Pq0qk1sXyq8d9nBmYJ0kQeX9b4kz8mFQ1c";

pub struct ParsedHash {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
}

pub fn parse(stored: &str) -> Option<ParsedHash> {
    let mut parts = stored.split('$');
    if parts.next()? != "pbkdf2_sha256" {
        return None;
    }
    let iterations: u32 = parts.next()?.parse().ok()?;
    let salt = B64.decode(parts.next()?).ok()?;
    let hash = B64.decode(parts.next()?).ok()?;
    if iterations == 0 || iterations > MAX_ITERATIONS || hash.len() != 32 || parts.next().is_some()
    {
        return None;
    }
    Some(ParsedHash {
        iterations,
        salt,
        hash,
    })
}

pub async fn derive(password: &str, salt: &[u8], iterations: u32) -> ApiResult<Vec<u8>> {
    if iterations > MAX_ITERATIONS {
        return Err(ApiError::Internal(
            "PBKDF2 iterations above the production cap".into(),
        ));
    }
    let js_err = |e: wasm_bindgen::JsValue| ApiError::Internal(format!("webcrypto: {e:?}"));
    let subtle = crypto()?.subtle();
    let key_data = js_sys::Uint8Array::from(password.as_bytes());
    let usages = js_sys::Array::of1(&"deriveBits".into());
    let key = JsFuture::from(
        subtle
            .import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)
            .map_err(js_err)?,
    )
    .await
    .map_err(js_err)?;
    let salt = js_sys::Uint8Array::from(salt);
    let params = web_sys::Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &salt);
    let bits = JsFuture::from(
        subtle
            .derive_bits_with_object(&params, &key.unchecked_into(), 256)
            .map_err(js_err)?,
    )
    .await
    .map_err(js_err)?;
    Ok(js_sys::Uint8Array::new(&bits).to_vec())
}

/// A new stored hash of `password`: random 16-byte salt, the production iteration cap.
pub async fn hash(password: &str) -> ApiResult<String> {
    let salt = crate::util::random_bytes::<16>()?;
    let derived = derive(password, &salt, MAX_ITERATIONS).await?;
    Ok(format!(
        "pbkdf2_sha256${MAX_ITERATIONS}${}${}",
        B64.encode(salt),
        B64.encode(derived)
    ))
}

/// Constant-time comparison.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Verifies `password` against `stored`; a malformed hash never matches.
pub async fn verify(password: &str, stored: &str) -> ApiResult<bool> {
    let Some(parsed) = parse(stored).or_else(|| parse(DUMMY_HASH)) else {
        return Ok(false);
    };
    let derived = derive(password, &parsed.salt, parsed.iterations).await?;
    Ok(parse(stored).is_some() && same(&derived, &parsed.hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterations_never_exceed_the_production_cap() {
        const { assert!(MAX_ITERATIONS == 100_000) };
        assert!(
            parse("pbkdf2_sha256$100001$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .is_none()
        );
    }

    #[test]
    fn dummy_hash_is_well_formed() {
        assert!(parse(DUMMY_HASH).is_some());
    }

    #[test]
    fn comparison() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
