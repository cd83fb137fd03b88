//! After Trunk: the SPA must run under the strict Content-Security-Policy (no inline script),
//! and Workers Static Assets must send the same security headers as the Worker
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
         Strict-Transport-Security: {HSTS}\n"
    )
}

/// Moves each inline `<script>` of `index.html` into its own file (named by a hash of its
/// text) and writes `_headers`.
pub fn finish_dist(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let (html, files) = externalize_scripts(&html)?;
    for (name, body) in files {
        std::fs::write(dist.join(&name), body).map_err(|e| e.to_string())?;
        println!("moved an inline script of index.html into /{name}");
    }
    std::fs::write(&index, html).map_err(|e| e.to_string())?;
    std::fs::write(dist.join("_headers"), headers_file()).map_err(|e| e.to_string())
}

fn externalize_scripts(html: &str) -> Result<(String, Vec<(String, String)>), String> {
    let mut out = String::with_capacity(html.len());
    let mut files = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        let tag_end = rest[start..]
            .find('>')
            .map(|i| start + i + 1)
            .ok_or("unterminated <script> tag")?;
        let open = &rest[start..tag_end];
        let close = rest[tag_end..]
            .find("</script>")
            .map(|i| tag_end + i)
            .ok_or("<script> without </script>")?;
        let body = &rest[tag_end..close];
        if open.contains(" src=") || body.trim().is_empty() {
            out.push_str(&rest[start..close + "</script>".len()]);
        } else {
            let module = open.contains("type=\"module\"");
            if !module && !open.trim_end_matches('>').trim().eq("<script") {
                return Err(format!("index.html: cannot move inline script {open}"));
            }
            let name = format!("boot-{:016x}.js", crate::simple_hash(body.as_bytes()));
            let kind = if module { " type=\"module\"" } else { "" };
            out.push_str(&format!("<script{kind} src=\"/{name}\"></script>"));
            files.push((name, body.trim().to_string() + "\n"));
        }
        rest = &rest[close + "</script>".len()..];
    }
    out.push_str(rest);
    Ok((out, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_module_script_becomes_a_file() {
        let html =
            "<head><script type=\"module\">\nimport init from '/app.js';\nawait init();\n</script>\
                    <script src=\"/x.js\"></script></head>";
        let (out, files) = externalize_scripts(html).unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].1.starts_with("import init"));
        assert!(out.contains(&format!(
            "<script type=\"module\" src=\"/{}\"></script>",
            files[0].0
        )));
        assert!(out.contains("<script src=\"/x.js\"></script>"));
        assert!(!out.contains("await init"));
    }

    #[test]
    fn headers_cover_every_path() {
        let h = headers_file();
        assert!(h.starts_with("/*\n"));
        assert!(h.contains("frame-ancestors 'none'"));
        assert!(h.contains("X-Frame-Options: DENY"));
    }
}
