//! Accounts (issue 12): `/activar?token=` (set the password from an invitation; signs in),
//! `/olvide` (ask for a reset link), `/restablecer?token=` (set a new password) and
//! `/cuenta` (profile — name, language, phone — and change password). The password rules
//! are the server's (`domain::accounts`); their errors show under the field they are about.
use domain::api::admin::PatchMeRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::admin::{FieldError, FormError};
use crate::components::page::Page;
use crate::components::tickets::{is_en, loc};
use crate::i18n::*;
use crate::session::{home_for, use_session};

/// A local check before sending: both copies of the new password agree.
fn mismatch(i18n: crate::I18n, field: &str) -> ApiError {
    let text = domain::api::LocalizedText::new(
        t_string!(i18n, account.mismatch).to_string(),
        t_string!(i18n, account.mismatch).to_string(),
    );
    ApiError {
        status: 422,
        code: "password_mismatch".into(),
        message: text.es.clone(),
        messages: Some(text),
        field: Some(field.into()),
    }
}

#[component]
fn NewPassword(
    password: RwSignal<String>,
    confirm: RwSignal<String>,
    err: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="new-password">{t!(i18n, account.password)}</label>
            <input id="new-password" type="password" autocomplete="new-password" data-testid="new-password" required bind:value=password />
            <p class="hint">{t!(i18n, account.password_hint)}</p>
            <FieldError err field />
        </div>
        <div class="field">
            <label for="confirm-password">{t!(i18n, account.confirm)}</label>
            <input id="confirm-password" type="password" autocomplete="new-password" data-testid="confirm-password" required bind:value=confirm />
            <FieldError err field="confirm" />
        </div>
    }
}

/// `/activar` and `/restablecer`: the token from the link and a new password.
#[component]
fn TokenForm(activate: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let (password, confirm) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let err = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let has_token = !token.is_empty();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != confirm.get_untracked() {
            err.set(Some(mismatch(i18n, "confirm")));
            return;
        }
        err.set(None);
        busy.set(true);
        let (token, pw, navigate) = (token.clone(), password.get_untracked(), navigate.clone());
        spawn_local(async move {
            if activate {
                match api::activate(token, pw).await {
                    Ok(answer) => {
                        let home = home_for(answer.user.role);
                        session.set_user(answer.user);
                        navigate(home, Default::default());
                    }
                    Err(e) => err.set(Some(e)),
                }
            } else {
                match api::reset_password(token, pw).await {
                    Ok(m) => done.set(Some(loc(i18n, &m.message))),
                    Err(e) => err.set(Some(e)),
                }
            }
            busy.set(false);
        });
    };
    let field = "password";
    view! {
        {(!has_token).then(|| view! { <p class="form-error" role="alert">{t!(i18n, account.no_token)}</p> })}
        {move || done.get().map(|m| view! {
            <div class="notice" role="status" data-testid="account-done"><p>{m}</p>
                <A href="/entrar" attr:class="btn">{t!(i18n, account.to_login)}</A></div>
        })}
        <form class="form" data-testid="token-form" on:submit=on_submit>
            <FormError err fields=&["password", "confirm"] />
            <NewPassword password confirm err field />
            <button type="submit" class="btn" data-testid="token-submit" disabled=move || busy.get() || !has_token>
                {if activate { t_string!(i18n, account.submit_activate) } else { t_string!(i18n, account.submit_reset) }}
            </button>
        </form>
    }
}

#[component]
pub fn ActivatePage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, account.activate_title) lead=|i| t_string!(i, account.activate_lead) class="login-page">
            <TokenForm activate=true />
        </Page>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, account.reset_title) lead=|i| t_string!(i, account.reset_lead) class="login-page">
            <TokenForm activate=false />
        </Page>
    }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let err = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        err.set(None);
        let e = email.get_untracked();
        spawn_local(async move {
            match api::forgot(e.trim().to_string()).await {
                Ok(m) => done.set(Some(loc(i18n, &m.message))),
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <Page title=|i| t_string!(i, account.forgot_title) lead=|i| t_string!(i, account.forgot_lead) class="login-page">
            {move || done.get().map(|m| view! { <p class="notice" role="status" data-testid="forgot-done">{m}</p> })}
            <form class="form" data-testid="forgot-form" on:submit=on_submit>
                <FormError err fields=&["email"] />
                <div class="field">
                    <label for="forgot-email">{t!(i18n, login.email)}</label>
                    <input id="forgot-email" type="email" inputmode="email" autocomplete="username" required bind:value=email />
                    <FieldError err field="email" />
                </div>
                <button type="submit" class="btn">{t!(i18n, account.send_link)}</button>
            </form>
        </Page>
    }
}

/// `/cuenta`: profile and password of the signed-in person.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.auth.with_untracked(|a| match a {
        crate::session::Auth::User(u) => Some(u.clone()),
        _ => None,
    });
    let name = RwSignal::new(me.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let phone = RwSignal::new(
        me.as_ref()
            .and_then(|u| u.phone.clone())
            .unwrap_or_default(),
    );
    let language = RwSignal::new(if is_en(i18n) {
        "en".to_string()
    } else {
        "es".to_string()
    });
    spawn_local(async move {
        if let Ok(p) =
            api::get_json::<domain::api::notifications::Preferences>("/api/me/preferences").await
        {
            language.set(p.lang);
        }
    });
    let err = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let on_profile = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let body = PatchMeRequest {
            name: Some(name.get_untracked()),
            language: Some(language.get_untracked()),
            phone: Some(phone.get_untracked()),
        };
        spawn_local(async move {
            match api::patch_me(body).await {
                Ok(user) => {
                    err.set(None);
                    saved.set(true);
                    session.set_user(user);
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <Page title=|i| t_string!(i, account.title) lead=|i| t_string!(i, account.lead) class="account-page">
            <section class="card">
                <h2>{t!(i18n, account.profile)}</h2>
                <form class="form" data-testid="profile-form" on:submit=on_profile>
                    <FormError err fields=&["name", "phone", "language"] />
                    <div class="field">
                        <label for="me-name">{t!(i18n, account.name)}</label>
                        <input id="me-name" data-testid="me-name" required bind:value=name />
                        <FieldError err field="name" />
                    </div>
                    <div class="field">
                        <label for="me-phone">{t!(i18n, account.phone)}</label>
                        <input id="me-phone" type="tel" data-testid="me-phone" bind:value=phone />
                        <FieldError err field="phone" />
                    </div>
                    <div class="field">
                        <label for="me-lang">{t!(i18n, account.language)}</label>
                        <select id="me-lang" data-testid="me-lang" on:change=move |ev| language.set(event_target_value(&ev))>
                            <option value="es" selected=move || language.get() == "es">"Español (México)"</option>
                            <option value="en" selected=move || language.get() == "en">"English"</option>
                        </select>
                        <FieldError err field="language" />
                    </div>
                    {move || saved.get().then(|| view! { <p class="notice" role="status" data-testid="profile-saved">{t!(i18n, account.saved)}</p> })}
                    <button type="submit" class="btn" data-testid="profile-submit">{t!(i18n, account.save)}</button>
                </form>
            </section>
            <ChangePassword />
        </Page>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let (password, confirm) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let err = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        if password.get_untracked() != confirm.get_untracked() {
            err.set(Some(mismatch(i18n, "confirm")));
            return;
        }
        err.set(None);
        let (c, n) = (current.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::change_password(c, n).await {
                Ok(m) => {
                    done.set(Some(loc(i18n, &m.message)));
                    current.set(String::new());
                    password.set(String::new());
                    confirm.set(String::new());
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    let field = "new";
    view! {
        <section class="card">
            <h2>{t!(i18n, account.change_password)}</h2>
            <form class="form" data-testid="password-form" on:submit=on_submit>
                <FormError err fields=&["current", "new", "confirm"] />
                <div class="field">
                    <label for="current-password">{t!(i18n, account.current)}</label>
                    <input id="current-password" type="password" autocomplete="current-password" data-testid="current-password" required bind:value=current />
                    <FieldError err field="current" />
                </div>
                <NewPassword password confirm err field />
                {move || done.get().map(|m| view! { <p class="notice" role="status" data-testid="password-done">{m}</p> })}
                <button type="submit" class="btn" data-testid="password-submit">{t!(i18n, account.submit_reset)}</button>
            </form>
        </section>
    }
}
