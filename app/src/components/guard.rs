//! Role gates for the protected areas and the 403 / 404 views.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::session::{use_session, Area};

/// Renders `children` only when the signed-in user's role may enter `area`;
/// otherwise a 403-style message. (Anonymous visitors never get here:
/// `ProtectedRoute` already redirected them to `/entrar`.)
#[component]
pub fn RoleGate(area: Area, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || match session.role() {
        Some(role) if area.allows(role) => children().into_any(),
        _ => view! { <Forbidden /> }.into_any(),
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    super::page::set_title(move || t_string!(i18n, errors.forbidden_title));
    view! {
        <section class="page error-page" data-error="403">
            <p class="error-code" aria-hidden="true">"403"</p>
            <h1>{t!(i18n, errors.forbidden_title)}</h1>
            <p>{t!(i18n, errors.forbidden_body)}</p>
            <p>
                <A href="/">{t!(i18n, errors.go_home)}</A>
            </p>
        </section>
    }
}
