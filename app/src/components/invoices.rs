//! Invoices as the client, the ticket and the admin see them (issue 13, P26): amount,
//! delivery and due dates (6 calendar days), status.
use domain::api::billing::{InvoiceStatus, InvoiceView};
use domain::billing::format_mxn;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::I18n;

pub fn invoice_status_label(i18n: I18n, s: InvoiceStatus) -> &'static str {
    match s {
        InvoiceStatus::Pending => t_string!(i18n, bill.inv_pending),
        InvoiceStatus::Overdue => t_string!(i18n, bill.inv_overdue),
        InvoiceStatus::Paid => t_string!(i18n, bill.inv_paid),
    }
}

pub fn invoice_status_str(s: InvoiceStatus) -> &'static str {
    match s {
        InvoiceStatus::Pending => "pending",
        InvoiceStatus::Overdue => "overdue",
        InvoiceStatus::Paid => "paid",
    }
}

/// One invoice: amount, delivery, due date and status (also on "Mi póliza").
#[component]
pub fn InvoiceLine(
    inv: InvoiceView,
    /// Link to the invoice's ticket.
    link: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = inv.status;
    view! {
        <li class=format!("admin-item invoice inv-{}", invoice_status_str(status)) data-testid="invoice" data-id=inv.id.clone()
            data-status=invoice_status_str(status) data-due-on=inv.due_on.clone() data-delivered-on=inv.delivered_on.clone()
            data-ticket=inv.ticket_id.clone().unwrap_or_default()>
            <span><strong data-testid="invoice-amount">{format_mxn(inv.amount_cents)}</strong>
                {link.then(|| inv.ticket_id.clone()).flatten().map(|id| view! {
                    " · " <A href=format!("/tickets/{id}") attr:data-testid="invoice-ticket">{inv.ticket_number.clone().unwrap_or(id)}</A>
                })}
                " " <span class=format!("tag inv-tag-{}", invoice_status_str(status))>{move || invoice_status_label(i18n, status)}</span></span>
            <span>{t!(i18n, bill.delivered)}" " {inv.delivered_on.clone()} " · " {t!(i18n, bill.due)}" " <strong data-testid="invoice-due">{inv.due_on.clone()}</strong></span>
            {inv.paid_on.clone().map(|p| view! { <span class="hint">{t!(i18n, poliza.paid_on, date = move || p.clone())}</span> })}
        </li>
    }
}
