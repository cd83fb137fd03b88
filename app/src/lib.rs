//! Mesa de Soporte — the single-page app (Leptos 0.8, client-side rendered).
//!
//! * `api` — every HTTP call (generic JSON helpers + typed endpoints).
//! * `session` — the signed-in user as a context signal.
//! * `components` — nav bar, language switcher, role gates, page frame.
//! * `pages` — one file per route.
//! * `i18n` — generated at build time from `locales/{es,en}.json`
//!   (es-MX is the default; keys are checked at compile time).

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod components;
pub mod pages;
pub mod session;

/// The i18n context handle (`use_i18n()`), for functions that take it.
pub type I18n = leptos_i18n::I18nContext<i18n::Locale>;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, ProtectedRoute, Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::guard::RoleGate;
use crate::components::nav::NavBar;
use crate::i18n::*;
use crate::pages::{
    admin::AdminPage, home::HomePage, hours::HoursPage, login::LoginPage,
    my_tickets::MyTicketsPage, new_ticket::NewTicketPage, not_found::NotFound, policy::PolicyPage,
    queue::QueuePage, ticket::TicketPage,
};
use crate::session::{Area, Session};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

/// Where an anonymous visitor of a protected page is sent: the sign-in page,
/// remembering the page (only our own fixed paths, see `Area::of_path`).
fn sign_in_redirect() -> String {
    let path = use_location().pathname.get_untracked();
    if Area::of_path(&path).is_some() {
        format!("/entrar?next={path}")
    } else {
        "/entrar".to_string()
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // Runs after leptos_i18n's own start-up effect (effects run in creation
    // order, all before the first paint), so the saved choice wins over the
    // browser's language without a visible flash.
    Effect::new(move |_| components::lang_switch::restore_saved_locale(i18n));
    // Server-rendered KB content that no KB page claimed (see pages::kb).
    Effect::new(|_| pages::kb::drop_unclaimed_ssr());
    let session = Session::provide();
    let signed_in = move || session.signed_in();
    let loading = move || view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> };

    view! {
        <Router>
            <a class="skip-link" href="#main" rel="external">{t!(i18n, app.skip)}</a>
            <NavBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/entrar") view=LoginPage />
                    <Route path=path!("/politica") view=PolicyPage />
                    <Route path=path!("/horario") view=HoursPage />
                    // Same paths as the Worker's server-rendered KB pages (worker/src/ssr.rs).
                    <ParentRoute path=path!("/kb") view=pages::kb::KbLayout>
                        <Route path=path!("") view=pages::kb::KbHomePage />
                        <Route path=path!(":category") view=pages::kb::KbCategoryPage />
                        <Route path=path!(":category/:slug") view=pages::kb::KbArticlePage />
                    </ParentRoute>
                    <ProtectedRoute
                        path=path!("/articulos")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Staff><pages::kb_admin::KbAdminListPage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/articulos/nuevo")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Staff><pages::kb_admin::KbNewArticlePage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/articulos/editar/:slug")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Staff><pages::kb_admin::KbEditArticlePage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/articulos/estadisticas")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Staff><pages::kb_admin::KbStatsPage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/mis-tickets")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Client><MyTicketsPage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/nuevo-ticket")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Client><NewTicketPage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/tickets/:id")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=TicketPage
                    />
                    <ProtectedRoute
                        path=path!("/cola")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Staff><QueuePage /></RoleGate> }
                    />
                    <ProtectedRoute
                        path=path!("/admin")
                        condition=signed_in
                        redirect_path=sign_in_redirect
                        fallback=loading
                        view=|| view! { <RoleGate area=Area::Admin><AdminPage /></RoleGate> }
                    />
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
