//! es / en switcher. leptos_i18n keeps the choice in a cookie, so it survives
//! reloads; without a cookie the browser's language decides.
use leptos::prelude::*;

use crate::i18n::*;

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
                aria-label=name
                aria-pressed=move || if active() { "true" } else { "false" }
                on:click=move |_| i18n.set_locale(locale)
            >
                {code.to_uppercase()}
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
