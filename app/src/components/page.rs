//! Page frame: sets the document title and renders the heading and lead.
use leptos::prelude::*;

use crate::i18n::*;
use crate::I18n;

/// Keeps `document.title` as "<page> · Mesa de Soporte" in the current locale.
pub fn set_title(title: impl Fn() -> &'static str + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let app = t_string!(i18n, app.name);
        document().set_title(&format!("{} · {}", title(), app));
    });
}

/// Removes the frame the Worker painted into a signed-in deep link's document (`#boot-frame`,
/// `worker/src/frame.rs`, pages listed in `ROUTE_FRAMES`, `xtask/src/spa.rs`, and a ticket's
/// head): called as the page (or what shows instead of it) renders, in the same task, so the
/// frame gives way without a blank paint in between.
pub fn drop_boot_frame() {
    if let Some(el) = document().get_element_by_id("boot-frame") {
        el.remove();
    }
}

/// A plain page with a title, a lead paragraph and free content.
#[component]
pub fn Page(
    /// The `<h1>` (also used for the document title).
    title: fn(I18n) -> &'static str,
    /// Optional paragraph under the title.
    #[prop(optional)]
    lead: Option<fn(I18n) -> &'static str>,
    /// Extra class for the `<section>`.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || title(i18n));
    drop_boot_frame();
    view! {
        <section class=format!("page {class}")>
            <h1>{move || title(i18n)}</h1>
            {lead.map(|lead| view! { <p class="lead">{move || lead(i18n)}</p> })}
            {children()}
        </section>
    }
}

/// The "coming soon" note of placeholder pages.
#[component]
pub fn Soon(text: fn(I18n) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice">{move || text(i18n)}</p> }
}
