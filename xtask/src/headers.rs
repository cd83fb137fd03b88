//! The SPA runs under the strict Content-Security-Policy (no inline script: the boot script
//! is a file, see `spa.rs`), and Workers Static Assets must send the same security headers as the Worker
//! (worker/src/security.rs). Static assets do not run the Worker, so the headers go into
//! `dist/_headers`, which Workers Static Assets applies to every asset and to the SPA
//! fallback (`not_found_handling = "single-page-application"`).
use std::path::Path;

/// Same values as worker/src/security.rs (tests/api/hardening.test.mjs compares them).
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; \
     font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; \
     worker-src 'none'; manifest-src 'self'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
     interest-cohort=()";
/// Browsers ignore HSTS received over plain HTTP (RFC 6797 §8.1), so sending it from
/// `wrangler dev` on http://127.0.0.1 is harmless; the Worker itself omits it on localhost.
const HSTS: &str = "max-age=31536000; includeSubDomains";

fn headers_file() -> String {
    format!(
        "/*\n  Content-Security-Policy: {CSP}\n  X-Frame-Options: DENY\n  \
         X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  \
         Permissions-Policy: {PERMISSIONS}\n  Cross-Origin-Opener-Policy: same-origin\n  \
         Strict-Transport-Security: {HSTS}\n\n\
         /pkg/*\n  Cache-Control: public, max-age=31536000, immutable\n"
    )
}

/// Writes `dist/_headers`: the security headers on every path, and a year of immutable
/// caching for the content-hashed SPA folder (`/pkg/<hash>/`, see `spa.rs`): a new build is
/// a new folder, and `index.html` (revalidated on every load) names it.
pub fn write_headers(dist: &Path) -> Result<(), String> {
    std::fs::write(dist.join("_headers"), headers_file()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_cover_every_path() {
        let h = headers_file();
        assert!(h.starts_with("/*\n"));
        assert!(h.contains("frame-ancestors 'none'"));
        assert!(h.contains("X-Frame-Options: DENY"));
        assert!(h.contains("/pkg/*\n  Cache-Control: public, max-age=31536000, immutable"));
    }
}
