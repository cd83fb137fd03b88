//! A signed-in deep link's page frame (issue 14). For the pages the build lists in
//! `dist/frames.json` (`ROUTE_FRAMES` in `xtask/src/spa.rs`: my tickets, the form, the queue,
//! the admin pages…), a document request with a session whose role may open the page gets the
//! SPA's `index.html` with the page's frame painted in it (`#boot-frame`: the header bar, the
//! page's heading and lead in the reader's language) and the stylesheets inlined. The reader
//! sees the page named with the document itself, not after the app and its data downloaded;
//! the page's `Page` component drops the frame as it renders the same heading in its place.
//! A ticket's page is framed with the ticket's number and subject, for a session that may see
//! the ticket. Anyone else (anonymous, another role, a ticket the session may not see, a page
//! without a frame) gets the shell unchanged.
use domain::api::Area;
use domain::search::escape_html as esc;
use worker::{Env, Method, Request, Response};

use crate::error::ApiResult;
use crate::routes::Ctx;
use crate::ssr;

/// The paths the Worker runs first for besides the API and the KB (wrangler.toml
/// `run_worker_first`): whether a frame applies is read from `frames.json`.
pub fn claims(path: &str) -> bool {
    !path.starts_with("/api/") && path != "/__scheduled" && !ssr::claims(path)
}

pub async fn handle(req: Request, env: Env) -> ApiResult<Response> {
    let url = req.url()?;
    let origin = url.origin().ascii_serialization();
    let path = url.path().trim_end_matches('/').to_string();
    let ctx = Ctx::new(env)?;
    let framed = if matches!(req.method(), Method::Get | Method::Head) {
        frame_for(&ctx, &req, &origin, &path).await
    } else {
        None
    };
    let Some((frame, group)) = framed else {
        return Ok(ctx.env.assets("ASSETS")?.fetch_request(req).await?);
    };
    let (shell, style_hashes) =
        ssr::inline_styles(&ctx, &origin, ssr::shell(&ctx, &origin).await).await;
    let mut html = with_frame(&shell, &frame);
    // The page's chunks go out with the document, not after the boot script has run.
    ssr::before_head_end(&mut html, &ssr::chunk_preloads(&ctx, &origin, &group).await);
    // What is painted depends on the session (its role) and the reader's language.
    ssr::document(
        200,
        html,
        "private, no-cache",
        "Cookie, Accept-Language",
        &style_hashes,
    )
}

/// The frame's markup for this request and its page's split group, if the page has a frame
/// and the session may open it.
async fn frame_for(ctx: &Ctx, req: &Request, origin: &str, path: &str) -> Option<(String, String)> {
    let frames = ssr::asset(ctx, &format!("{origin}/frames.json"))
        .await
        .ok()?;
    let frames: serde_json::Value = serde_json::from_str(&frames).ok()?;
    let lang = if english(req) { "en" } else { "es" };
    let name = frames["names"][lang].as_str()?;
    if let Some(id) = ticket_id(path) {
        // Only a ticket the session may see, as `GET /api/tickets/{id}` decides.
        let caller = crate::auth::caller(&ctx.db, req).await.ok()??;
        let row = crate::routes::tickets::visible(ctx, &caller, id)
            .await
            .ok()?;
        let frame = &frames["ticket"];
        let back = frame[1][lang][usize::from(caller.role.is_staff())].as_str()?;
        let head = ticket_head(back, &row.number, &row.subject);
        let html = frame_html(name, frame[0].as_str()?, &head);
        return Some((html, frame[2].as_str()?.to_string()));
    }
    let page = frames["pages"].get(path)?;
    let area: Area = serde_json::from_value(page[0].clone()).ok()?;
    let caller = crate::auth::caller(&ctx.db, req).await.ok()??;
    if !area.allows(caller.role) {
        return None;
    }
    let texts = &page[2][lang];
    let heading = titled(texts[0].as_str()?, texts[1].as_str()?);
    let html = frame_html(name, page[1].as_str()?, &heading);
    Some((html, page[3].as_str()?.to_string()))
}

/// `/tickets/{id}` → the id.
fn ticket_id(path: &str) -> Option<&str> {
    path.strip_prefix("/tickets/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// The language the app will show: the reader's saved choice (the `lang` cookie the app's
/// switch sets beside its own storage), else the browser's order.
fn english(req: &Request) -> bool {
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    match saved_lang(&header("Cookie")) {
        Some(lang) => lang == "en",
        None => ssr::prefers_english(&header("Accept-Language")),
    }
}

fn saved_lang(cookies: &str) -> Option<&str> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .map(|(_, v)| v)
        .filter(|v| *v == "es" || *v == "en")
}

/// Laid out as the app's nav bar and `Page` (same classes), hidden from assistive technology
/// (the app's own page is what is read), drawn over the app's shell until the page renders.
/// `content` is the section's markup, escaped ([`titled`], [`ticket_head`]).
fn frame_html(name: &str, class: &str, content: &str) -> String {
    format!(
        "<div id=\"boot-frame\" aria-hidden=\"true\"><div class=\"site-header\"><div class=\"bar\">\
         <span class=\"brand\"><span class=\"brand-mark\">MS</span><span class=\"brand-name\">{name}</span></span>\
         <div class=\"lang-switch\"><button class=\"lang-btn\" type=\"button\" disabled tabindex=\"-1\">ES</button>\
         <button class=\"lang-btn\" type=\"button\" disabled tabindex=\"-1\">EN</button></div></div>\
         <div class=\"main-nav\"><ul class=\"nav-links\"></ul></div></div>\
         <div class=\"boot-main\"><section class=\"page {class}\">{content}</section></div></div>",
        name = esc(name),
        class = esc(class),
    )
}

/// A page's heading and lead, as `components::page::Page` renders them.
fn titled(title: &str, lead: &str) -> String {
    format!("<h1>{}</h1><p class=\"lead\">{}</p>", esc(title), esc(lead))
}

/// A ticket's back link, number and subject, as `pages::ticket` renders them (the link has no
/// `href`: the frame is not to be focused or followed).
fn ticket_head(back: &str, number: &str, subject: &str) -> String {
    format!(
        "<p><a>{}</a></p><header class=\"ticket-head\"><p class=\"ticket-number\">{}</p><h1>{}</h1></header>",
        esc(back),
        esc(number),
        esc(subject)
    )
}

/// The shell with the frame right after the opening `<body>` tag.
fn with_frame(shell: &str, frame: &str) -> String {
    let mut html = shell.to_string();
    ssr::after_body(&mut html, frame);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_read_as_the_build_writes_them() {
        use domain::api::Role;
        let area = |s: &str| serde_json::from_value::<Area>(serde_json::json!(s)).ok();
        assert_eq!(area("client"), Some(Area::Client));
        assert_eq!(area("signed_in"), Some(Area::SignedIn));
        assert_eq!(area("other"), None);
        assert!(area("staff").unwrap().allows(Role::Agent));
        assert!(!area("admin").unwrap().allows(Role::Agent));
    }

    #[test]
    fn the_saved_language_wins() {
        assert_eq!(saved_lang("a=1; lang=en; b=2"), Some("en"));
        assert_eq!(saved_lang("lang=fr"), None);
        assert_eq!(saved_lang("mds_session=x"), None);
    }

    #[test]
    fn texts_are_escaped_and_the_frame_follows_body() {
        let f = frame_html("Mesa", "page-x wide", &titled("A <b>", "\"lead\" & more"));
        assert!(f.contains("<h1>A &lt;b&gt;</h1>"));
        assert!(f.contains("&quot;lead&quot; &amp; more"));
        let html = with_frame("<html><body class=\"x\"><p>app</p></body></html>", &f);
        assert!(html.starts_with("<html><body class=\"x\"><div id=\"boot-frame\""));
    }

    #[test]
    fn a_tickets_frame_names_it() {
        assert_eq!(ticket_id("/tickets/abc"), Some("abc"));
        assert_eq!(ticket_id("/tickets/"), None);
        assert_eq!(ticket_id("/tickets/a/b"), None);
        assert_eq!(ticket_id("/mis-tickets"), None);
        let head = ticket_head("← Cola", "T-1", "No <b>sirve</b>");
        assert!(head.contains("<h1>No &lt;b&gt;sirve&lt;/b&gt;</h1>"));
        assert!(!head.contains("href"));
    }

    #[test]
    fn api_and_kb_paths_are_not_framed() {
        assert!(claims("/mis-tickets"));
        assert!(!claims("/api/me"));
        assert!(!claims("/kb/correo"));
        assert!(!claims("/__scheduled"));
    }
}
