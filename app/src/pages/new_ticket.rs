//! `/nuevo-ticket` — open a ticket (placeholder).
//! Reached only through `ProtectedRoute` + `RoleGate` (see `lib.rs`).
use leptos::prelude::*;

use crate::components::page::{Page, Soon};
use crate::i18n::*;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, new_ticket.title) lead=|i| t_string!(i, new_ticket.lead) class="new-ticket-page">
            <Soon text=|i| t_string!(i, new_ticket.soon) />
        </Page>
    }
}
