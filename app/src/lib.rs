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
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::path;

use crate::components::guard::Guarded;
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

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // Runs after leptos_i18n's own start-up effect (effects run in creation
    // order, all before the first paint), so the saved choice wins over the
    // browser's language without a visible flash.
    Effect::new(move |_| components::lang_switch::restore_saved_locale(i18n));
    // Server-rendered KB content that no KB page claimed (see pages::kb).
    Effect::new(|_| pages::kb::drop_unclaimed_ssr());
    Session::provide();

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
                    <Route path=path!("/articulos") view=|| view! { <Guarded area=Area::Staff><pages::kb_admin::KbAdminListPage /></Guarded> } />
                    <Route path=path!("/articulos/nuevo") view=|| view! { <Guarded area=Area::Staff><pages::kb_admin::KbNewArticlePage /></Guarded> } />
                    <Route path=path!("/articulos/editar/:slug") view=|| view! { <Guarded area=Area::Staff><pages::kb_admin::KbEditArticlePage /></Guarded> } />
                    <Route path=path!("/articulos/estadisticas") view=|| view! { <Guarded area=Area::Staff><pages::kb_admin::KbStatsPage /></Guarded> } />
                    <Route path=path!("/mis-tickets") view=|| view! { <Guarded area=Area::Client><MyTicketsPage /></Guarded> } />
                    <Route path=path!("/mi-poliza") view=|| view! { <Guarded area=Area::Client><pages::my_poliza::MyPolizaPage /></Guarded> } />
                    <Route path=path!("/nuevo-ticket") view=|| view! { <Guarded area=Area::Client><NewTicketPage /></Guarded> } />
                    <Route path=path!("/tickets/:id") view=|| view! { <Guarded><TicketPage /></Guarded> } />
                    <Route path=path!("/preferencias") view=|| view! { <Guarded><pages::preferences::PreferencesPage /></Guarded> } />
                    <Route path=path!("/cola") view=|| view! { <Guarded area=Area::Staff><QueuePage /></Guarded> } />
                    <Route path=path!("/admin") view=|| view! { <Guarded area=Area::Admin><AdminPage /></Guarded> } />
                    <Route path=path!("/admin/empresas") view=|| view! { <Guarded area=Area::Admin><pages::admin_companies::CompaniesPage /></Guarded> } />
                    <Route path=path!("/admin/empresas/:id") view=|| view! { <Guarded area=Area::Admin><pages::admin_companies::CompanyPage /></Guarded> } />
                    <Route path=path!("/admin/personal") view=|| view! { <Guarded area=Area::Admin><pages::admin_companies::StaffPage /></Guarded> } />
                    <Route path=path!("/admin/tabulador") view=|| view! { <Guarded area=Area::Admin><pages::admin_prices::PricesPage /></Guarded> } />
                    <Route path=path!("/admin/facturas") view=|| view! { <Guarded area=Area::Admin><pages::admin_invoices::InvoicesPage /></Guarded> } />
                    <Route path=path!("/admin/importar") view=|| view! { <Guarded area=Area::Admin><pages::admin_tools::ImportPage /></Guarded> } />
                    <Route path=path!("/admin/auditoria") view=|| view! { <Guarded area=Area::Admin><pages::admin_tools::AuditPage /></Guarded> } />
                    <Route path=path!("/cuenta") view=|| view! { <Guarded><pages::account::AccountPage /></Guarded> } />
                    <Route path=path!("/activar") view=pages::account::ActivatePage />
                    <Route path=path!("/olvide") view=pages::account::ForgotPage />
                    <Route path=path!("/restablecer") view=pages::account::ResetPage />
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
