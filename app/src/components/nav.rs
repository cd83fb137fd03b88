//! The top bar: brand, role-aware links, the user's name, sign-out, language.
//!
//! Every link carries a stable `data-nav` attribute for the browser tests:
//! kb, policy, hours, login, my-tickets, new-ticket, my-poliza, queue, admin, logout.
use domain::api::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::lang_switch::LangSwitch;
use crate::i18n::*;
use crate::session::{use_session, Auth};
use crate::I18n;

/// One navigation entry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Kb,
    Policy,
    Hours,
    Login,
    MyTickets,
    NewTicket,
    MyPoliza,
    Queue,
    Admin,
    KbAdmin,
}

impl Link {
    fn href(self) -> &'static str {
        match self {
            Link::Kb => "/kb",
            Link::Policy => "/politica",
            Link::Hours => "/horario",
            Link::Login => "/entrar",
            Link::MyTickets => "/mis-tickets",
            Link::NewTicket => "/nuevo-ticket",
            Link::MyPoliza => "/mi-poliza",
            Link::Queue => "/cola",
            Link::Admin => "/admin",
            Link::KbAdmin => "/articulos",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Link::Kb => "kb",
            Link::Policy => "policy",
            Link::Hours => "hours",
            Link::Login => "login",
            Link::MyTickets => "my-tickets",
            Link::NewTicket => "new-ticket",
            Link::MyPoliza => "my-poliza",
            Link::Queue => "queue",
            Link::Admin => "admin",
            Link::KbAdmin => "kb-admin",
        }
    }

    fn label(self, i18n: I18n) -> &'static str {
        match self {
            Link::Kb => t_string!(i18n, nav.kb),
            Link::Policy => t_string!(i18n, nav.policy),
            Link::Hours => t_string!(i18n, nav.hours),
            Link::Login => t_string!(i18n, nav.login),
            Link::MyTickets => t_string!(i18n, nav.my_tickets),
            Link::NewTicket => t_string!(i18n, nav.new_ticket),
            Link::MyPoliza => t_string!(i18n, nav.my_poliza),
            Link::Queue => t_string!(i18n, nav.queue),
            Link::Admin => t_string!(i18n, nav.admin),
            Link::KbAdmin => t_string!(i18n, nav.kb_admin),
        }
    }
}

/// The links shown to a role (`None` = anonymous). Sign-out is separate.
fn links_for(role: Option<Role>) -> &'static [Link] {
    match role {
        None => &[Link::Kb, Link::Policy, Link::Hours, Link::Login],
        Some(Role::Client) => &[Link::MyTickets, Link::NewTicket, Link::MyPoliza, Link::Kb],
        Some(Role::Agent) => &[Link::Queue, Link::Kb, Link::KbAdmin],
        Some(Role::Admin) => &[Link::Queue, Link::Admin, Link::Kb, Link::KbAdmin],
    }
}

#[component]
pub fn NavBar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();

    let role = Memo::new(move |_| session.role());
    let loading = move || session.auth.with(|a| *a == Auth::Loading);
    let user_name = move || {
        session.auth.with(|a| match a {
            Auth::User(u) => Some(u.name.clone()),
            _ => None,
        })
    };

    let on_logout = move |_| spawn_local(session.logout());

    let links = move || {
        // While /api/me is pending, show no role links (avoids a flash of
        // the anonymous menu for a signed-in user).
        if loading() {
            return Vec::new();
        }
        links_for(role.get())
            .iter()
            .map(|&link| {
                view! {
                    <li>
                        <A href=link.href() attr:data-nav=link.key()>
                            {move || link.label(i18n)}
                        </A>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };

    view! {
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"MS"</span>
                    <span class="brand-name">{t!(i18n, app.name)}</span>
                </A>
                <LangSwitch />
            </div>
            <nav class="main-nav" aria-label=move || t_string!(i18n, nav.label)>
                <ul class="nav-links">{links}</ul>
                {move || {
                    user_name()
                        .map(|name| {
                            view! {
                                <div class="nav-user">
                                    // Its width is kept from the start: the bell's chunk and its
                                    // count arrive later and must not push the name aside.
                                    <span class="bell-slot">{crate::routes::notification_bell()}</span>
                                    <A href="/cuenta" attr:class="user-name" attr:data-user-name="" attr:data-nav="account"
                                        attr:title=move || t_string!(i18n, nav.account)>
                                        <span class="visually-hidden">
                                            {t!(i18n, nav.signed_in_as)} " "
                                        </span>
                                        {name}
                                    </A>
                                    <button
                                        type="button"
                                        class="btn btn-ghost"
                                        data-nav="logout"
                                        on:click=on_logout
                                    >
                                        {t!(i18n, nav.logout)}
                                    </button>
                                </div>
                            }
                        })
                }}
            </nav>
        </header>
    }
}
