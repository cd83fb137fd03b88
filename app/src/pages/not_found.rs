//! Fallback for unknown routes.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page::set_title;
use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    // Server-rendered KB content of a path below /kb that no KB page matched.
    super::kb::drop_ssr();
    set_title(move || t_string!(i18n, errors.not_found_title));
    view! {
        <section class="page error-page" data-error="404">
            <p class="error-code" aria-hidden="true">"404"</p>
            <h1>{t!(i18n, errors.not_found_title)}</h1>
            <p>{t!(i18n, errors.not_found_body)}</p>
            <p>
                <A href="/">{t!(i18n, errors.go_home)}</A>
            </p>
        </section>
    }
}
