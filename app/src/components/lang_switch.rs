//! es / en switcher. The choice is kept in localStorage (`lang`, and a `lang` cookie for the
//! Worker's page frames), so it
//! survives reloads; without a saved choice the browser's language decides
//! (es-MX is the default when it is neither Spanish nor English).
use leptos::prelude::*;

use crate::i18n::*;
use crate::I18n;

const STORAGE_KEY: &str = "lang";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Applies the language saved by an earlier visit, if any (call it from an
/// effect: leptos_i18n sets the browser's language in an effect of its own).
pub fn restore_saved_locale(i18n: I18n) {
    let saved = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|v| v.parse::<Locale>().ok());
    if let Some(locale) = saved {
        if locale != i18n.get_locale_untracked() {
            i18n.set_locale(locale);
        }
        // A choice saved before the cookie existed reaches the Worker from now on.
        remember(locale.as_ref());
    }
}

/// The choice as a cookie too: the Worker paints a signed-in deep link's frame in this
/// language (worker/src/frame.rs) before the app can read its storage.
fn remember(code: &str) {
    let cookie = format!("{STORAGE_KEY}={code}; path=/; max-age=31536000; samesite=lax");
    let _ = js_sys::Reflect::set(&document(), &"cookie".into(), &cookie.into());
}

fn choose(i18n: I18n, locale: Locale) {
    i18n.set_locale(locale);
    let code: &str = locale.as_ref();
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, code);
    }
    remember(code);
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let button = move |locale: Locale, code: &'static str, name: &'static str| {
        let active = move || i18n.get_locale() == locale;
        view! {
            <button
                type="button"
                class="lang-btn"
                data-lang=code
                lang=code
                title=name
                aria-pressed=move || if active() { "true" } else { "false" }
                on:click=move |_| choose(i18n, locale)
            >
                // The name read out starts with what is shown ("ES, Español"), so a voice
                // command naming the visible label works (WCAG 2.5.3).
                {code.to_uppercase()}
                <span class="visually-hidden">", "{name}</span>
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, lang.label)>
            {button(Locale::es, "es", td_string!(Locale::es, lang.es))}
            {button(Locale::en, "en", td_string!(Locale::en, lang.en))}
        </div>
    }
}
