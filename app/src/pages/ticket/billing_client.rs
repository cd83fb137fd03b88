//! The client's side of the paid service: authorize or reject the offer waiting for them with
//! an explicit acceptance of its terms (P23, P24), fill in the remote-session checklist
//! (P25, P15), and hand over remote-access credentials (P15).
use domain::api::billing::{AuthorizationRequest, CredentialRequest, OfferKind, OfferView};
use domain::billing::{Decision, RemoteChecklist};
use leptos::prelude::*;

use super::billing::{BillReq, Billing, DoneNotice, Form, LinesTable};
use super::billing_staff::MissingList;
use crate::components::admin::{FieldError, FormError};
use crate::components::tickets::fmt_time;
use crate::i18n::*;
use crate::I18n;

/// The label of a checklist field as the API names it.
pub(super) fn checklist_label(i18n: I18n, field: &str) -> &'static str {
    match field {
        "teamviewer_installed_as_admin" => t_string!(i18n, bill.cl_teamviewer),
        "teamviewer_id" => t_string!(i18n, bill.cl_teamviewer_id),
        "machine_free" => t_string!(i18n, bill.cl_machine_free),
        "sleep_and_screensaver_off" => t_string!(i18n, bill.cl_sleep),
        "on_mains_power" => t_string!(i18n, bill.cl_power),
        "responsible_name" => t_string!(i18n, bill.cl_resp_name),
        "responsible_phone" => t_string!(i18n, bill.cl_resp_phone),
        "responsible_can_help" => t_string!(i18n, bill.cl_resp_help),
        "liability_acknowledged" => t_string!(i18n, bill.cl_liability),
        _ => "",
    }
}

/// The offer waiting for the client: lines and total (a quote) or the hours to deduct (an
/// estimate), a required acceptance of the terms, Authorize / Reject.
#[component]
pub(super) fn OfferDecision(
    offer: OfferView,
    remaining: Option<u32>,
    bill: Billing,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = bill.err(Form::Decide);
    let kind = offer.kind;
    let hours = offer.hours;
    let left = remaining.unwrap_or(0);
    let id = StoredValue::new(offer.id.clone());
    let decide = move |decision: Decision| {
        bill.run(BillReq::Decide(AuthorizationRequest {
            offer_id: id.get_value(),
            decision,
            accept_terms: bill.accept.get_untracked(),
        }))
    };
    let who = offer.created_by.name.clone();
    let at = fmt_time(i18n, &offer.created_at);
    view! {
        <div class="card offer-card" data-testid="offer-card" data-kind=kind.as_str() data-id=offer.id.clone() role="region" aria-labelledby="offer-card-h">
            <h3 id="offer-card-h">{move || match kind {
                OfferKind::Quote => t_string!(i18n, bill.decide_quote),
                OfferKind::Estimate => t_string!(i18n, bill.decide_estimate),
            }}</h3>
            {(kind == OfferKind::Estimate).then(|| view! {
                <p class="offer-deduct" data-testid="offer-deduct" data-hours=hours>
                    <strong>{t!(i18n, bill.deduct, n = move || hours, left = move || left)}</strong>
                </p>
            })}
            {(kind == OfferKind::Quote || !offer.lines.is_empty()).then(|| view! { <LinesTable lines=offer.lines.clone() total_cents=offer.total_cents /> })}
            <dl class="facts-inline">
                {offer.payment_terms.clone().map(|p| view! { <div><dt>{t!(i18n, bill.payment_terms)}</dt><dd>{p}</dd></div> })}
                {offer.invoicing_data.clone().map(|p| view! { <div><dt>{t!(i18n, bill.invoicing)}</dt><dd>{p}</dd></div> })}
            </dl>
            {offer.note.clone().map(|n| view! { <p class="msg-body">{n}</p> })}
            <p class="hint">{t!(i18n, bill.sent_by, who = move || who.clone(), at = move || at.clone())}</p>
            <label class="check accept-terms">
                <input type="checkbox" id="accept-terms" data-testid="accept-terms" aria-required="true"
                    prop:checked=move || bill.accept.get() on:change=move |ev| bill.accept.set(event_target_checked(&ev)) />
                <span>{match kind {
                    OfferKind::Quote => t!(i18n, bill.accept_quote).into_any(),
                    OfferKind::Estimate => t!(i18n, bill.accept_estimate, n = move || hours).into_any(),
                }}</span>
            </label>
            <FieldError err field="accept_terms" />
            <FormError err fields=&["accept_terms"] />
            <div class="actions">
                <button type="button" class="btn" data-testid="accept-offer" disabled=move || bill.busy.get()
                    on:click=move |_| decide(Decision::Accept)>{t!(i18n, bill.accept)}</button>
                <button type="button" class="btn btn-secondary" data-testid="reject-offer" disabled=move || bill.busy.get()
                    on:click=move |_| decide(Decision::Reject)>{t!(i18n, bill.reject)}</button>
            </div>
        </div>
        <DoneNotice bill form=Form::Decide />
    }
}

type Flag = (
    &'static str,
    fn(&RemoteChecklist) -> bool,
    fn(&mut RemoteChecklist, bool),
);
type Text = (
    &'static str,
    fn(&RemoteChecklist) -> String,
    fn(&mut RemoteChecklist, String),
    &'static str,
);

/// The remote-session checklist (P25) and the acknowledgement that staff are not liable for
/// damage (P15); partial saves are allowed, the missing items are listed.
#[component]
pub(super) fn ChecklistForm(
    saved: Option<RemoteChecklist>,
    missing: Vec<String>,
    bill: Billing,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = bill.err(Form::Checklist);
    // Nothing saved yet: everything is missing, whatever the list says.
    let started = saved.is_some();
    let complete = started && missing.is_empty();
    let saved = StoredValue::new(saved.unwrap_or_default());
    let current = move || bill.checklist.get().unwrap_or_else(|| saved.get_value());
    let edit = move |f: &dyn Fn(&mut RemoteChecklist)| {
        let mut c = bill
            .checklist
            .get_untracked()
            .unwrap_or_else(|| saved.get_value());
        f(&mut c);
        bill.checklist.set(Some(c));
    };
    let flag = move |(field, get, set): Flag| {
        let (id, for_id) = (format!("cl-{field}"), format!("cl-{field}"));
        view! {
            <label class="check" for=for_id>
                <input type="checkbox" id=id data-testid=format!("cl-{field}") prop:checked=move || get(&current())
                    on:change=move |ev| { let v = event_target_checked(&ev); edit(&|c| set(c, v)); } />
                <span>{move || checklist_label(i18n, field)}</span>
            </label>
        }
    };
    let text = move |(field, get, set, kind): Text| {
        let (id, for_id) = (format!("cl-{field}"), format!("cl-{field}"));
        view! {
            <div class="field">
                <label for=for_id>{move || checklist_label(i18n, field)}</label>
                <input id=id type=kind data-testid=format!("cl-{field}") prop:value=move || get(&current())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|c| set(c, v.clone())); } />
                <FieldError err field=field />
            </div>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        bill.run(BillReq::Checklist(
            bill.checklist
                .get_untracked()
                .unwrap_or_else(|| saved.get_value()),
        ));
    };
    view! {
        <div class="bill-sub" data-testid="checklist-form">
        {complete.then(|| view! { <p class="notice" data-testid="checklist-complete">{t!(i18n, bill.cl_complete)}</p> })}
        <details class="bill-form" open=!complete>
            <summary><h3 class="inline-h">{t!(i18n, bill.checklist_title)}</h3></summary>
            <form on:submit=submit>
                <p class="hint">{t!(i18n, bill.checklist_lead)}</p>
                {flag(("teamviewer_installed_as_admin", |c| c.teamviewer_installed_as_admin, |c, v| c.teamviewer_installed_as_admin = v))}
                {text(("teamviewer_id", |c| c.teamviewer_id.clone(), |c, v| c.teamviewer_id = v, "text"))}
                {flag(("machine_free", |c| c.machine_free, |c, v| c.machine_free = v))}
                {flag(("sleep_and_screensaver_off", |c| c.sleep_and_screensaver_off, |c, v| c.sleep_and_screensaver_off = v))}
                {flag(("on_mains_power", |c| c.on_mains_power, |c, v| c.on_mains_power = v))}
                {text(("responsible_name", |c| c.responsible_name.clone(), |c, v| c.responsible_name = v, "text"))}
                {text(("responsible_phone", |c| c.responsible_phone.clone(), |c, v| c.responsible_phone = v, "tel"))}
                {flag(("responsible_can_help", |c| c.responsible_can_help, |c, v| c.responsible_can_help = v))}
                {flag(("liability_acknowledged", |c| c.liability_acknowledged, |c, v| c.liability_acknowledged = v))}
                {(started && !complete).then(|| view! { <MissingList missing /> })}
                <FormError err fields=&["teamviewer_id", "responsible_name", "responsible_phone"] />
                <button type="submit" class="btn" data-testid="cl-save" disabled=move || bill.busy.get()>{t!(i18n, bill.cl_save)}</button>
            </form>
            <DoneNotice bill form=Form::Checklist />
        </details>
        </div>
    }
}

/// Hands over a remote-access credential (P15): after saving only its label is shown.
#[component]
pub(super) fn CredentialForm(staff: bool, bill: Billing) -> impl IntoView {
    let i18n = use_i18n();
    let err = bill.err(Form::Credential);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        bill.run(BillReq::Credential(CredentialRequest {
            label: bill.cred_label.get_untracked().trim().to_string(),
            username: bill.cred_user.get_untracked().trim().to_string(),
            secret: bill.cred_secret.get_untracked(),
        }));
    };
    view! {
        <form class="cred-form" on:submit=submit data-testid="credential-form" autocomplete="off">
            {(!staff).then(|| view! { <p class="hint">{t!(i18n, bill.creds_lead)}</p> })}
            <div class="field">
                <label for="cred-label">{t!(i18n, bill.cred_label)}</label>
                <input id="cred-label" data-testid="cred-label" bind:value=bill.cred_label />
                <FieldError err field="label" />
            </div>
            <div class="field">
                <label for="cred-user">{t!(i18n, bill.cred_user)}</label>
                <input id="cred-user" data-testid="cred-user" autocomplete="off" bind:value=bill.cred_user />
                <FieldError err field="username" />
            </div>
            <div class="field">
                <label for="cred-secret">{t!(i18n, bill.cred_secret)}</label>
                <input id="cred-secret" data-testid="cred-secret" type="password" autocomplete="new-password" bind:value=bill.cred_secret />
                <FieldError err field="secret" />
            </div>
            <FormError err fields=&["label", "username", "secret"] />
            <button type="submit" class="btn btn-secondary" data-testid="cred-save" disabled=move || bill.busy.get()>{t!(i18n, bill.cred_save)}</button>
            <DoneNotice bill form=Form::Credential />
        </form>
    }
}
