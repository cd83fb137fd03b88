//! `/` — welcome; shortcuts that depend on who is looking.
use domain::api::Role;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page::Page;
use crate::i18n::*;
use crate::session::{use_session, Auth};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();

    let body = move || match session.auth.get() {
        Auth::Loading => ().into_any(),
        Auth::Anonymous => view! { <AnonymousHome /> }.into_any(),
        Auth::User(user) => {
            let name = user.name.clone();
            let hint = if user.role == Role::Client {
                view! {
                    <p>{t!(i18n, home.client_hint)}</p>
                    <p class="actions">
                        <A href="/mis-tickets" attr:class="btn">{t!(i18n, nav.my_tickets)}</A>
                        <A href="/nuevo-ticket" attr:class="btn btn-secondary">
                            {t!(i18n, nav.new_ticket)}
                        </A>
                        <A href="/chat" attr:class="btn btn-secondary" attr:data-testid="home-chat">
                            {t!(i18n, live.title)}
                        </A>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p>{t!(i18n, home.staff_hint)}</p>
                    <p class="actions">
                        <A href="/cola" attr:class="btn">{t!(i18n, nav.queue)}</A>
                        <A href="/chats" attr:class="btn btn-secondary" attr:data-testid="home-chats">
                            {t!(i18n, live.queue_title)}
                        </A>
                    </p>
                }
                .into_any()
            };
            view! {
                <h2>{t!(i18n, home.greeting, name = move || name.clone())}</h2>
                {hint}
            }
            .into_any()
        }
    };

    view! {
        <Page title=|i| t_string!(i, home.title) lead=|i| t_string!(i, home.lead) class="home-page">
            {body}
        </Page>
    }
}

#[component]
fn AnonymousHome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, home.anon_heading)}</h2>
        <ul class="cards">
            <li class="card">
                <A href="/kb">{t!(i18n, home.kb_title)}</A>
                <p>{t!(i18n, home.kb_desc)}</p>
            </li>
            <li class="card">
                <A href="/politica">{t!(i18n, home.policy_title)}</A>
                <p>{t!(i18n, home.policy_desc)}</p>
            </li>
            <li class="card">
                <A href="/horario">{t!(i18n, home.hours_title)}</A>
                <p>{t!(i18n, home.hours_desc)}</p>
            </li>
            <li class="card card-accent">
                <A href="/entrar">{t!(i18n, home.login_title)}</A>
                <p>{t!(i18n, home.login_desc)}</p>
            </li>
        </ul>
    }
}
