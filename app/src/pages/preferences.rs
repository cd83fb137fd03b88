//! `/preferencias` — notification preferences (issue 11): in-app notices always arrive;
//! per kind the reader turns its e-mail on or off (the kinds a client must get cannot be
//! turned off), and picks the language of e-mails and notices.
//! `GET` / `PUT /api/me/preferences`.
use domain::api::notifications::{Preferences, PreferencesUpdate};
use domain::notify::Kind;
use domain::validation::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::page::Page;
use crate::components::tickets::{error_text, is_en};
use crate::i18n::*;
use crate::session::{use_session, Auth};

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = move || {
        session.auth.with(|a| match a {
            Auth::User(u) => Some(u.role),
            _ => None,
        })
    };
    let prefs = RwSignal::new(None::<Preferences>);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    spawn_local(async move {
        match api::preferences().await {
            Ok(p) => prefs.set(Some(p)),
            Err(e) => error.set(Some(error_text(i18n, &e))),
        }
    });
    let toggle = move |kind: Kind, email_on: bool| {
        saved.set(false);
        prefs.update(|p| {
            if let Some(p) = p {
                for k in p.kinds.iter_mut().filter(|k| k.kind == kind) {
                    k.muted = !email_on;
                }
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = prefs.get_untracked() else {
            return;
        };
        let body = PreferencesUpdate {
            lang: Some(p.lang.clone()),
            muted: Some(
                p.kinds
                    .iter()
                    .filter(|k| k.muted && !k.mandatory)
                    .map(|k| k.kind.as_str().to_string())
                    .collect(),
            ),
        };
        spawn_local(async move {
            match api::put_preferences(&body).await {
                Ok(p) => {
                    prefs.set(Some(p));
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let rows = move || {
        let lang = if is_en(i18n) { Lang::En } else { Lang::Es };
        let role = role();
        prefs.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.kinds
                        .iter()
                        .filter(|k| role.is_some_and(|r| k.kind.reaches(r)))
                        .map(|k| {
                            let kind = k.kind;
                            let id = format!("pref-{}", kind.as_str());
                            view! {
                                <tr data-pref=kind.as_str()>
                                    <th scope="row"><label for=id.clone()>{kind.label(lang)}</label></th>
                                    <td>{t!(i18n, prefs.always)}</td>
                                    <td>
                                        <input
                                            type="checkbox"
                                            id=id
                                            data-pref-email=kind.as_str()
                                            prop:checked=!k.muted
                                            disabled=k.mandatory
                                            on:change=move |ev| toggle(kind, event_target_checked(&ev))
                                        />
                                        {k.mandatory.then(|| view! { " " <span class="hint">{t!(i18n, prefs.required)}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let lang_value = move || prefs.with(|p| p.as_ref().map(|p| p.lang.clone()).unwrap_or_default());
    view! {
        <Page title=|i| t_string!(i, prefs.title) lead=|i| t_string!(i, prefs.lead) class="preferences-page">
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <Show when=move || prefs.with(Option::is_some) fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                <form data-testid="preferences" on:submit=save>
                    <div class="field">
                        <label for="pref-lang">{t!(i18n, prefs.lang)}</label>
                        <select
                            id="pref-lang"
                            data-testid="pref-lang"
                            prop:value=lang_value
                            on:change=move |ev| {
                                saved.set(false);
                                let v = event_target_value(&ev);
                                prefs.update(|p| if let Some(p) = p { p.lang = v; });
                            }
                        >
                            <option value="es">"Español (México)"</option>
                            <option value="en">"English"</option>
                        </select>
                    </div>
                    <table class="prefs-table">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, prefs.kind)}</th>
                                <th scope="col">{t!(i18n, prefs.in_app)}</th>
                                <th scope="col">{t!(i18n, prefs.email)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <div class="actions">
                        <button type="submit" class="btn" data-testid="pref-save">{t!(i18n, prefs.save)}</button>
                    </div>
                    <Show when=move || saved.get()>
                        <p class="notice" role="status" data-testid="pref-saved">{t!(i18n, prefs.saved)}</p>
                    </Show>
                </form>
            </Show>
        </Page>
    }
}
