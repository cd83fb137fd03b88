//! `/admin` — administration: companies, users, services, pólizas… (placeholder).
//! Reached only through `ProtectedRoute` + `RoleGate` (see `lib.rs`).
use leptos::prelude::*;

use crate::components::page::{Page, Soon};
use crate::i18n::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, admin.title) lead=|i| t_string!(i, admin.lead) class="admin-page">
            <Soon text=|i| t_string!(i, admin.soon) />
        </Page>
    }
}
