//! Server-rendered knowledge-base pages for crawlers and readers without JavaScript.
//!
//! For `/kb`, `/kb/{category}` and `/kb/{category}/{slug}` the Worker takes the SPA's
//! `index.html` from the ASSETS binding and injects the page's real content: `<title>`, meta
//! description, canonical link, and — right after `<body>` — `<div id="ssr-content">` with
//! breadcrumbs, the sanitized article body and links. The Leptos app removes or replaces
//! `#ssr-content` when it mounts. Also `/sitemap.xml` and `/robots.txt`.
use domain::kb;
use domain::search::escape_html as esc;
use worker::{Env, Method, Request, Response, ResponseBuilder};

use crate::error::{ApiError, ApiResult};
use crate::routes::kb as kbr;
use crate::routes::Ctx;

/// Paths answered here (they must be listed in wrangler.toml `[assets] run_worker_first`).
pub fn claims(path: &str) -> bool {
    path == "/robots.txt" || path == "/sitemap.xml" || path == "/kb" || path.starts_with("/kb/")
}

const CACHE: &str = "public, max-age=300";
const SITE: &str = "Mesa de Soporte";

struct Page {
    status: u16,
    title: String,
    description: String,
    canonical: String,
    body: String,
}

pub async fn handle(req: Request, env: Env) -> ApiResult<Response> {
    if !matches!(req.method(), Method::Get | Method::Head) {
        return Err(ApiError::NotFound);
    }
    let url = req.url()?;
    let origin = url.origin().ascii_serialization();
    let path = url.path().trim_end_matches('/').to_string();
    let english = req
        .headers()
        .get("Accept-Language")
        .ok()
        .flatten()
        .is_some_and(|v| prefers_english(&v));
    let ctx = Ctx::new(env)?;
    match path.as_str() {
        "/robots.txt" => return text("text/plain; charset=utf-8", robots(&origin)),
        "/sitemap.xml" => {
            return text(
                "application/xml; charset=utf-8",
                sitemap(&ctx, &origin).await?,
            )
        }
        _ => {}
    }
    let segs: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .skip(1)
        .map(percent_decode)
        .collect();
    let page = match segs.as_slice() {
        [] => {
            home(
                &ctx,
                url.query_pairs()
                    .find(|(k, _)| k == "q")
                    .map(|(_, v)| v.into_owned()),
            )
            .await?
        }
        [cat] => match category_page(&ctx, cat).await? {
            Some(p) => p,
            None => not_found(),
        },
        [cat, slug] => match article_page(&ctx, cat, slug, english).await? {
            Ok(p) => p,
            Err(location) => return redirect(&origin, &location),
        },
        _ => not_found(),
    };
    let (shell, style_hashes) = inline_styles(&ctx, &origin, shell(&ctx, &origin).await).await;
    let mut html = inject(&shell, &page, &origin);
    before_head_end(&mut html, &chunk_preloads(&ctx, &origin, "kb").await);
    let cache = if page.status == 200 {
        CACHE
    } else {
        "no-store"
    };
    // An article page says so in English for an English reader (`prefers_english`); the
    // home and category pages are the same for everyone.
    let vary = if matches!(segs.as_slice(), [_, _]) {
        "Accept-Language"
    } else {
        ""
    };
    document(page.status, html, cache, vary, &style_hashes)
}

/// A server-rendered document whose stylesheets were inlined by [`inline_styles`]: they are
/// allowed by their hashes, nothing else inline is.
pub(crate) fn document(
    status: u16,
    html: String,
    cache: &str,
    vary: &str,
    style_hashes: &[String],
) -> ApiResult<Response> {
    let mut resp = kbr::html_response(status, html, cache)?;
    if !vary.is_empty() {
        resp.headers_mut().set("Vary", vary)?;
    }
    resp.headers_mut().set(
        "Content-Security-Policy",
        &crate::security::csp_with_style_hashes(style_hashes),
    )?;
    Ok(resp)
}

fn text(content_type: &str, body: String) -> ApiResult<Response> {
    let mut resp = ResponseBuilder::new()
        .with_status(200)
        .fixed(body.into_bytes());
    resp.headers_mut().set("Content-Type", content_type)?;
    resp.headers_mut().set("Cache-Control", CACHE)?;
    Ok(resp)
}

fn redirect(origin: &str, location: &str) -> ApiResult<Response> {
    let mut resp = ResponseBuilder::new().with_status(301).empty();
    resp.headers_mut()
        .set("Location", &format!("{origin}{location}"))?;
    Ok(resp)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn robots(origin: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nAllow: /kb\nDisallow: /api/\n\nSitemap: {origin}/sitemap.xml\n"
    )
}

async fn sitemap(ctx: &Ctx, origin: &str) -> ApiResult<String> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out += &format!("  <url><loc>{origin}/kb</loc></url>\n");
    for c in crate::repo::kb::categories(&ctx.db).await? {
        if c.article_count > 0 {
            out += &format!(
                "  <url><loc>{origin}{}</loc></url>\n",
                esc(&kb::category_url(&c.slug))
            );
        }
    }
    for a in crate::repo::kb::published(&ctx.db).await? {
        out += &format!(
            "  <url><loc>{origin}{}</loc><lastmod>{}</lastmod></url>\n",
            esc(&kb::article_url(&a.category, &a.slug)),
            esc(a.updated_at.get(..10).unwrap_or(&a.updated_at))
        );
    }
    out += "</urlset>\n";
    Ok(out)
}

/// The search box as the SPA's `KbSearch` lays it out (same classes, so the SPA's box takes
/// its place without moving anything), as a plain GET form that works without JavaScript.
fn search_form(q: &str) -> String {
    format!(
        "<div class=\"kb-search-box\"><form class=\"kb-search\" role=\"search\" action=\"/kb\" method=\"get\">\
         <label for=\"kb-q\">Buscar en la base de conocimiento</label><div class=\"kb-search-row\">\
         <input id=\"kb-q\" name=\"q\" type=\"search\" value=\"{}\" maxlength=\"200\" enterkeyhint=\"search\" \
         placeholder=\"Por ejemplo: correo en iPhone\"><button class=\"btn\" type=\"submit\">Buscar</button></div></form></div>",
        esc(q)
    )
}

/// The SPA's header for a visitor who is not signed in (`components::nav`: same classes and
/// links), painted with the page: when the SPA puts its own header there, the content below
/// keeps its place, and its largest text is not painted a second time somewhere else
/// (issue 14: the takeover must not become the page's largest contentful paint). Removed by
/// the SPA before its first paint (`pages::kb::drop_ssr_chrome`).
const CHROME: &str = "<div id=\"ssr-chrome\"><a class=\"skip-link\" href=\"#ssr-content\">Saltar al contenido</a>\
<header class=\"site-header\"><div class=\"bar\"><a href=\"/\" class=\"brand\"><span class=\"brand-mark\" aria-hidden=\"true\">MS</span>\
<span class=\"brand-name\">Mesa de Soporte</span></a>\
<div class=\"lang-switch\" role=\"group\" aria-label=\"Idioma\">\
<button class=\"lang-btn\" type=\"button\" lang=\"es\" title=\"Español\" aria-pressed=\"true\">ES</button>\
<button class=\"lang-btn\" type=\"button\" lang=\"en\" title=\"English\" aria-pressed=\"false\">EN</button></div></div>\
<nav class=\"main-nav\" aria-label=\"Navegación principal\"><ul class=\"nav-links\">\
<li><a href=\"/kb\" aria-current=\"page\">Base de conocimiento</a></li><li><a href=\"/politica\">Política</a></li>\
<li><a href=\"/horario\">Horario</a></li><li><a href=\"/entrar\">Entrar</a></li></ul></nav></header></div>";

fn crumbs(items: &[(&str, Option<String>)]) -> String {
    let mut out = String::from("<nav class=\"kb-crumbs\" aria-label=\"Ruta de navegación\"><ol>");
    for (name, url) in items {
        match url {
            Some(u) => out += &format!("<li><a href=\"{}\">{}</a></li>", esc(u), esc(name)),
            None => out += &format!("<li aria-current=\"page\">{}</li>", esc(name)),
        }
    }
    out + "</ol></nav>"
}

fn link_list(items: impl IntoIterator<Item = (String, String, String)>) -> String {
    let mut out = String::from("<ul>");
    for (url, title, summary) in items {
        out += &format!(
            "<li><a href=\"{}\">{}</a>{}</li>",
            esc(&url),
            esc(&title),
            if summary.is_empty() {
                String::new()
            } else {
                format!(" — {}", esc(&summary))
            }
        );
    }
    out + "</ul>"
}

async fn home(ctx: &Ctx, q: Option<String>) -> ApiResult<Page> {
    let q = q.unwrap_or_default();
    let mut body = format!(
        "{}{}<h1>Base de conocimiento</h1><p>Respuestas a las dudas más comunes sobre hosting, correo, \
         dominios, certificados, respaldos, sitios web y Softlik.</p>",
        search_form(&q),
        crumbs(&[("Base de conocimiento", None)]),
    );
    if !q.trim().is_empty() {
        let found = kbr::run_search(ctx, &q, 20, None).await?;
        body += &format!(
            "<section class=\"kb-results\"><h2>Resultados para «{}» ({})</h2>",
            esc(&q),
            found.total
        );
        if found.results.is_empty() {
            body +=
                "<p>No encontramos artículos. Prueba con otras palabras o levanta un ticket.</p>";
        } else {
            body += "<ol>";
            for r in &found.results {
                // `snippet` is already escaped HTML with <mark>.
                body += &format!(
                    "<li><a href=\"{}\">{}</a><p>{}</p></li>",
                    esc(&r.url),
                    esc(&r.title),
                    r.snippet
                );
            }
            body += "</ol>";
        }
        body += "</section>";
    }
    let cats = crate::repo::kb::categories(&ctx.db).await?;
    body += "<section class=\"kb-categories\"><h2>Categorías</h2><ul>";
    for c in &cats {
        body += &format!(
            "<li><a href=\"{}\">{}</a> ({}) — {}</li>",
            esc(&kb::category_url(&c.slug)),
            esc(&c.name),
            c.article_count,
            esc(&c.description)
        );
    }
    body += "</ul></section>";
    let popular = kbr::popular(ctx, 6).await?;
    body += "<section class=\"kb-popular\"><h2>Artículos más útiles</h2>";
    body += &link_list(popular.into_iter().map(|a| (a.url, a.title, String::new())));
    body += "</section>";
    Ok(Page {
        status: 200,
        title: format!("Base de conocimiento · {SITE}"),
        description: "Guías y respuestas de soporte técnico: hosting, correo, dominios, SSL, respaldos, sitios web y Softlik.".into(),
        canonical: "/kb".into(),
        body,
    })
}

async fn category_page(ctx: &Ctx, slug: &str) -> ApiResult<Option<Page>> {
    let Some((cat, list)) = kbr::load_category(ctx, slug).await? else {
        return Ok(None);
    };
    let body = format!(
        "{}{}<h1>{}</h1><p>{}</p>{}",
        search_form(""),
        crumbs(&[
            ("Base de conocimiento", Some("/kb".into())),
            (&cat.name, None)
        ]),
        esc(&cat.name),
        esc(&cat.description),
        link_list(list.into_iter().map(|a| (
            kb::article_url(&a.category, &a.slug),
            a.title,
            a.summary
        )))
    );
    Ok(Some(Page {
        status: 200,
        title: format!("{} · Base de conocimiento · {SITE}", cat.name),
        description: cat.description.clone(),
        canonical: cat.url.clone(),
        body,
    }))
}

/// Whether the reader's browser puts English before Spanish (`Accept-Language`, in its
/// order), as the SPA does when it picks its language: then the article says it is in
/// Spanish only, in the place the SPA will say it, so nothing moves when the SPA takes over.
pub(crate) fn prefers_english(accept: &str) -> bool {
    accept
        .split(',')
        .map(|l| {
            l.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .find(|l| l.starts_with("en") || l.starts_with("es"))
        .is_some_and(|l| l.starts_with("en"))
}

/// The article page, or `Err(canonical path)` when the address should redirect.
async fn article_page(
    ctx: &Ctx,
    cat: &str,
    slug: &str,
    english: bool,
) -> ApiResult<Result<Page, String>> {
    if !kb::is_valid_slug(slug) {
        return Ok(Ok(not_found()));
    }
    let Some(a) = kbr::load_article(ctx, slug, false).await? else {
        return Ok(match crate::repo::kb::redirect(&ctx.db, slug).await? {
            Some(r) if r.status == "published" => Err(kb::article_url(&r.category, &r.slug)),
            _ => Ok(not_found()),
        });
    };
    if a.category != cat {
        return Ok(Err(a.url));
    }
    let mut body = search_form("");
    body += &crumbs(&[
        ("Base de conocimiento", Some("/kb".into())),
        (&a.category_name, Some(kb::category_url(&a.category))),
        (&a.title, None),
    ]);
    body += &format!(
        "<article class=\"kb-article\"><h1>{}</h1><p class=\"lead kb-summary\">{}</p>{}\
         <div class=\"kb-body\">{}</div><p class=\"kb-updated\">Actualizado / Updated: <time datetime=\"{}\">{}</time></p></article>",
        esc(&a.title),
        esc(&a.summary),
        if english {
            // The SPA's `kb.spanish_only` (app/locales/en.json).
            "<p class=\"hint\" lang=\"en\">This article is available in Spanish only.</p>"
        } else {
            ""
        },
        a.body_html, // sanitized when saved
        esc(&a.updated_at),
        esc(a.updated_at.get(..10).unwrap_or(&a.updated_at)),
    );
    if !a.related.is_empty() {
        body += "<aside class=\"kb-related\"><h2>Artículos relacionados</h2>";
        body += &link_list(
            a.related
                .iter()
                .map(|r| (r.url.clone(), r.title.clone(), String::new())),
        );
        body += "</aside>";
    }
    body += "<p class=\"kb-ticket\">¿No resolviste tu duda? <a href=\"/nuevo-ticket\">Levanta un ticket</a>.</p>";
    Ok(Ok(Page {
        status: 200,
        title: format!("{} · {SITE}", a.title),
        description: a.summary.clone(),
        canonical: a.url.clone(),
        body,
    }))
}

fn not_found() -> Page {
    Page {
        status: 404,
        title: format!("No encontrado · {SITE}"),
        description: "La página que buscas no existe o ya no está publicada.".into(),
        canonical: "/kb".into(),
        body: format!(
            "{}<h1>No encontramos esta página</h1><p>Puede que el artículo se haya movido o ya no esté publicado. \
             / This page was not found.</p>{}",
            crumbs(&[("Base de conocimiento", Some("/kb".into())), ("No encontrado", None)]),
            search_form("")
        ),
    }
}

/// A built file of the SPA (dist/), as text.
pub(crate) async fn asset(ctx: &Ctx, url: &str) -> worker::Result<String> {
    let mut resp = ctx.env.assets("ASSETS")?.fetch(url, None).await?;
    if resp.status_code() != 200 {
        return Err(worker::Error::RustError(format!(
            "assets: {} {url}",
            resp.status_code()
        )));
    }
    resp.text().await
}

/// `<link rel="preload">` for the WASM chunks of one of the SPA's split groups (the KB
/// pages', or a framed page's, `frame.rs`), read from the build's `split-manifest.json`
/// (`xtask/src/spa.rs`): the browser fetches them while it paints what the server sent,
/// instead of a round trip later, once the boot script has run. Empty when the SPA was built
/// unsplit or is not built.
pub(crate) async fn chunk_preloads(ctx: &Ctx, origin: &str, group: &str) -> String {
    let Ok(text) = asset(ctx, &format!("{origin}/split-manifest.json")).await else {
        return String::new();
    };
    preload_links(&text, group)
}

/// Puts `s` right before `</head>`.
pub(crate) fn before_head_end(html: &mut String, s: &str) {
    if let Some(a) = html.find("</head>") {
        html.insert_str(a, s);
    }
}

fn preload_links(manifest: &str, group: &str) -> String {
    let Ok(m) = serde_json::from_str::<serde_json::Value>(manifest) else {
        return String::new();
    };
    m["groups"][group]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .filter(|f| f.starts_with("/pkg/") && !f.contains('"') && !f.contains('<'))
        .map(|f| {
            format!(
                "<link rel=\"preload\" href=\"{f}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">\n"
            )
        })
        .collect()
}

/// The SPA's index.html, or a minimal shell when the assets are not built.
pub(crate) async fn shell(ctx: &Ctx, origin: &str) -> String {
    match asset(ctx, &format!("{origin}/")).await {
        Ok(html) if html.contains("<body") => html,
        _ => "<!doctype html>\n<html lang=\"es-MX\"><head><meta charset=\"utf-8\">\
              <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
              <title>Mesa de Soporte</title></head><body></body></html>"
            .to_string(),
    }
}

/// The shell with its stylesheet links replaced by the stylesheets themselves, so the
/// server-rendered text paints as soon as the document arrives instead of after two more
/// requests that share a slow phone link with the WASM download (measured by
/// `cargo xtask bench-kb`, first contentful text). A stylesheet that cannot be read keeps
/// its link. Also returns the CSP source (`'sha256-…'`) of each inlined stylesheet.
pub(crate) async fn inline_styles(ctx: &Ctx, origin: &str, shell: String) -> (String, Vec<String>) {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let mut html = shell;
    let mut hashes = Vec::new();
    for (tag, href) in stylesheet_links(&html) {
        if let Ok(css) = asset(ctx, &format!("{origin}{href}")).await {
            if !css.contains("</style") {
                html = html.replacen(&tag, &format!("<style>{css}</style>"), 1);
                let digest = Sha256::digest(css.as_bytes());
                hashes.push(format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                ));
            }
        }
    }
    (html, hashes)
}

/// `(whole tag, href)` of every same-origin `<link rel="stylesheet" href="/…">` in `html`.
fn stylesheet_links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(a) = rest.find("<link ") {
        let Some(len) = rest[a..].find('>') else {
            break;
        };
        let tag = &rest[a..a + len + 1];
        if tag.contains("rel=\"stylesheet\"") {
            if let Some(href) = tag
                .split("href=\"")
                .nth(1)
                .and_then(|h| h.split('"').next())
                .filter(|h| h.starts_with('/') && !h.starts_with("//"))
            {
                out.push((tag.to_string(), href.to_string()));
            }
        }
        rest = &rest[a + len + 1..];
    }
    out
}

/// Replaces the title, drops the shell's meta description, adds the page's head tags and puts
/// the content right after the opening `<body>` tag.
fn inject(shell: &str, page: &Page, origin: &str) -> String {
    let mut html = shell.to_string();
    if let (Some(a), Some(b)) = (html.find("<title>"), html.find("</title>")) {
        if a < b {
            html.replace_range(
                a..b + "</title>".len(),
                &format!("<title>{}</title>", esc(&page.title)),
            );
        }
    }
    if let Some(a) = html.find("<meta name=\"description\"") {
        if let Some(len) = html[a..].find('>') {
            html.replace_range(a..a + len + 1, "");
        }
    }
    let head = format!(
        "<meta name=\"description\" content=\"{d}\">\n<link rel=\"canonical\" href=\"{o}{c}\">\n\
         <meta property=\"og:title\" content=\"{t}\">\n<meta property=\"og:description\" content=\"{d}\">\n\
         <meta property=\"og:type\" content=\"article\">\n<meta property=\"og:url\" content=\"{o}{c}\">\n{robots}",
        d = esc(&page.description),
        t = esc(&page.title),
        o = esc(origin),
        c = esc(&page.canonical),
        robots = if page.status == 404 { "<meta name=\"robots\" content=\"noindex\">\n" } else { "" },
    );
    if let Some(a) = html.find("</head>") {
        html.insert_str(a, &head);
    }
    let content = format!(
        "\n{CHROME}\n<div id=\"ssr-content\" class=\"kb-ssr\">{}</div>\n",
        page.body
    );
    after_body(&mut html, &content);
    html
}

/// Puts `content` right after the opening `<body>` tag (at the end without one).
pub(crate) fn after_body(html: &mut String, content: &str) {
    match html
        .find("<body")
        .and_then(|a| html[a..].find('>').map(|l| a + l + 1))
    {
        Some(at) => html.insert_str(at, content),
        None => html.push_str(content),
    }
}

#[cfg(test)]
mod tests {
    use super::{prefers_english, preload_links};

    #[test]
    fn english_when_the_browser_puts_it_before_spanish() {
        assert!(prefers_english("en-US,en;q=0.9"));
        assert!(prefers_english("fr-FR, en-GB;q=0.8, es;q=0.5"));
        assert!(!prefers_english("es-MX,es;q=0.9,en;q=0.8"));
        assert!(!prefers_english("fr"));
        assert!(!prefers_english(""));
    }

    #[test]
    fn preloads_come_from_the_split_manifest() {
        let m = r#"{"pkg":"/pkg/ab","groups":{"kb":["/pkg/ab/split_kb.wasm","/pkg/ab/chunk_3.wasm"],"admin":["/pkg/ab/split_admin.wasm"]}}"#;
        let links = preload_links(m, "kb");
        assert_eq!(links.matches("<link rel=\"preload\"").count(), 2);
        assert!(links.contains("href=\"/pkg/ab/split_kb.wasm\""));
        assert!(!links.contains("admin"));
        assert_eq!(preload_links("not json", "kb"), "");
        assert_eq!(
            preload_links(r#"{"groups":{"kb":["https://x/\"a"]}}"#, "kb"),
            ""
        );
    }
}
