//! The ticket's paid service (issue 13; P15, P18, P22–P26): what the ticket costs and who
//! authorized it, for its client and for staff.
//!
//! The billing view is its own `LocalResource`, read only for paid tickets and kept (with
//! every form's draft) in [`Billing`], which the page creates once: re-rendering the ticket
//! after a change keeps what was typed. Every change goes through one `Action`; its answer
//! brings the billing view and the ticket read again (an offer or a completion changes the
//! ticket's status).
use domain::api::admin::PriceList;
use domain::api::billing::{
    AuthorizationRequest, BillingView, CompleteRequest, CredentialRequest, EstimateRequest,
    InvoiceView, OfferKind, OfferView, QuoteRequest, RevealedCredential, TimeEntryView,
    TimeRequest,
};
use domain::api::TicketDetail;
use domain::billing::{format_mxn, Decision, OfferState, QuoteLine, RemoteChecklist};
use domain::contract::{Category, Coverage};
use leptos::prelude::*;

use super::billing_client::{ChecklistForm, CredentialForm, OfferDecision};
use super::billing_staff::{ChecklistStatus, CompleteForm, OfferForm, TimeForm};
use crate::api::{self, ApiError};
use crate::components::invoices::InvoiceLine;
use crate::components::tickets::{error_text, fmt_time};
use crate::i18n::*;
use crate::lazy::lazy_part;
use crate::split_part;
use crate::I18n;

/// What the billing panel asks the server to do.
#[derive(Clone)]
pub(super) enum BillReq {
    Quote(QuoteRequest),
    Estimate(EstimateRequest),
    Decide(AuthorizationRequest),
    Checklist(RemoteChecklist),
    Credential(CredentialRequest),
    Reveal(String),
    Time(TimeRequest),
    Complete(CompleteRequest),
}

/// The form a request came from: where its error and its "done" notice show.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Form {
    Offer,
    Decide,
    Checklist,
    Credential,
    Reveal,
    Time,
    Complete,
}

const FORMS: usize = 7;

impl BillReq {
    fn form(&self) -> Form {
        match self {
            BillReq::Quote(_) | BillReq::Estimate(_) => Form::Offer,
            BillReq::Decide(_) => Form::Decide,
            BillReq::Checklist(_) => Form::Checklist,
            BillReq::Credential(_) => Form::Credential,
            BillReq::Reveal(_) => Form::Reveal,
            BillReq::Time(_) => Form::Time,
            BillReq::Complete(_) => Form::Complete,
        }
    }
}

/// A change that went through, with the billing view and the ticket read again.
#[derive(Clone)]
pub(super) struct Done {
    billing: Result<BillingView, ApiError>,
    ticket: Result<TicketDetail, ApiError>,
    revealed: Option<RevealedCredential>,
}

async fn perform(id: String, req: BillReq) -> Result<Done, ApiError> {
    let mut revealed = None;
    let view = match req {
        BillReq::Quote(b) => api::send_quote(id.clone(), b).await.map(|_| None)?,
        BillReq::Estimate(b) => api::send_estimate(id.clone(), b).await.map(|_| None)?,
        BillReq::Decide(b) => Some(api::authorize(id.clone(), b).await?),
        BillReq::Checklist(b) => Some(api::put_checklist(id.clone(), b).await?),
        BillReq::Credential(b) => api::add_credential(id.clone(), b).await.map(|_| None)?,
        BillReq::Reveal(cid) => {
            revealed = Some(api::reveal_credential(id.clone(), cid).await?);
            None
        }
        BillReq::Time(b) => api::record_time(id.clone(), b).await.map(|_| None)?,
        BillReq::Complete(b) => Some(api::complete(id.clone(), b).await?),
    };
    let billing = match view {
        Some(v) => Ok(v),
        None => api::billing(id.clone()).await,
    };
    Ok(Done {
        billing,
        ticket: api::ticket(id).await,
        revealed,
    })
}

/// The ticket a request was sent for, its form, and what came back.
type Answer = (Option<String>, Form, Result<Done, ApiError>);

/// The drafts of the staff's offer form.
#[derive(Clone, Copy)]
pub(super) struct OfferDraft {
    pub mode: RwSignal<OfferKind>,
    /// Price-list item id and quantity.
    pub lines: RwSignal<Vec<(String, u32)>>,
    pub terms: RwSignal<String>,
    pub invoicing: RwSignal<String>,
    pub hours: RwSignal<String>,
    pub note: RwSignal<String>,
}

/// The billing panel's state, created once by the ticket page.
#[derive(Clone, Copy)]
pub(super) struct Billing {
    /// `None` for a free ticket (nothing is read).
    pub view: LocalResource<Option<Result<BillingView, ApiError>>>,
    /// The price list, for staff on a paid ticket.
    pub prices: LocalResource<Option<Result<PriceList, ApiError>>>,
    /// The ticket id the panel is about (`None`: free or not loaded).
    key: Memo<Option<String>>,
    action: Action<BillReq, Answer>,
    pub busy: Memo<bool>,
    errs: [RwSignal<Option<ApiError>>; FORMS],
    pub done: RwSignal<Option<Form>>,
    pub offer: OfferDraft,
    pub minutes: RwSignal<String>,
    pub work_note: RwSignal<String>,
    pub summary: RwSignal<String>,
    pub accept: RwSignal<bool>,
    /// The client's edits of the checklist (`None`: as the server has it).
    pub checklist: RwSignal<Option<RemoteChecklist>>,
    pub cred_label: RwSignal<String>,
    pub cred_user: RwSignal<String>,
    pub cred_secret: RwSignal<String>,
    /// Secrets revealed on this page (never stored anywhere else).
    pub revealed: RwSignal<Vec<RevealedCredential>>,
}

impl Billing {
    pub fn new(
        ticket: LocalResource<Result<TicketDetail, ApiError>>,
        staff: Memo<bool>,
        terms: String,
    ) -> Billing {
        let key = Memo::new(move |_| {
            ticket
                .get()
                .and_then(Result::ok)
                .and_then(|d| (d.summary.coverage != Coverage::Free).then_some(d.summary.id))
        });
        let view = LocalResource::new(move || {
            let key = key.get();
            // Read again whenever the ticket is (an action, or a live `changed` frame: time,
            // checklist, credentials or a payment recorded by someone else).
            ticket.track();
            async move {
                match key {
                    Some(id) => Some(api::billing(id).await),
                    None => None,
                }
            }
        });
        let prices = LocalResource::new(move || {
            let go = key.with(Option::is_some) && staff.get();
            async move {
                if go {
                    Some(api::price_list().await)
                } else {
                    None
                }
            }
        });
        let action = Action::new_local(move |req: &BillReq| {
            let (req, from) = (req.clone(), key.get_untracked());
            let form = req.form();
            async move {
                let done = match from.clone() {
                    Some(id) => perform(id, req).await,
                    None => Err(ApiError {
                        status: 0,
                        code: ApiError::NETWORK.into(),
                        message: String::new(),
                        messages: None,
                        field: None,
                    }),
                };
                (from, form, done)
            }
        });
        let b = Billing {
            view,
            prices,
            key,
            action,
            busy: action.pending(),
            errs: std::array::from_fn(|_| RwSignal::new(None)),
            done: RwSignal::new(None),
            offer: OfferDraft {
                mode: RwSignal::new(OfferKind::Estimate),
                lines: RwSignal::new(Vec::new()),
                terms: RwSignal::new(terms),
                invoicing: RwSignal::new(String::new()),
                hours: RwSignal::new(String::new()),
                note: RwSignal::new(String::new()),
            },
            minutes: RwSignal::new(String::new()),
            work_note: RwSignal::new(String::new()),
            summary: RwSignal::new(String::new()),
            accept: RwSignal::new(false),
            checklist: RwSignal::new(None),
            cred_label: RwSignal::new(String::new()),
            cred_user: RwSignal::new(String::new()),
            cred_secret: RwSignal::new(String::new()),
            revealed: RwSignal::new(Vec::new()),
        };
        let answer = action.value();
        Effect::new(move |_| {
            let Some((from, form, result)) = answer.get() else {
                return;
            };
            untrack(|| b.apply(from, form, result, ticket));
        });
        b
    }

    /// Applies an answer: the new views, emptied drafts and the notice, or the error.
    fn apply(
        self,
        from: Option<String>,
        form: Form,
        result: Result<Done, ApiError>,
        ticket: LocalResource<Result<TicketDetail, ApiError>>,
    ) {
        let done = match result {
            Err(e) => {
                self.err(form).set(Some(e));
                return;
            }
            Ok(done) => done,
        };
        // A ticket left meanwhile is not overwritten with this one.
        if from != self.key.get() {
            return;
        }
        if let Some(r) = done.revealed {
            self.revealed.update(|v| {
                v.retain(|c| c.id != r.id);
                v.push(r);
            });
        } else {
            self.done.set(Some(form));
        }
        match form {
            Form::Offer => {
                self.offer.lines.set(Vec::new());
                self.offer.hours.set(String::new());
                self.offer.note.set(String::new());
            }
            Form::Decide => self.accept.set(false),
            Form::Checklist => self.checklist.set(None),
            Form::Credential => {
                self.cred_label.set(String::new());
                self.cred_user.set(String::new());
                self.cred_secret.set(String::new());
            }
            Form::Time => {
                self.minutes.set(String::new());
                self.work_note.set(String::new());
            }
            Form::Complete => self.summary.set(String::new()),
            Form::Reveal => {}
        }
        self.view.set(Some(Some(done.billing)));
        ticket.set(Some(done.ticket));
    }

    /// The error of one form (per field or for the whole form).
    pub fn err(self, form: Form) -> RwSignal<Option<ApiError>> {
        self.errs[form as usize]
    }

    /// Sends a request (one at a time).
    pub fn run(self, req: BillReq) {
        if self.busy.get_untracked() {
            return;
        }
        for e in self.errs {
            e.set(None);
        }
        self.done.set(None);
        self.action.dispatch_local(req);
    }
}

/// A "done" notice of one form.
pub(super) fn done_text(i18n: I18n, form: Form) -> Option<&'static str> {
    Some(match form {
        Form::Offer => t_string!(i18n, bill.done_offer),
        Form::Decide => t_string!(i18n, bill.done_decide),
        Form::Checklist => t_string!(i18n, bill.done_checklist),
        Form::Credential => t_string!(i18n, bill.done_credential),
        Form::Time => t_string!(i18n, bill.done_time),
        Form::Complete => t_string!(i18n, bill.done_complete),
        Form::Reveal => return None,
    })
}

/// The notice of `form` after it went through.
#[component]
pub(super) fn DoneNotice(bill: Billing, form: Form) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        (bill.done.get() == Some(form))
            .then(|| done_text(i18n, form))
            .flatten()
            .map(|t| view! { <p class="notice" role="status" data-testid="bill-done">{t}</p> })
    }
}

pub(super) fn offer_state_label(i18n: I18n, s: OfferState) -> &'static str {
    match s {
        OfferState::Sent => t_string!(i18n, bill.st_sent),
        OfferState::Accepted => t_string!(i18n, bill.st_accepted),
        OfferState::Rejected => t_string!(i18n, bill.st_rejected),
        OfferState::Superseded => t_string!(i18n, bill.st_superseded),
    }
}

pub(super) fn offer_kind_label(i18n: I18n, k: OfferKind) -> &'static str {
    match k {
        OfferKind::Quote => t_string!(i18n, bill.quote),
        OfferKind::Estimate => t_string!(i18n, bill.estimate),
    }
}

/// An offer's priced lines and total (a quote) as a small table.
#[component]
pub(super) fn LinesTable(lines: Vec<QuoteLine>, total_cents: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="lines" data-testid="offer-lines">
                <thead><tr>
                    <th scope="col">{t!(i18n, bill.item)}</th>
                    <th scope="col" class="num">{t!(i18n, bill.quantity)}</th>
                    <th scope="col" class="num">{t!(i18n, bill.amount)}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.name}<br /><span class="hint">{format!("{} h · {}", l.hours, format_mxn(l.unit_cents))}</span></td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{format_mxn(l.total_cents)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row" colspan="2">{t!(i18n, bill.total)}</th>
                    <td class="num" data-testid="offer-total">{format_mxn(total_cents)}</td>
                </tr></tfoot>
            </table>
        </div>
    }
}

// Staff's billing forms are in the chunk of staff's side of the ticket (see `mod.rs`).
split_part!(ticket_staff: fn staff_forms(b: BillingView, bill: Billing, contract: bool, authorized: u32, charged: u32) {
    let work = b.work_allowed;
    let warranty = b.warranty;
    view! {
        <OfferForm b bill />
        {work.then(|| view! {
            <TimeForm contract=contract && !warranty authorized charged bill />
            <CompleteForm bill />
        })}
    }
});

/// Everything paid about the ticket. Rendered with the ticket; its data comes from `bill`.
#[component]
pub(super) fn BillingPanel(d: TicketDetail, staff: bool, bill: Billing) -> impl IntoView {
    let i18n = use_i18n();
    let open = d.summary.status.is_open();
    // A remote session may follow a support case or a remote assistance, not phone advice.
    let remote = d.summary.category != Category::PhoneAdvice;
    view! {
        <section class="card billing" data-testid="billing" aria-labelledby="billing-h">
            <h2 id="billing-h">{t!(i18n, bill.title)}</h2>
            <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }>
                {move || bill.view.get().flatten().map(|r| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Ok(b) => view! { <BillingBody b staff open remote bill /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn BillingBody(
    b: BillingView,
    staff: bool,
    open: bool,
    remote: bool,
    bill: Billing,
) -> impl IntoView {
    let i18n = use_i18n();
    let contract = b.coverage == "contract";
    let remaining = b.contract.as_ref().map(|c| c.hours_remaining);
    let waiting = b
        .offers
        .first()
        .filter(|o| o.state == OfferState::Sent)
        .cloned();
    let (authorized, charged) = (b.authorized_hours, b.charged_hours);
    let status_line = if b.warranty {
        Some(t_string!(i18n, bill.warranty))
    } else if !open {
        None
    } else if b.work_allowed {
        Some(t_string!(i18n, bill.work_ok))
    } else if waiting.is_some() {
        staff.then(|| t_string!(i18n, bill.waiting))
    } else {
        Some(t_string!(i18n, bill.no_work))
    };
    let purged = !b.credentials.is_empty() && b.credentials.iter().all(|c| c.purged_at.is_some());
    view! {
        <div class="billing-body" data-coverage=b.coverage.clone() data-work-allowed=b.work_allowed.to_string()
            data-authorized=authorized data-charged=charged>
            <p class="hint">{if contract { t_string!(i18n, bill.cov_contract) } else { t_string!(i18n, bill.cov_per_event) }}</p>
            <dl class="facts-inline">
                {(contract || remaining.is_some()).then(|| remaining.map(|n| view! {
                    <div><dt>{t!(i18n, bill.remaining)}</dt><dd data-testid="bill-remaining">{format!("{n} h")}</dd></div>
                }))}
                {contract.then(|| view! {
                    <div><dt>{t!(i18n, bill.authorized)}</dt><dd data-testid="bill-authorized">{format!("{authorized} h")}</dd></div>
                    <div><dt>{t!(i18n, bill.charged)}</dt><dd data-testid="bill-charged">{format!("{charged} h")}</dd></div>
                })}
            </dl>
            {status_line.map(|s| view! { <p class="notice" data-testid="bill-status">{s}</p> })}
            {(!staff && open).then(|| waiting.clone().map(|offer| view! { <OfferDecision offer remaining bill /> }))}
            {(staff && open).then(|| {
                let b = b.clone();
                lazy_part(move || staff_forms(b.clone(), bill, contract, authorized, charged))
            })}
            {if !remote {
                ().into_any()
            } else if staff {
                view! { <ChecklistStatus checklist=b.checklist.clone() missing=b.checklist_missing.clone() /> }.into_any()
            } else if open {
                view! { <ChecklistForm saved=b.checklist.clone() missing=b.checklist_missing.clone() bill /> }.into_any()
            } else {
                ().into_any()
            }}
            <section class="bill-sub" data-testid="credentials" aria-labelledby="creds-h">
                <h3 id="creds-h">{t!(i18n, bill.creds_title)}</h3>
                {(purged && !staff).then(|| view! { <p class="notice notice-warn" data-testid="change-reminder">{t!(i18n, bill.change_reminder)}</p> })}
                <super::billing_staff::CredentialList creds=b.credentials.clone() staff bill />
                {open.then(|| view! { <CredentialForm staff bill /> })}
            </section>
            <OfferHistory offers=b.offers.clone() />
            <TimeList entries=b.time.clone() />
            <InvoiceList invoices=b.invoices.clone() />
        </div>
    }
}

/// Every offer, newest first, with the client's decision.
#[component]
fn OfferHistory(offers: Vec<OfferView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="bill-sub" aria-labelledby="offers-h">
            <h3 id="offers-h">{t!(i18n, bill.offers)}</h3>
            {offers.is_empty().then(|| view! { <p class="hint">{t!(i18n, bill.no_offers)}</p> })}
            <ul class="admin-list" data-testid="offers">
                {offers.into_iter().map(|o| {
                    let (kind, state) = (o.kind, o.state);
                    let who = o.created_by.name.clone();
                    let at = fmt_time(i18n, &o.created_at);
                    let amount = match o.kind {
                        OfferKind::Quote => format_mxn(o.total_cents),
                        OfferKind::Estimate => format!("{} h", o.hours),
                    };
                    view! {
                        <li class="admin-item" data-testid="offer" data-id=o.id.clone() data-kind=kind.as_str() data-state=format!("{state:?}").to_lowercase()>
                            <span><span class="item-title">{move || offer_kind_label(i18n, kind)}</span>
                                " · " <span data-testid="offer-amount">{amount}</span>
                                " " <span class=format!("tag offer-{}", format!("{state:?}").to_lowercase())>{move || offer_state_label(i18n, state)}</span></span>
                            <span class="hint">{t!(i18n, bill.sent_by, who = move || who.clone(), at = move || at.clone())}</span>
                            {o.payment_terms.clone().map(|p| view! { <span class="hint">{t!(i18n, bill.payment_terms)}": "{p}</span> })}
                            {o.decision.clone().map(|dec| {
                                let accepted = dec.decision == Decision::Accept;
                                view! {
                                    <span data-testid="offer-decision">
                                        {move || if accepted { t_string!(i18n, bill.dec_accept) } else { t_string!(i18n, bill.dec_reject) }}
                                        {format!(": {} · {}", dec.by.name, fmt_time(i18n, &dec.at))}
                                        {dec.ip.map(|ip| format!(" · IP {ip}"))}
                                    </span>
                                }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The service reports (time entries), newest first.
#[component]
fn TimeList(entries: Vec<TimeEntryView>) -> impl IntoView {
    let i18n = use_i18n();
    (!entries.is_empty()).then(|| {
        view! {
            <section class="bill-sub" aria-labelledby="time-h">
                <h3 id="time-h">{t!(i18n, bill.time)}</h3>
                <ul class="admin-list" data-testid="time-entries">
                    {entries.into_iter().map(|e| {
                        let n = e.charged_hours;
                        view! {
                            <li class="admin-item" data-testid="time-entry" data-minutes=e.minutes data-charged=n>
                                <span><strong>{format!("{} min", e.minutes)}</strong>" · "
                                    {t!(i18n, bill.charged_n, n = move || n)}
                                    {e.warranty.then(|| view! { " " <span class="tag">{t!(i18n, bill.warranty_tag)}</span> })}</span>
                                <span class="msg-body">{e.note.clone()}</span>
                                <span class="hint">{format!("{} · {}", e.by.name, fmt_time(i18n, &e.created_at))}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The ticket's invoices with due dates and status.
#[component]
fn InvoiceList(invoices: Vec<InvoiceView>) -> impl IntoView {
    let i18n = use_i18n();
    (!invoices.is_empty()).then(|| {
        view! {
            <section class="bill-sub" aria-labelledby="inv-h">
                <h3 id="inv-h">{t!(i18n, bill.invoices)}</h3>
                <ul class="admin-list" data-testid="ticket-invoices">
                    {invoices.into_iter().map(|inv| view! { <InvoiceLine inv link=false /> }).collect_view()}
                </ul>
            </section>
        }
    })
}
