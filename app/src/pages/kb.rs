//! `/kb` — knowledge base (placeholder; search and articles come later).
use leptos::prelude::*;

use crate::components::page::{Page, Soon};
use crate::i18n::*;

#[component]
pub fn KbPage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, kb.title) lead=|i| t_string!(i, kb.lead) class="kb-page">
            <Soon text=|i| t_string!(i, kb.soon) />
        </Page>
    }
}
