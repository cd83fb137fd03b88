//! Role gates for the protected areas and the 403 / 404 views.
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use crate::i18n::*;
use crate::session::{area_of_path, use_session, Area};

/// The one gate of every signed-in page: "loading" while the session is read, anonymous
/// visitors to the sign-in page (coming back here afterwards), a role that may not enter
/// `area` to a 403-style message; `area: None` = any signed-in user.
#[component]
pub fn Guarded(#[prop(optional)] area: Option<Area>, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    move || match session.signed_in() {
        None => {
            view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any()
        }
        Some(false) => {
            super::page::drop_boot_frame();
            view! { <Redirect path=sign_in_redirect() /> }.into_any()
        }
        Some(true) => match (area, session.role()) {
            (None, _) => children().into_any(),
            (Some(area), Some(role)) if area.allows(role) => children().into_any(),
            _ => {
                super::page::drop_boot_frame();
                view! { <Forbidden /> }.into_any()
            }
        },
    }
}

/// Where an anonymous visitor of a protected page is sent: the sign-in page,
/// remembering the page (only our own fixed paths, see `area_of_path`).
fn sign_in_redirect() -> String {
    let path = use_location().pathname.get_untracked();
    if area_of_path(&path).is_some() {
        format!("/entrar?next={path}")
    } else {
        "/entrar".to_string()
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
