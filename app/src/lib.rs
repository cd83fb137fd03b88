//! Mesa de Soporte — the single-page app (Leptos 0.8, client-side rendered).
//!
//! * `api` — every HTTP call (generic JSON helpers + typed endpoints).
//! * `session` — the signed-in user as a context signal.
//! * `components` — nav bar, language switcher, role gates, page frame.
//! * `pages` — one file per route.
//! * `routes` / `lazy` — which chunk each page is downloaded in (code splitting).
//! * `i18n` — generated at build time from `locales/{es,en}.json`
//!   (es-MX is the default; keys are checked at compile time).

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod components;
pub mod lazy;
pub mod live;
pub mod pages;
pub mod routes;
pub mod session;

/// The i18n context handle (`use_i18n()`), for functions that take it.
pub type I18n = leptos_i18n::I18nContext<i18n::Locale>;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::path;

use crate::components::nav::NavBar;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::routes::RouteView;
use crate::session::Session;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // Runs after leptos_i18n's own start-up effect (effects run in creation
    // order, all before the first paint), so the saved choice wins over the
    // browser's language without a visible flash.
    Effect::new(move |_| components::lang_switch::restore_saved_locale(i18n));
    // The server-rendered page's header: this shell's own takes its place.
    pages::kb::drop_ssr_chrome();
    // Server-rendered KB content that no KB page claimed (see pages::kb).
    Effect::new(|_| pages::kb::drop_unclaimed_ssr());
    Session::provide();

    view! {
        <Router>
            <a class="skip-link" href="#main" rel="external">{t!(i18n, app.skip)}</a>
            <NavBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view={routes::home as RouteView} />
                    <Route path=path!("/entrar") view={routes::login as RouteView} />
                    <Route path=path!("/politica") view={routes::policy as RouteView} />
                    <Route path=path!("/horario") view={routes::hours as RouteView} />
                    // Same paths as the Worker's server-rendered KB pages (worker/src/ssr.rs).
                    <ParentRoute path=path!("/kb") view={routes::kb_layout as RouteView}>
                        <Route path=path!("") view={routes::kb_home as RouteView} />
                        <Route path=path!(":category") view={routes::kb_category as RouteView} />
                        <Route path=path!(":category/:slug") view={routes::kb_article as RouteView} />
                    </ParentRoute>
                    <Route path=path!("/articulos") view={routes::kb_list as RouteView} />
                    <Route path=path!("/articulos/nuevo") view={routes::kb_new as RouteView} />
                    <Route path=path!("/articulos/editar/:slug") view={routes::kb_edit as RouteView} />
                    <Route path=path!("/articulos/estadisticas") view={routes::kb_stats as RouteView} />
                    <Route path=path!("/mis-tickets") view={routes::my_tickets as RouteView} />
                    <Route path=path!("/mi-poliza") view={routes::my_poliza as RouteView} />
                    <Route path=path!("/nuevo-ticket") view={routes::new_ticket as RouteView} />
                    <Route path=path!("/tickets/:id") view={routes::ticket as RouteView} />
                    <Route path=path!("/preferencias") view={routes::preferences as RouteView} />
                    <Route path=path!("/cola") view={routes::queue as RouteView} />
                    <Route path=path!("/chat") view={routes::chat_start as RouteView} />
                    <Route path=path!("/chats") view={routes::chats as RouteView} />
                    <Route path=path!("/admin") view={routes::admin as RouteView} />
                    <Route path=path!("/admin/empresas") view={routes::admin_companies as RouteView} />
                    <Route path=path!("/admin/empresas/:id") view={routes::admin_company as RouteView} />
                    <Route path=path!("/admin/personal") view={routes::admin_staff as RouteView} />
                    <Route path=path!("/admin/tabulador") view={routes::admin_prices as RouteView} />
                    <Route path=path!("/admin/facturas") view={routes::admin_invoices as RouteView} />
                    <Route path=path!("/admin/importar") view={routes::admin_import as RouteView} />
                    <Route path=path!("/admin/auditoria") view={routes::admin_audit as RouteView} />
                    <Route path=path!("/cuenta") view={routes::account as RouteView} />
                    <Route path=path!("/activar") view={routes::activate as RouteView} />
                    <Route path=path!("/olvide") view={routes::forgot as RouteView} />
                    <Route path=path!("/restablecer") view={routes::reset as RouteView} />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t!(i18n, app.footer)}</p>
                <p>
                    <A href="/politica">{t!(i18n, app.footer_policy)}</A>
                    " · "
                    <a href="/politica#contacto" data-nav="contact">{t!(i18n, app.footer_contact)}</a>
                </p>
            </footer>
        </Router>
    }
}
