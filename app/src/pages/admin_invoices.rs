//! `/admin/facturas`: per-event invoices (P26) — all, unpaid, overdue or paid; mark one paid
//! with its date and reference, which lifts the company's "with debts" at once (P19).
use domain::api::billing::{InvoicePaidRequest, InvoiceStatus, InvoiceView};
use domain::billing::format_mxn;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::admin::{AdminTabs, FieldError, FormError};
use crate::components::invoices::{invoice_status_label, invoice_status_str};
use crate::components::page::Page;
use crate::components::tickets::error_text;
use crate::i18n::*;
use crate::I18n;

const FILTERS: [&str; 4] = ["all", "unpaid", "overdue", "paid"];

fn filter_label(i18n: I18n, f: &str) -> &'static str {
    match f {
        "unpaid" => t_string!(i18n, inv.f_unpaid),
        "overdue" => t_string!(i18n, inv.f_overdue),
        "paid" => t_string!(i18n, inv.f_paid),
        _ => t_string!(i18n, inv.f_all),
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new("all");
    let list = LocalResource::new(move || {
        let f = filter.get();
        // The filter goes with its answer: the list says which filter it shows (`data-filter`).
        async move { (f, api::admin_invoices(f).await) }
    });
    view! {
        <Page title=|i| t_string!(i, inv.title) lead=|i| t_string!(i, inv.lead) class="admin-page wide">
            <AdminTabs />
            <div class="segmented" role="group" aria-label=move || t_string!(i18n, inv.filter) data-testid="invoice-filter">
                {FILTERS.into_iter().map(|f| view! {
                    <button type="button" data-filter=f aria-pressed=move || (filter.get() == f).to_string()
                        on:click=move |_| filter.set(f)>{move || filter_label(i18n, f)}</button>
                }).collect_view()}
            </div>
            <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }>
                {move || list.get().map(|(shown, r)| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Ok(l) => view! {
                        {l.with_debts.then(|| view! { <p class="notice is-alert" data-testid="admin-with-debts">{t!(i18n, inv.debts)}</p> })}
                        {l.invoices.is_empty().then(|| view! { <p class="hint" data-testid="no-invoices">{t!(i18n, inv.none)}</p> })}
                        <ul class="admin-list" data-testid="admin-invoices" data-filter=shown>
                            {l.invoices.into_iter().map(|inv| view! { <InvoiceRow inv on_change=move || list.refetch() /> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </Page>
    }
}

/// One invoice, with the "mark paid" form while it is unpaid.
#[component]
fn InvoiceRow(inv: InvoiceView, on_change: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let status = inv.status;
    let paid_on = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let err = RwSignal::new(None::<ApiError>);
    let mark = Action::new_local(move |(id, body): &(String, InvoicePaidRequest)| {
        api::admin_invoice_paid(id.clone(), body.clone())
    });
    Effect::new(move |_| match mark.value().get() {
        Some(Ok(_)) => on_change(),
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    let id = StoredValue::new(inv.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let date = paid_on.get_untracked();
        mark.dispatch_local((
            id.get_value(),
            InvoicePaidRequest {
                paid_on: (!date.trim().is_empty()).then_some(date),
                reference: reference.get_untracked().trim().to_string(),
            },
        ));
    };
    let fid = inv.id.clone();
    let paid = inv.paid_on.clone().map(|date| {
        let reference = inv.paid_reference.clone().unwrap_or_default();
        view! { <span class="hint" data-testid="invoice-paid">{t!(i18n, inv.paid_ref, date = move || date.clone(), reference = move || reference.clone())}</span> }
    });
    view! {
        <li class=format!("admin-item invoice inv-{}", invoice_status_str(status)) data-testid="admin-invoice" data-id=inv.id.clone()
            data-status=invoice_status_str(status) data-due-on=inv.due_on.clone() data-ticket=inv.ticket_id.clone().unwrap_or_default()>
            <span><span class="item-title">{inv.company_name.clone()}</span>
                {inv.ticket_id.clone().map(|t| view! { " · " <A href=format!("/tickets/{t}")>{inv.ticket_number.clone().unwrap_or(t)}</A> })}</span>
            <span><strong>{format_mxn(inv.amount_cents)}</strong>
                " " <span class=format!("tag inv-tag-{}", invoice_status_str(status))>{move || invoice_status_label(i18n, status)}</span></span>
            <span>{t!(i18n, bill.delivered)}" " {inv.delivered_on.clone()} " · " {t!(i18n, bill.due)}" " <strong>{inv.due_on.clone()}</strong></span>
            {paid}
            {(status != InvoiceStatus::Paid).then(|| view! {
                <form class="price-edit" on:submit=submit data-testid="mark-paid-form">
                    <label class="inline">
                        <span>{t!(i18n, inv.paid_on)}</span>
                        <input type="date" data-testid="paid-on" id=format!("paid-on-{fid}") bind:value=paid_on />
                    </label>
                    <label class="inline">
                        <span>{t!(i18n, inv.reference)}</span>
                        <input data-testid="paid-reference" bind:value=reference />
                    </label>
                    <button type="submit" class="btn" data-testid="mark-paid" disabled=move || mark.pending().get()>{t!(i18n, inv.mark_paid)}</button>
                </form>
                <FieldError err field="paid_on" />
                <FieldError err field="reference" />
                <FormError err fields=&["paid_on", "reference"] />
            })}
        </li>
    }
}
