//! Which page lives in which chunk (issue 14). A few coarse groups, so that a route needs at
//! most a handful of downloads: `public` (home and sign-in: a first visit), `info` (policy,
//! hours), `account_links` (the account links sent by e-mail), `kb` (the public knowledge
//! base), `client` (my tickets: a client's first page after signing in, alone, 85 KB
//! brotli lighter than with the pages below), `account_pages` (Mi póliza, preferences,
//! account, starting a chat), `new_ticket` (the form), `ticket` (a ticket's page, for clients
//! and staff alike), `staff` (the queue, the live chats and the KB editor) and `admin`; and
//! `bell`, the signed-in nav bar's notification bell. Parts of pages loaded after the page is
//! up are declared where they are used (`split_part!`): `ticket_staff` (`pages::ticket`,
//! `pages::ticket::billing`) and `form_extras` (`pages::new_ticket::describe_step`).
//!
//! The route → group table of the build (`xtask/src/spa.rs`, `ROUTE_GROUPS`) must follow this
//! file: it names the chunks a deep link preloads.
//!
//! A signed-in page's gate (`Guarded`) is inside the chunk's view, so the chunk downloads
//! while the session is read instead of after it.
use leptos::prelude::*;

use crate::components::guard::Guarded;
use crate::lazy::{lazy, lazy_or, lazy_quiet};
use crate::pages;
use crate::session::Area;
use crate::split_views;

/// Every route's view has this one type: the route table is compiled once, not per route.
pub type RouteView = fn() -> AnyView;

mod public {
    use super::*;
    split_views!(public:
        home => view! { <pages::home::HomePage /> };
        login => view! { <pages::login::LoginPage /> };
    );
}

mod info {
    use super::*;
    split_views!(info:
        policy => view! { <pages::policy::PolicyPage /> };
        hours => view! { <pages::hours::HoursPage /> };
    );
}

mod account_links {
    use super::*;
    split_views!(account_links:
        activate => view! { <pages::account::ActivatePage /> };
        forgot => view! { <pages::account::ForgotPage /> };
        reset => view! { <pages::account::ResetPage /> };
    );
}

mod kb {
    use super::*;
    split_views!(kb:
        layout => view! { <pages::kb::KbLayout /> };
        home => view! { <pages::kb::KbHomePage /> };
        category => view! { <pages::kb::KbCategoryPage /> };
        article => view! { <pages::kb::KbArticlePage /> };
    );
}

mod client {
    use super::*;
    split_views!(client:
        my_tickets => view! { <Guarded area=Area::Client><pages::my_tickets::MyTicketsPage /></Guarded> };
    );
}

mod account_pages {
    use super::*;
    split_views!(account_pages:
        my_poliza => view! { <Guarded area=Area::Client><pages::my_poliza::MyPolizaPage /></Guarded> };
        preferences => view! { <Guarded><pages::preferences::PreferencesPage /></Guarded> };
        account => view! { <Guarded><pages::account::AccountPage /></Guarded> };
        chat_start => view! { <Guarded area=Area::Client><pages::chat::ChatStartPage /></Guarded> };
    );
}

mod new_ticket {
    use super::*;
    split_views!(new_ticket:
        new_ticket => view! { <Guarded area=Area::Client><pages::new_ticket::NewTicketPage /></Guarded> };
    );
}

mod ticket {
    use super::*;
    split_views!(ticket:
        ticket => view! { <Guarded><pages::ticket::TicketPage /></Guarded> };
    );
}

mod staff {
    use super::*;
    split_views!(staff:
        queue => view! { <Guarded area=Area::Staff><pages::queue::QueuePage /></Guarded> };
        chats => view! { <Guarded area=Area::Staff><pages::chat::ChatQueuePage /></Guarded> };
        kb_list => view! { <Guarded area=Area::Staff><pages::kb_admin::KbAdminListPage /></Guarded> };
        kb_new => view! { <Guarded area=Area::Staff><pages::kb_admin::KbNewArticlePage /></Guarded> };
        kb_edit => view! { <Guarded area=Area::Staff><pages::kb_admin::KbEditArticlePage /></Guarded> };
        kb_stats => view! { <Guarded area=Area::Staff><pages::kb_admin::KbStatsPage /></Guarded> };
    );
}

mod admin {
    use super::*;
    split_views!(admin:
        overview => view! { <Guarded area=Area::Admin><pages::admin::AdminPage /></Guarded> };
        companies => view! { <Guarded area=Area::Admin><pages::admin_companies::CompaniesPage /></Guarded> };
        company => view! { <Guarded area=Area::Admin><pages::admin_companies::CompanyPage /></Guarded> };
        staff => view! { <Guarded area=Area::Admin><pages::admin_companies::StaffPage /></Guarded> };
        prices => view! { <Guarded area=Area::Admin><pages::admin_prices::PricesPage /></Guarded> };
        invoices => view! { <Guarded area=Area::Admin><pages::admin_invoices::InvoicesPage /></Guarded> };
        import => view! { <Guarded area=Area::Admin><pages::admin_tools::ImportPage /></Guarded> };
        audit => view! { <Guarded area=Area::Admin><pages::admin_tools::AuditPage /></Guarded> };
    );
}

mod bell {
    use super::*;
    split_views!(bell:
        bell => view! { <crate::components::bell::NotificationBell /> };
    );
}

/// The notification bell of a signed-in person's nav bar, with its live socket: its own
/// chunk, so the main module every route downloads (public pages too) does not carry it.
pub fn notification_bell() -> AnyView {
    lazy_quiet(bell::bell)
}

/// Declares `pub fn name() -> AnyView` = the lazily loaded view `load`.
macro_rules! routes {
    ($($name:ident = $load:path;)*) => {
        $(pub fn $name() -> AnyView { lazy($load) })*
    };
}

routes! {
    home = public::home;
    login = public::login;
    policy = info::policy;
    hours = info::hours;
    activate = account_links::activate;
    forgot = account_links::forgot;
    reset = account_links::reset;
    my_tickets = client::my_tickets;
    my_poliza = account_pages::my_poliza;
    new_ticket = new_ticket::new_ticket;
    ticket = ticket::ticket;
    preferences = account_pages::preferences;
    account = account_pages::account;
    chat_start = account_pages::chat_start;
    queue = staff::queue;
    chats = staff::chats;
    kb_list = staff::kb_list;
    kb_new = staff::kb_new;
    kb_edit = staff::kb_edit;
    kb_stats = staff::kb_stats;
    admin = admin::overview;
    admin_companies = admin::companies;
    admin_company = admin::company;
    admin_staff = admin::staff;
    admin_prices = admin::prices;
    admin_invoices = admin::invoices;
    admin_import = admin::import;
    admin_audit = admin::audit;
}

// The knowledge base: while its chunk downloads, the server-rendered article stays where
// the page will be (`SsrOrLoading` in main), so the text is never repainted later.
pub fn kb_layout() -> AnyView {
    lazy_or(kb::layout, ssr_or_loading)
}
pub fn kb_home() -> AnyView {
    lazy_or(kb::home, ssr_or_loading)
}
pub fn kb_category() -> AnyView {
    lazy_or(kb::category, ssr_or_loading)
}
pub fn kb_article() -> AnyView {
    lazy_or(kb::article, ssr_or_loading)
}

fn ssr_or_loading() -> AnyView {
    view! { <pages::kb::SsrHold /> }.into_any()
}
