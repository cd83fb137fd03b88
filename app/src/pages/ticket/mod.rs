//! `/tickets/{id}` — one ticket, for its client and for staff (role-aware).
//!
//! Timeline of public messages (plus internal notes for staff) and events;
//! due time or pause reason (P7, P9); reply with screenshots; the client
//! confirms the solution or reopens inside the warranty window (P16–P18);
//! staff reply, add notes, send the two P17 messages, pause on a third party
//! or a release, resolve, close, close as out of scope (P10), merge (P12) and
//! flag abusive client messages (P27).
//!
//! The ticket is a `LocalResource` keyed on the route's `id`, shown inside two
//! `<Transition>`s (the head; then, mounted once with it, the live panel and the rest);
//! every change goes through one `Action` whose answer (the updated ticket) replaces the
//! resource's value without reading it again.
use domain::api::{BreachReasonRequest, PostMessageRequest, TicketDetail};
use domain::contract::Coverage;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::page::{drop_boot_frame, set_title};
use crate::components::tickets::{
    error_text, ticking_now, upload_all, use_calendar, Picked, Rejected,
};
use crate::i18n::*;
use crate::lazy::lazy_part;
use crate::session::use_session;
use crate::split_part;

mod billing;
mod billing_client;
mod billing_staff;
mod breach_reason;
mod client_actions;
mod composer;
mod header;
mod live;
mod staff_panel;
mod timeline;

use billing::{Billing, BillingPanel};
use breach_reason::BreachReasonForm;
use client_actions::ClientActions;
use composer::Composer;
use header::Header;
pub use live::ChatClosed;
use live::LivePanel;
use staff_panel::StaffPanel;
use timeline::Timeline;

// Staff's side of the page is a chunk of its own (issue 14): a client never downloads it.
split_part!(ticket_staff: fn staff_side(d: TicketDetail, ctl: Ctl, reason: RwSignal<String>) {
    let breach = d.sla.breach_recordable;
    view! {
        <StaffPanel d=d.clone() ctl reason />
        {breach.then(|| view! { <BreachReasonForm d ctl /> })}
    }
});

/// What the page asks the server to do to the ticket.
#[derive(Clone)]
enum Request {
    /// `close`, `reopen` or `assign` (take it).
    Action(String, &'static str),
    Status {
        id: String,
        to: &'static str,
        reason: Option<String>,
    },
    AssignTo(String, String),
    OutOfScope(String, String),
    Merge(String, String),
    Flag {
        id: String,
        message_id: String,
    },
    BreachReason(String, BreachReasonRequest),
    /// A reply or note: then the picked screenshots are uploaded and the ticket read again.
    Message(String, PostMessageRequest),
}

/// What the server answered.
#[derive(Clone)]
enum Answer {
    /// The ticket after the change.
    Done(TicketDetail),
    /// The message was sent; the ticket as read again (it may fail on its own).
    Sent(Result<TicketDetail, ApiError>),
    Failed(ApiError),
}

/// Sends one request. A message also uploads the picked screenshots and empties
/// the composer (its state lives in the page).
async fn perform(
    req: Request,
    body: RwSignal<String>,
    kind: RwSignal<&'static str>,
    files: RwSignal<Vec<Picked>>,
) -> Answer {
    let done = match req {
        Request::Message(id, message) => {
            return match api::post_message(id.clone(), message).await {
                Ok(m) => {
                    let picked = files.get_untracked();
                    let failed = if picked.is_empty() {
                        0
                    } else {
                        upload_all(id.clone(), Some(m.id), picked).await
                    };
                    if failed == 0 {
                        files.set(Vec::new());
                    }
                    body.set(String::new());
                    kind.set("reply");
                    Answer::Sent(api::ticket(id).await)
                }
                Err(e) => Answer::Failed(e),
            };
        }
        Request::Action(id, action) => api::ticket_action(id, action).await,
        Request::Status { id, to, reason } => api::set_status(id, to, reason).await,
        Request::AssignTo(id, user) => api::assign_to(id, user).await,
        Request::OutOfScope(id, reason) => api::out_of_scope(id, reason).await,
        Request::Merge(id, into) => api::merge(id, into).await,
        Request::Flag { id, message_id } => api::flag_message(id, message_id).await,
        Request::BreachReason(id, body) => api::breach_reason(id, body).await,
    };
    match done {
        Ok(d) => Answer::Done(d),
        Err(e) => Answer::Failed(e),
    }
}

/// Everything a view of the ticket needs to act on it.
#[derive(Clone, Copy)]
struct Ctl {
    /// The route `id` a request was sent from, and the server's answer.
    action: Action<Request, (String, Answer)>,
    busy: Memo<bool>,
    error: RwSignal<Option<String>>,
    notice: RwSignal<Option<&'static str>>,
}

impl Ctl {
    /// Sends a request (one at a time); the answer is applied by the page.
    fn run(self, req: Request) {
        if self.busy.get_untracked() {
            return;
        }
        self.error.set(None);
        // A message leaves the last notice until it is sent (then it says so).
        if !matches!(req, Request::Message(..)) {
            self.notice.set(None);
        }
        self.action.dispatch_local(req);
    }
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let session = use_session();
    let staff = move || session.role().is_some_and(|r| r.is_staff());
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let ticket = LocalResource::new(move || api::ticket(id.get()));
    // Paid service (issue 13): its own resource and drafts, kept across re-renders.
    let bill = Billing::new(
        ticket,
        Memo::new(move |_| staff()),
        t_string!(i18n, bill.payment_terms_default).to_string(),
    );
    set_title(move || t_string!(i18n, ticket.title));

    // Composer state lives here so that re-rendering the ticket keeps it.
    let body = RwSignal::new(String::new());
    let kind = RwSignal::new("reply");
    let files = RwSignal::new(Vec::<Picked>::new());
    let rejected = RwSignal::new(Vec::<Rejected>::new());
    let reason = RwSignal::new(String::new());
    let now = ticking_now(30);
    let cal = use_calendar();

    let action = Action::new_local(move |req: &Request| {
        let (req, from) = (req.clone(), id.get_untracked());
        async move { (from, perform(req, body, kind, files).await) }
    });
    let ctl = Ctl {
        action,
        busy: action.pending(),
        error: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    let answer = action.value();
    // Set as the head is first rendered: what sits below it is mounted then, in the same
    // update, so nothing below the head moves when it arrives.
    let head = RwSignal::new(false);
    Effect::new(move |_| {
        let Some((from, answer)) = answer.get() else {
            return;
        };
        // Only the answer is tracked. A ticket left meanwhile is not shown over the
        // one being loaded.
        untrack(|| {
            let here = from == id.get();
            match answer {
                Answer::Done(d) => {
                    if here {
                        ticket.set(Some(Ok(d)));
                    }
                }
                Answer::Sent(d) => {
                    if here {
                        ticket.set(Some(d));
                    }
                    ctl.notice.set(Some(t_string!(i18n, ticket.sent)));
                }
                Answer::Failed(e) => ctl.error.set(Some(error_text(i18n, &e))),
            }
        });
    });

    view! {
        <section class="page wide ticket-page">
            <p><A href=move || if staff() { "/cola".to_string() } else { "/mis-tickets".to_string() }>{move || if staff() { t_string!(i18n, ticket.back_queue) } else { t_string!(i18n, ticket.back_mine) }}</A></p>
            {move || ctl.error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="ticket-error">{e}</p> })}
            {move || ctl.notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            // The ticket's head first: it is what a deep link's document is painted with
            // (`worker/src/frame.rs`), and it says which ticket this is before anything else.
            <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }>
                {move || ticket.get().map(|r| match r {
                    Err(e) if e.status == 404 => {
                        drop_boot_frame();
                        view! { <div data-error="404"><h1>{t!(i18n, ticket.not_found)}</h1></div> }.into_any()
                    }
                    Err(e) => {
                        drop_boot_frame();
                        view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any()
                    }
                    Ok(d) => {
                        if !head.get_untracked() {
                            head.set(true);
                        }
                        view! { <Header d staff=staff() now cal /> }.into_any()
                    }
                })}
            </Transition>
            // Mounted once, with the head; a re-read of the ticket never re-renders the live
            // panel (its socket and the line being typed stay).
            {move || head.get().then(|| view! {
                <LivePanel id ticket staff=untrack(staff) />
                <Transition fallback=|| ()>
                    {move || ticket.get().and_then(|r| r.ok()).map(|d| {
                        let staff = staff();
                        let paid = d.summary.coverage != Coverage::Free;
                        view! {
                            <ClientActions d=d.clone() staff ctl />
                            <div class="ticket-layout">
                                <div class="ticket-main">
                                    {paid.then(|| view! { <BillingPanel d=d.clone() staff bill /> })}
                                    <Timeline d=d.clone() staff ctl />
                                    <Composer d=d.clone() staff ctl body kind files rejected />
                                </div>
                                {staff.then(|| {
                                    let d = d.clone();
                                    lazy_part(move || staff_side(d.clone(), ctl, reason))
                                })}
                            </div>
                        }
                    })}
                </Transition>
            })}
        </section>
    }
}
