//! `/entrar` — sign-in form. On success the session context is updated and
//! the user lands on their role's page (or on the protected page that sent
//! them here, `?next=`, when their role may see it).
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::page::Page;
use crate::i18n::*;
use crate::session::{home_for, landing_after_login, use_session, Auth};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);

    let submit = Action::new_local(|(email, password): &(String, String)| {
        api::login(email.clone(), password.clone())
    });
    let pending = submit.pending();

    Effect::new(move |_| {
        let Some(result) = submit.value().get() else {
            return;
        };
        match result {
            Ok(answer) => {
                error.set(None);
                password.set(String::new());
                let next = query.with_untracked(|q| q.get("next"));
                let target = landing_after_login(answer.user.role, next.as_deref());
                session.set_user(answer.user);
                navigate(&target, Default::default());
            }
            Err(e) => error.set(Some(e)),
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        submit.dispatch((
            email.get_untracked().trim().to_string(),
            password.get_untracked(),
        ));
    };

    // The API's own message on 401/429/4xx; our text when the server is unreachable.
    let error_text = move || {
        error.get().map(|e| {
            let text = if e.is_network() {
                t_string!(i18n, login.error_network).to_string()
            } else if e.message.trim().is_empty() || e.status >= 500 {
                t_string!(i18n, login.error_generic).to_string()
            } else {
                e.message
            };
            view! {
                <p class="form-error" role="alert" data-error-code=e.code>
                    {text}
                </p>
            }
        })
    };

    // Someone already signed in who opens /entrar gets a way onwards.
    let already = move || {
        session.auth.with(|a| match a {
            Auth::User(u) => {
                let name = u.name.clone();
                let href = home_for(u.role);
                Some(view! {
                    <div class="notice">
                        <p>{t!(i18n, login.already, name = move || name.clone())}</p>
                        <A href=href attr:class="btn">{t!(i18n, login.go_on)}</A>
                    </div>
                })
            }
            _ => None,
        })
    };

    view! {
        <Page title=|i| t_string!(i, login.title) lead=|i| t_string!(i, login.lead) class="login-page">
            {already}
            <form class="form" on:submit=on_submit>
                {error_text}
                <div class="field">
                    <label for="email">{t!(i18n, login.email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        inputmode="email"
                        required
                        bind:value=email
                    />
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, login.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </div>
                <button type="submit" class="btn" disabled=move || pending.get()>
                    {move || {
                        if pending.get() {
                            t_string!(i18n, login.submitting)
                        } else {
                            t_string!(i18n, login.submit)
                        }
                    }}
                </button>
            </form>
            <p><A href="/olvide" attr:data-testid="forgot-link">{t!(i18n, account.forgot_link)}</A></p>
            <p class="hint">{t!(i18n, login.no_account)}</p>
        </Page>
    }
}
