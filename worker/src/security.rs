//! Security headers on every response the Worker produces (API, errors, server-rendered
//! KB pages, sitemap). Static assets (the SPA shell, JS, WASM, CSS) are served by Workers
//! Static Assets without the Worker: `cargo xtask build` writes the same headers into
//! `dist/_headers` with the same values (xtask/src/headers.rs; the header test in
//! tests/api/hardening.test.mjs compares both).
use worker::{Response, Url};

/// The app is one module script plus WASM (`'wasm-unsafe-eval'` lets it compile), no inline
/// script (the SPA boots from a script file, xtask/src/spa.rs). Inline `style=""` attributes are
/// allowed (the KB statistics bars); inline `<style>` elements are not.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; \
     font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; \
     worker-src 'none'; manifest-src 'self'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";
pub const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
     interest-cohort=()";
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// [`CSP`] with these `'sha256-…'` sources added to `style-src` (the server-rendered KB pages
/// inline their stylesheets).
pub fn csp_with_style_hashes(hashes: &[String]) -> String {
    if hashes.is_empty() {
        return CSP.to_string();
    }
    CSP.replacen(
        "style-src 'self';",
        &format!("style-src 'self' {};", hashes.join(" ")),
        1,
    )
}

/// Plain-HTTP development hosts: no HSTS there.
fn is_local(url: &Url) -> bool {
    matches!(
        url.host_str(),
        Some("localhost" | "127.0.0.1" | "[::1]" | "::1")
    ) || url.host_str().is_some_and(|h| h.ends_with(".localhost"))
}

/// Adds the headers; a stricter policy already on the response (attachment downloads carry
/// `default-src 'none'; sandbox`) is kept.
pub fn apply(resp: &mut Response, url: &Url) {
    let h = resp.headers_mut();
    if !h.has("Content-Security-Policy").unwrap_or(false) {
        let _ = h.set("Content-Security-Policy", CSP);
    }
    let _ = h.set("X-Frame-Options", "DENY");
    let _ = h.set("X-Content-Type-Options", "nosniff");
    let _ = h.set("Referrer-Policy", "strict-origin-when-cross-origin");
    let _ = h.set("Permissions-Policy", PERMISSIONS);
    let _ = h.set("Cross-Origin-Opener-Policy", "same-origin");
    if !is_local(url) {
        let _ = h.set("Strict-Transport-Security", HSTS);
    }
}
