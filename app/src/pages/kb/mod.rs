//! Public knowledge base (issue 6, SPA part).
//!
//! Routes (identical to the Worker's server-rendered pages, see `worker/src/ssr.rs`):
//! `/kb` (home; `?q=` shows search results), `/kb/{category}`, `/kb/{category}/{slug}`.
//! Every page sits in [`KbLayout`], which carries the search-as-you-type box.
//!
//! **Taking over the server-rendered page.** For those paths the Worker sends `index.html`
//! with the page's real content in `<div id="ssr-content">` right after `<body>`. The first
//! KB page that renders *claims* that element (removes it from the body, synchronously,
//! before anything is painted) and shows it in place of its own loading state until its API
//! data has arrived; then the SPA view replaces it. There is never a second copy, and the
//! reader never sees an empty page. `drop_unclaimed_ssr` (called once from the shell) removes
//! the element when the first route was not a KB page (e.g. a 404 below `/kb/…`).
//!
//! The server's page is laid out as this SPA's: its copy of the nav bar (`#ssr-chrome`,
//! dropped by the shell as it renders its own), the search box on top, the same crumbs and
//! article classes. So the takeover moves nothing and paints nothing larger: the server's
//! paint stays the page's largest contentful paint (issue 14).
use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::i18n::*;
use crate::I18n;

pub mod article;
pub mod category;
pub mod home;
pub mod search;

pub use article::KbArticlePage;
pub use category::KbCategoryPage;
pub use home::KbHomePage;

// ---------------------------------------------------------------- server-rendered content

const SSR_ID: &str = "ssr-content";

thread_local! {
    /// The server-rendered content once taken out of the document by [`SsrHold`] (shown
    /// while the KB chunk downloads) and not yet taken by a KB page.
    static HELD: std::cell::RefCell<Option<web_sys::Element>> = const { std::cell::RefCell::new(None) };
}

/// Takes the server-rendered content out of the document (once: later calls get `None`).
fn claim_ssr() -> Option<web_sys::Element> {
    if let Some(el) = HELD.with(|h| h.borrow_mut().take()) {
        return Some(el);
    }
    let el = document().get_element_by_id(SSR_ID)?;
    el.remove();
    Some(el)
}

/// Removes server-rendered content that no KB page claimed. Not on a KB path: there the
/// KB chunk may still be downloading, and its page will claim the content.
pub fn drop_unclaimed_ssr() {
    let path = window().location().pathname().unwrap_or_default();
    if path == "/kb" || path.starts_with("/kb/") {
        return;
    }
    drop_ssr();
}

/// Removes the server-rendered header (`#ssr-chrome`, the Worker's copy of the nav bar that
/// holds the place of the SPA's): called as the SPA renders its own, before the first paint.
pub fn drop_ssr_chrome() {
    if let Some(el) = document().get_element_by_id("ssr-chrome") {
        el.remove();
    }
}

/// Removes the server-rendered content, wherever it is (404 pages).
pub fn drop_ssr() {
    if let Some(el) = HELD.with(|h| h.borrow_mut().take()) {
        el.remove();
    }
    if let Some(el) = document().get_element_by_id(SSR_ID) {
        el.remove();
    }
}

/// Shows the server-rendered content while the KB chunk downloads, without claiming it: the
/// KB page that renders next takes it over (moves the same element), so the text is painted
/// once and never repainted.
#[component]
pub fn SsrHold() -> impl IntoView {
    let i18n = use_i18n();
    let holder = NodeRef::<leptos::html::Div>::new();
    let held = HELD.with(|h| {
        let mut h = h.borrow_mut();
        if h.is_none() {
            *h = document()
                .get_element_by_id(SSR_ID)
                .inspect(|el| el.remove());
        }
        h.clone()
    });
    let has_ssr = held.is_some();
    if let Some(el) = held {
        let el = send_wrapper::SendWrapper::new(el);
        Effect::new(move |_| {
            if let Some(div) = holder.get() {
                let _ = div.append_child(&el);
            }
        });
    }
    view! {
        <div node_ref=holder class="kb-ssr-holder" aria-busy="true">
            {(!has_ssr).then(|| view! { <p class="loading">{t!(i18n, app.loading)}</p> })}
        </div>
    }
}

/// The loading state of a KB page: the server-rendered content when this is the first page
/// of the visit, else a short "loading" line.
#[component]
pub fn SsrOrLoading() -> impl IntoView {
    let i18n = use_i18n();
    let holder = NodeRef::<leptos::html::Div>::new();
    let ssr = claim_ssr();
    let has_ssr = ssr.is_some();
    if let Some(el) = ssr {
        let el = send_wrapper::SendWrapper::new(el);
        // Gone with this loading state: the page that replaces it may reuse the holder `<div>`.
        let gone = el.clone();
        on_cleanup(move || gone.remove());
        Effect::new(move |_| {
            if let Some(div) = holder.get() {
                let _ = div.append_child(&el);
            }
        });
    }
    view! {
        <div node_ref=holder class="kb-ssr-holder" aria-busy="true" data-testid="kb-loading">
            {(!has_ssr).then(|| view! { <p class="loading">{t!(i18n, app.loading)}</p> })}
        </div>
    }
}

// ---------------------------------------------------------------- shared helpers

/// `document.title` = "<text> · Mesa de Soporte".
pub fn set_doc_title(i18n: I18n, text: &str) {
    let app = i18n.get_locale_untracked();
    let name = td_string!(app, app.name);
    document().set_title(&format!("{text} · {name}"));
}

/// The Spanish or English name, by the current locale (Spanish when there is no English).
pub fn by_locale(i18n: I18n, es: &str, en: &str) -> String {
    if i18n.get_locale() == Locale::en && !en.trim().is_empty() {
        en.to_string()
    } else {
        es.to_string()
    }
}

/// The API's message in the current language.
pub fn api_message(i18n: I18n, e: &crate::api::ApiError) -> String {
    by_locale(i18n, e.text(false).as_str(), e.text(true).as_str())
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// How long a visit lasts without activity before a new deflection journey starts.
const VISIT_IDLE_MS: f64 = 30.0 * 60.0 * 1000.0;
const SESSION_KEY: &str = "kb_sid";

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The reader's anonymous visit id (P11 deflection journey: the ticket form's
/// suggestions, searches, article views — also in a tab opened from a suggestion —
/// feedback and the ticket finally submitted are tied together). 16 characters of
/// `[a-z0-9]`, kept in localStorage as `sid:last_used_ms`; a new one after
/// 30 idle minutes or after a ticket is submitted ([`end_kb_session`]).
pub fn kb_session() -> String {
    let now = js_sys::Date::now();
    let store = local_storage();
    let current = store
        .as_ref()
        .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
        .and_then(|v| {
            let (sid, at) = v.split_once(':')?;
            let at: f64 = at.parse().ok()?;
            ((8..=64).contains(&sid.len()) && now - at < VISIT_IDLE_MS).then(|| sid.to_string())
        });
    let sid = current.unwrap_or_else(|| {
        const ABC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..16)
            .map(|_| ABC[(js_sys::Math::random() * ABC.len() as f64) as usize % ABC.len()] as char)
            .collect()
    });
    if let Some(s) = store {
        let _ = s.set_item(SESSION_KEY, &format!("{sid}:{now}"));
    }
    sid
}

/// The journey ended with a ticket: the next visit is a new one.
pub fn end_kb_session() {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(SESSION_KEY);
    }
}

/// The search that led the reader to the article they open next (sent with `article_view`).
pub fn remember_query(q: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item("kb_last_q", q);
    }
}

pub fn take_query() -> Option<String> {
    let s = session_storage()?;
    let q = s.get_item("kb_last_q").ok().flatten();
    let _ = s.remove_item("kb_last_q");
    q.filter(|q| !q.trim().is_empty())
}

// ---------------------------------------------------------------- layout and 404

/// Frame of every KB page: the search box, then the page.
#[component]
pub fn KbLayout() -> impl IntoView {
    view! {
        <div class="kb" data-testid="kb">
            <search::KbSearch />
            <Outlet />
        </div>
    }
}

/// Breadcrumbs: links, then the current page (not a link).
#[component]
pub fn Crumbs(links: Vec<(String, String)>, current: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="kb-crumbs" aria-label=move || t_string!(i18n, kb.breadcrumbs) data-testid="kb-breadcrumbs">
            <ol>
                {links
                    .into_iter()
                    .map(|(href, name)| view! { <li><a href=href>{name}</a></li> })
                    .collect::<Vec<_>>()}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}

#[component]
pub fn KbNotFound() -> impl IntoView {
    let i18n = use_i18n();
    drop_ssr();
    Effect::new(move |_| set_doc_title(i18n, t_string!(i18n, kb.not_found_title)));
    view! {
        <section class="page kb-not-found" data-testid="kb-not-found" data-error="404">
            <h1>{t!(i18n, kb.not_found_title)}</h1>
            <p>{t!(i18n, kb.not_found_body)}</p>
            <p><a href="/kb">{t!(i18n, kb.back_home)}</a></p>
        </section>
    }
}

/// A failed load that is not a 404 (network, server).
#[component]
pub fn KbLoadError() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="form-error" role="alert">{t!(i18n, kb.load_error)}</p> }
}

/// Where a reader goes when the knowledge base did not help.
#[component]
pub fn TicketCta() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="kb-cta" data-testid="kb-ticket-cta">
            <p>
                <strong>{t!(i18n, kb.cta_title)}</strong>
                " "
                {t!(i18n, kb.cta_body)}
            </p>
            <p><a class="btn btn-secondary" href="/nuevo-ticket">{t!(i18n, kb.cta_button)}</a></p>
        </aside>
    }
}
