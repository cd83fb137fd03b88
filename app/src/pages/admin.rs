//! `/admin` — administration overview: every company with its póliza, overdue invoices,
//! open tickets and flagged messages, and the clients whose messages staff flagged as
//! abusive (P27), most flagged first. Reached only through `Guarded`
//! (admins; see `lib.rs`). Managing companies, people, pólizas, the CSV import and the
//! audit trail are the other admin pages (`admin_companies`, `admin_tools`).
use domain::api::{CompanyView, FlagCount};
use leptos::prelude::*;

use crate::api;
use crate::components::page::Page;
use crate::components::tickets::{error_text, fmt_time, loc};
use crate::i18n::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(|| async { (api::companies().await, api::admin_flags().await) });
    view! {
        <Page title=|i| t_string!(i, admin.title) lead=|i| t_string!(i, admin.lead) class="admin-page wide">
            <crate::components::admin::AdminTabs />
            {move || match data.get() {
                None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                Some((Ok(companies), Ok(flags))) => view! {
                    <Companies companies />
                    <Flags flags />
                }.into_any(),
                Some((Err(e), _)) | Some((_, Err(e))) => {
                    view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any()
                }
            }}
        </Page>
    }
}

#[component]
fn Companies(companies: Vec<CompanyView>) -> impl IntoView {
    let i18n = use_i18n();
    let yes_no = move |b: bool| {
        if b {
            t_string!(i18n, admin.yes)
        } else {
            t_string!(i18n, admin.no)
        }
    };
    let rows = companies
        .into_iter()
        .map(|c| {
            let plan = c.contract.as_ref().map_or_else(
                || t_string!(i18n, admin.no_contract).to_string(),
                |k| format!("{} · {}/{} h", loc(i18n, &k.plan_label), k.hours_remaining, k.hours_total),
            );
            let flagged = c.flagged_messages.unwrap_or(0);
            let flagged_class = if flagged > 0 { "num is-alert" } else { "num" };
            view! {
                <tr data-testid="admin-company" data-id=c.id.clone() data-flagged=flagged.to_string()>
                    <th scope="row"><leptos_router::components::A href=format!("/admin/empresas/{}", c.id)>{c.name}</leptos_router::components::A></th>
                    <td>{plan}</td>
                    <td>{yes_no(c.has_overdue_invoice)}</td>
                    <td class="num">{c.open_tickets}</td>
                    <td class=flagged_class>{flagged}</td>
                    <td>{yes_no(c.suspended)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.companies)}</h2>
            <div class="table-wrap" tabindex="0">
                <table data-testid="admin-companies">
                    <thead><tr>
                        <th scope="col">{t!(i18n, admin.company)}</th>
                        <th scope="col">{t!(i18n, admin.contract)}</th>
                        <th scope="col">{t!(i18n, admin.overdue)}</th>
                        <th scope="col">{t!(i18n, admin.open_tickets)}</th>
                        <th scope="col">{t!(i18n, admin.flagged)}</th>
                        <th scope="col">{t!(i18n, admin.suspended)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Flags(flags: Vec<FlagCount>) -> impl IntoView {
    let i18n = use_i18n();
    if flags.is_empty() {
        return view! {
            <section class="card"><h2>{t!(i18n, admin.flags)}</h2><p class="hint" data-testid="admin-flags-none">{t!(i18n, admin.flags_none)}</p></section>
        }
        .into_any();
    }
    let rows = flags
        .into_iter()
        .map(|f| {
            view! {
                <tr data-testid="admin-flag" data-user=f.user.id.clone() data-count=f.flagged_messages.to_string()>
                    <th scope="row">{f.user.name}<br /><span class="hint">{f.email}</span></th>
                    <td>{f.company.name}</td>
                    <td class="num">{f.flagged_messages}</td>
                    <td>{fmt_time(i18n, &f.last_flagged_at)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.flags)}</h2>
            <p class="hint">{t!(i18n, admin.flags_hint)}</p>
            <div class="table-wrap" tabindex="0">
                <table data-testid="admin-flags">
                    <thead><tr>
                        <th scope="col">{t!(i18n, admin.user)}</th>
                        <th scope="col">{t!(i18n, admin.company)}</th>
                        <th scope="col">{t!(i18n, admin.flagged)}</th>
                        <th scope="col">{t!(i18n, admin.last_flagged)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
