//! Staff's side of the paid service: send a quote (P23) or an hours estimate (P24), record
//! time in whole hours (P22), complete the service (P26), see the client's remote-session
//! checklist (P25) and reveal a credential on purpose (P15).
use domain::api::billing::{
    BillingView, CompleteRequest, CredentialView, EstimateRequest, OfferItemRequest, OfferKind,
    QuoteRequest, TimeRequest,
};
use domain::billing::{format_mxn, price_quote, quote_total, report_hours, RemoteChecklist};
use leptos::prelude::*;

use super::billing::{BillReq, Billing, DoneNotice, Form};
use super::billing_client::checklist_label;
use crate::components::admin::{FieldError, FormError};
use crate::components::tickets::{error_text, fmt_time};
use crate::i18n::*;

/// A quote or an estimate, built from the price list.
#[component]
pub(super) fn OfferForm(b: BillingView, bill: Billing) -> impl IntoView {
    let i18n = use_i18n();
    let d = bill.offer;
    let err = bill.err(Form::Offer);
    let current = b.contract.as_ref().is_some_and(|c| c.current);
    let has_contract = b.contract.is_some();
    let remaining = b.contract.as_ref().map(|c| c.hours_remaining).unwrap_or(0);
    // Without a póliza only a quote makes sense.
    let mode = move || {
        if has_contract {
            d.mode.get()
        } else {
            OfferKind::Quote
        }
    };
    // Open when nothing waits for the client and no work is authorized yet.
    let latest_open = b.offers.first().is_none_or(|o| {
        matches!(
            o.state,
            domain::billing::OfferState::Rejected | domain::billing::OfferState::Superseded
        )
    });
    let open = latest_open && !b.work_allowed || err.with_untracked(Option::is_some);
    let pick = RwSignal::new(String::new());
    let qty = RwSignal::new("1".to_string());
    let items = move || {
        bill.prices
            .get()
            .flatten()
            .and_then(Result::ok)
            .map(|l| l.items)
            .unwrap_or_default()
    };
    // The live total with the prices that apply (preferential with a current póliza, P20).
    let priced = move || {
        let wanted = d.lines.get();
        price_quote(&items(), &wanted, current).unwrap_or_default()
    };
    let add = move |_| {
        let id = pick.get_untracked();
        let n = qty.get_untracked().trim().parse::<u32>().unwrap_or(0);
        if id.is_empty() || n == 0 {
            return;
        }
        d.lines
            .update(|l| match l.iter_mut().find(|(i, _)| *i == id) {
                Some(line) => line.1 += n,
                None => l.push((id, n)),
            });
        qty.set("1".into());
    };
    let wanted = move || {
        d.lines
            .get_untracked()
            .into_iter()
            .map(|(price_item_id, quantity)| OfferItemRequest {
                price_item_id,
                quantity: i64::from(quantity),
            })
            .collect::<Vec<_>>()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_string();
            (!v.is_empty()).then_some(v)
        };
        let req = match mode() {
            OfferKind::Quote => BillReq::Quote(QuoteRequest {
                items: wanted(),
                payment_terms: d.terms.get_untracked().trim().to_string(),
                invoicing_data: text(d.invoicing),
            }),
            OfferKind::Estimate => BillReq::Estimate(EstimateRequest {
                // Not a whole number: 0, which the API refuses on `hours` with its message.
                hours: d.hours.get_untracked().trim().parse().unwrap_or(0),
                items: wanted(),
                note: text(d.note),
            }),
        };
        bill.run(req);
    };
    // Above the remaining hours (422 on `hours`) or no current póliza (409): offer a quote.
    let suggest_quote = move || {
        err.with(|e| {
            e.as_ref().is_some_and(|e| {
                (e.status == 422
                    && e.field.as_deref() == Some("hours")
                    && e.code != "invalid_hours")
                    || e.code == "contract_not_current"
            })
        })
    };
    let tab_hours = move || priced().iter().map(|l| l.hours).sum::<u32>();
    view! {
        <details class="bill-form" open=open data-testid="offer-form">
            <summary>{t!(i18n, bill.offer_new)}</summary>
            <form on:submit=submit>
                {has_contract.then(|| view! {
                    <div class="segmented" role="group" aria-label=move || t_string!(i18n, bill.offer_kind)>
                        <button type="button" data-testid="mode-estimate" aria-pressed=move || (mode() == OfferKind::Estimate).to_string()
                            on:click=move |_| { d.mode.set(OfferKind::Estimate); err.set(None); }>{t!(i18n, bill.estimate)}</button>
                        <button type="button" data-testid="mode-quote" aria-pressed=move || (mode() == OfferKind::Quote).to_string()
                            on:click=move |_| { d.mode.set(OfferKind::Quote); err.set(None); }>{t!(i18n, bill.quote)}</button>
                    </div>
                })}
                <fieldset class="line-picker">
                    <legend>{t!(i18n, bill.lines)}</legend>
                    <div class="field">
                        <label for="offer-item">{t!(i18n, bill.item)}</label>
                        <select id="offer-item" data-testid="offer-item" prop:value=move || pick.get() on:change=move |ev| pick.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, bill.pick_item)}</option>
                            <Suspense fallback=|| ()>
                                {move || items().into_iter().map(|p| {
                                    let price = format_mxn(p.unit_cents(current));
                                    view! { <option value=p.id.clone()>{format!("{} · {} h · {price}", p.name, p.standard_hours)}</option> }
                                }).collect_view()}
                            </Suspense>
                        </select>
                    </div>
                    <div class="field field-row">
                        <label for="offer-qty">{t!(i18n, bill.quantity)}</label>
                        <input id="offer-qty" data-testid="offer-qty" type="number" min="1" max="1000" inputmode="numeric" bind:value=qty />
                        <button type="button" class="btn btn-secondary btn-small" data-testid="offer-add" on:click=add
                            disabled=move || pick.with(String::is_empty)>{t!(i18n, bill.add_item)}</button>
                    </div>
                    <ul class="admin-list" data-testid="offer-draft-lines">
                        {move || priced().into_iter().map(|l| {
                            let id = l.price_item_id.clone();
                            view! {
                                <li class="admin-item draft-line" data-testid="draft-line" data-id=l.price_item_id.clone()>
                                    <span>{format!("{} × {}", l.quantity, l.name)}</span>
                                    <span class="hint">{format!("{} h · {}", l.hours, format_mxn(l.total_cents))}</span>
                                    <button type="button" class="btn btn-ghost btn-small" data-testid="draft-remove"
                                        on:click=move |_| d.lines.update(|ls| ls.retain(|(i, _)| *i != id))>{t!(i18n, bill.remove)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <FieldError err field="items" />
                    <FieldError err field="quantity" />
                    <p class="offer-total">
                        {t!(i18n, bill.total)}": " <strong data-testid="draft-total">{move || format_mxn(quote_total(&priced()))}</strong>
                        " · " <span data-testid="draft-hours">{move || format!("{} h", tab_hours())}</span>
                        <br /><span class="hint">{if current { t_string!(i18n, bill.prices_pref) } else { t_string!(i18n, bill.prices_std) }}</span>
                    </p>
                </fieldset>
                {move || match mode() {
                    OfferKind::Quote => view! {
                        <div class="field">
                            <label for="offer-terms">{t!(i18n, bill.payment_terms)}</label>
                            <textarea id="offer-terms" data-testid="offer-terms" rows="2" prop:value=move || d.terms.get()
                                on:input=move |ev| d.terms.set(event_target_value(&ev))></textarea>
                            <FieldError err field="payment_terms" />
                        </div>
                        <div class="field">
                            <label for="offer-invoicing">{t!(i18n, bill.invoicing)}</label>
                            <textarea id="offer-invoicing" data-testid="offer-invoicing" rows="2" prop:value=move || d.invoicing.get()
                                on:input=move |ev| d.invoicing.set(event_target_value(&ev))></textarea>
                            <FieldError err field="invoicing_data" />
                        </div>
                        <button type="submit" class="btn" data-testid="send-quote" disabled=move || bill.busy.get()>{t!(i18n, bill.send_quote)}</button>
                    }.into_any(),
                    OfferKind::Estimate => view! {
                        <div class="field">
                            <label for="offer-hours">{t!(i18n, bill.hours)}</label>
                            <input id="offer-hours" data-testid="offer-hours" type="number" min="1" step="1" inputmode="numeric" bind:value=d.hours
                                aria-describedby="offer-hours-hint" />
                            <p class="hint" id="offer-hours-hint">
                                <span data-testid="offer-remaining">{t!(i18n, bill.hours_left, n = move || remaining)}</span>
                                {move || (tab_hours() > 0).then(|| { let n = tab_hours(); view! { " " {t!(i18n, bill.tab_hours, n = move || n)} } })}
                            </p>
                            <FieldError err field="hours" />
                            {move || suggest_quote().then(|| view! {
                                <p class="hint">{t!(i18n, bill.to_quote_hint)}</p>
                                <button type="button" class="btn btn-secondary btn-small" data-testid="switch-to-quote"
                                    on:click=move |_| { d.mode.set(OfferKind::Quote); err.set(None); }>{t!(i18n, bill.to_quote)}</button>
                            })}
                        </div>
                        <div class="field">
                            <label for="offer-note">{t!(i18n, bill.note)}</label>
                            <textarea id="offer-note" data-testid="offer-note" rows="2" prop:value=move || d.note.get()
                                on:input=move |ev| d.note.set(event_target_value(&ev))></textarea>
                        </div>
                        <button type="submit" class="btn" data-testid="send-estimate" disabled=move || bill.busy.get()>{t!(i18n, bill.send_estimate)}</button>
                    }.into_any(),
                }}
                <FormError err fields=&["items", "quantity", "hours", "payment_terms", "invoicing_data"] />
            </form>
            <DoneNotice bill form=Form::Offer />
        </details>
    }
}

/// A service report in minutes; shows the whole hours it will charge (P22).
#[component]
pub(super) fn TimeForm(
    contract: bool,
    authorized: u32,
    charged: u32,
    bill: Billing,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = bill.err(Form::Time);
    let hours = move || {
        bill.minutes
            .with(|m| m.trim().parse::<u32>().ok())
            .and_then(|m| report_hours(m).ok())
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        bill.run(BillReq::Time(TimeRequest {
            minutes: bill.minutes.get_untracked().trim().parse().unwrap_or(0),
            note: bill.work_note.get_untracked().trim().to_string(),
        }));
    };
    view! {
        <details class="bill-form" open=true data-testid="time-form">
            <summary>{t!(i18n, bill.time_title)}</summary>
            <form on:submit=submit>
                <div class="field">
                    <label for="time-minutes">{t!(i18n, bill.minutes)}</label>
                    <input id="time-minutes" data-testid="time-minutes" type="number" min="1" max="1440" inputmode="numeric" bind:value=bill.minutes
                        aria-describedby="time-charge" />
                    <p class="hint" id="time-charge" data-testid="time-charge" data-hours=move || hours().unwrap_or(0)>
                        {move || match (contract, hours()) {
                            (true, Some(n)) => t!(i18n, bill.charges, n = move || n).into_any(),
                            (true, None) => ().into_any(),
                            (false, _) => t!(i18n, bill.charges_none).into_any(),
                        }}
                    </p>
                    {contract.then(|| view! { <p class="hint">{format!("{authorized} h / {charged} h")}</p> })}
                    <FieldError err field="minutes" />
                </div>
                <div class="field">
                    <label for="time-note">{t!(i18n, bill.what)}</label>
                    <textarea id="time-note" data-testid="time-note" rows="2" prop:value=move || bill.work_note.get()
                        on:input=move |ev| bill.work_note.set(event_target_value(&ev))></textarea>
                    <FieldError err field="note" />
                </div>
                <FormError err fields=&["minutes", "note"] />
                <button type="submit" class="btn" data-testid="time-submit" disabled=move || bill.busy.get()>{t!(i18n, bill.record)}</button>
            </form>
            <DoneNotice bill form=Form::Time />
        </details>
    }
}

/// The summary that ends the service (P26): resolves the ticket.
#[component]
pub(super) fn CompleteForm(bill: Billing) -> impl IntoView {
    let i18n = use_i18n();
    let err = bill.err(Form::Complete);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        bill.run(BillReq::Complete(CompleteRequest {
            summary: bill.summary.get_untracked().trim().to_string(),
        }));
    };
    view! {
        <details class="bill-form" open=true data-testid="complete-form">
            <summary>{t!(i18n, bill.complete_title)}</summary>
            <form on:submit=submit>
                <div class="field">
                    <label for="complete-summary">{t!(i18n, bill.summary)}</label>
                    <textarea id="complete-summary" data-testid="complete-summary" rows="4" aria-describedby="complete-hint"
                        prop:value=move || bill.summary.get() on:input=move |ev| bill.summary.set(event_target_value(&ev))></textarea>
                    <p class="hint" id="complete-hint">{t!(i18n, bill.complete_hint)}</p>
                    <FieldError err field="summary" />
                </div>
                <FormError err fields=&["summary"] />
                <button type="submit" class="btn" data-testid="complete-submit" disabled=move || bill.busy.get()>{t!(i18n, bill.complete)}</button>
            </form>
        </details>
    }
}

/// The client's remote-session checklist as staff see it (P25).
#[component]
pub(super) fn ChecklistStatus(
    checklist: Option<RemoteChecklist>,
    missing: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = match checklist {
        None => view! { <p class="hint" data-testid="checklist-none">{t!(i18n, bill.cl_none)}</p> }
            .into_any(),
        Some(c) => {
            let complete = missing.is_empty();
            view! {
                <dl class="facts-inline">
                    <div><dt>{t!(i18n, bill.cl_teamviewer_id)}</dt><dd data-testid="cl-teamviewer-id">{c.teamviewer_id}</dd></div>
                    <div><dt>{t!(i18n, bill.cl_resp_name)}</dt><dd>{c.responsible_name}</dd></div>
                    <div><dt>{t!(i18n, bill.cl_resp_phone)}</dt><dd>{c.responsible_phone}</dd></div>
                </dl>
                {if complete {
                    view! { <p class="notice" data-testid="checklist-complete">{t!(i18n, bill.cl_complete)}</p> }.into_any()
                } else {
                    view! { <MissingList missing /> }.into_any()
                }}
            }
            .into_any()
        }
    };
    view! {
        <section class="bill-sub" data-testid="checklist-status" aria-labelledby="cl-h">
            <h3 id="cl-h">{t!(i18n, bill.checklist_title)}</h3>
            {body}
        </section>
    }
}

/// The checklist items still missing, by their labels.
#[component]
pub(super) fn MissingList(missing: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let count = missing.len();
    let items = missing
        .into_iter()
        .map(|f| {
            let label = f.clone();
            view! { <li data-field=f>{move || checklist_label(i18n, &label)}</li> }
        })
        .collect_view();
    view! {
        <div class="notice notice-warn" data-testid="checklist-missing" data-count=count>
            <p>{t!(i18n, bill.cl_missing)}</p>
            <ul>{items}</ul>
        </div>
    }
}

/// Credentials of the ticket: labels for everyone; for staff, a "Reveal" per credential
/// that shows the secret only after the click (an audited event, P15).
#[component]
pub(super) fn CredentialList(
    creds: Vec<CredentialView>,
    staff: bool,
    bill: Billing,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = bill.err(Form::Reveal);
    view! {
        {creds.is_empty().then(|| view! { <p class="hint">{t!(i18n, bill.no_creds)}</p> })}
        {(staff && !creds.is_empty()).then(|| view! { <p class="hint">{t!(i18n, bill.reveal_note)}</p> })}
        <ul class="admin-list" data-testid="credential-list">
            {creds.into_iter().map(|c| {
                let id = StoredValue::new(c.id.clone());
                let purged = c.purged_at.is_some();
                let shown = move || bill.revealed.with(|r| r.iter().find(|x| x.id == id.get_value()).cloned());
                let reveals = c.reveals;
                view! {
                    <li class="admin-item" data-testid="credential" data-id=c.id.clone() data-purged=purged.to_string()>
                        <span><span class="item-title" data-testid="credential-label">{c.label.clone()}</span>
                            {purged.then(|| view! { " " <span class="tag">{t!(i18n, bill.cred_purged)}</span> })}</span>
                        <span class="hint">{fmt_time(i18n, &c.created_at)}
                            {(staff).then(|| reveals.map(|n| view! { " · " {t!(i18n, bill.cred_reveals, n = move || n)} }))}</span>
                        {(staff && !purged).then(|| view! {
                            {move || match shown() {
                                Some(r) => view! {
                                    <dl class="facts-inline revealed" data-testid="revealed">
                                        <div><dt>{t!(i18n, bill.cred_user)}</dt><dd class="mono" data-testid="revealed-user">{r.username}</dd></div>
                                        <div><dt>{t!(i18n, bill.cred_secret)}</dt><dd class="mono" data-testid="revealed-secret">{r.secret}</dd></div>
                                    </dl>
                                    <button type="button" class="btn btn-ghost btn-small" data-testid="hide"
                                        on:click=move |_| bill.revealed.update(|v| v.retain(|x| x.id != id.get_value()))>{t!(i18n, bill.hide)}</button>
                                }.into_any(),
                                None => view! {
                                    <button type="button" class="btn btn-secondary btn-small" data-testid="reveal" disabled=move || bill.busy.get()
                                        on:click=move |_| bill.run(BillReq::Reveal(id.get_value()))>{t!(i18n, bill.reveal)}</button>
                                }.into_any(),
                            }}
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || err.get().map(|e| view! { <p class="form-error" role="alert" data-error-code=e.code.clone()>{error_text(i18n, &e)}</p> })}
    }
}
