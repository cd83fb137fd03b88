//! `/cola` — the agents' queue (placeholder).
//! Reached only through `ProtectedRoute` + `RoleGate` (see `lib.rs`).
use leptos::prelude::*;

use crate::components::page::{Page, Soon};
use crate::i18n::*;

#[component]
pub fn QueuePage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, queue.title) lead=|i| t_string!(i, queue.lead) class="queue-page">
            <Soon text=|i| t_string!(i, queue.soon) />
        </Page>
    }
}
