//! `/mis-tickets` — the client's tickets (placeholder).
//! Reached only through `ProtectedRoute` + `RoleGate` (see `lib.rs`).
use leptos::prelude::*;

use crate::components::page::{Page, Soon};
use crate::i18n::*;

#[component]
pub fn MyTicketsPage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, my_tickets.title) lead=|i| t_string!(i, my_tickets.lead) class="my-tickets-page">
            <Soon text=|i| t_string!(i, my_tickets.soon) />
        </Page>
    }
}
