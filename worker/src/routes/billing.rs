//! Paid service inside a ticket (issue 13; P15, P18, P22–P26): quotes and estimates the client
//! authorizes, the remote-session checklist, sealed credentials, time in whole hours charged
//! through the ledger, and the completion that sends the summary and the invoice.
//!
//! The rules are `domain::billing::flow`; a step that moves the ticket (sending an offer, the
//! decision, completing) goes through the change engine with its rows as `extra` statements
//! of the same guarded batch. Time entries charge the póliza with one guarded insert.
use domain::api::billing::{
    AuthorizationRequest, BillingView, CompleteRequest, CredentialRequest, CredentialView,
    DecisionView, EstimateRequest, InvoiceStatus, InvoiceView, OfferItemRequest, OfferKind,
    OfferView, QuoteRequest, RevealedCredential, TimeEntryView, TimeRequest,
};
use domain::api::{ErrorBody, UserRef};
use domain::billing::flow::{self, OfferFacts, PaidTicket, Poliza};
use domain::billing::{
    format_mxn, price_quote, BillingError, Decision as Choice, OfferState, PriceItem, QuoteLine,
    RemoteChecklist, MAX_QUANTITY,
};
use domain::contract::{Category, Coverage};
use domain::ticket::plan;
use domain::ticket::{Action, Status};
use domain::validation::{optional_text, required_text};
use futures_util::future::ready;
use worker::{Request, Response};

use super::catalog::{self, contract_view, today, Standing};
use super::tickets::{change, visible, who, Decision};
use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{client_ip, json, ok, read_json};
use crate::repo::billing::{self as repo, InvoiceRow, TicketFacts};
use crate::repo::sql::Guard;
use crate::repo::tickets::TicketRow;
use crate::repo::{batch, bind, prices};
use crate::seal;
use crate::util::{db_time, new_id, now};

// ---------------------------------------------------------------------------
// Reading

/// The ticket as `domain::billing::flow` sees it.
fn paid_ticket<'a>(
    row: &TicketRow,
    facts: &TicketFacts,
    offers: &'a [OfferFacts],
) -> ApiResult<PaidTicket<'a>> {
    let coverage = match row.coverage.as_str() {
        "contract" => Coverage::Contract,
        "per_event" => Coverage::PerEvent,
        _ => Coverage::Free,
    };
    let checklist_complete = facts
        .checklist
        .as_ref()
        .and_then(|c| serde_json::from_str::<RemoteChecklist>(&c.data).ok())
        .is_some_and(|c| c.complete());
    Ok(PaidTicket {
        coverage,
        status: super::tickets::status_of(row)?,
        offers,
        charged_hours: facts.charged_hours,
        completed: facts.completed,
        remote: row.category.parse::<Category>().ok() == Some(Category::RemoteAssistance),
        checklist_complete,
    })
}

fn offer_facts(facts: &TicketFacts) -> Vec<OfferFacts> {
    facts
        .offers
        .iter()
        .filter_map(|o| {
            Some(OfferFacts {
                id: o.id.clone(),
                kind: OfferKind::parse(&o.kind)?,
                state: OfferState::parse(&o.state)?,
                hours: o.hours.max(0) as u32,
                total_cents: o.total_cents,
                invoiced: o.invoice_id.is_some(),
            })
        })
        .collect()
}

fn poliza(standing: &Standing) -> Option<Poliza> {
    let id = standing.facts.contract_id.clone()?;
    let (_, st) = standing.contract.as_ref()?;
    Some(Poliza { id, status: *st })
}

/// The ticket (404 unless the caller sees it), its paid facts and the company's standing.
struct Loaded {
    row: TicketRow,
    facts: TicketFacts,
    offers: Vec<OfferFacts>,
    standing: Standing,
    /// The office's date today.
    today: chrono::NaiveDate,
}

impl Loaded {
    async fn load(ctx: &Ctx, caller: &Caller, id: &str) -> ApiResult<Loaded> {
        let row = visible(ctx, caller, id).await?;
        let (facts, standing, cal) = futures_util::future::join3(
            repo::ticket_facts(&ctx.db, &row.id),
            catalog::standing(ctx, &row.company_id),
            super::calendar::calendar(ctx),
        )
        .await;
        let facts = facts?;
        Ok(Loaded {
            offers: offer_facts(&facts),
            row,
            facts,
            standing: standing?,
            today: today(&cal?),
        })
    }

    fn ticket(&self) -> ApiResult<PaidTicket<'_>> {
        paid_ticket(&self.row, &self.facts, &self.offers)
    }

    fn view(self, caller: &Caller) -> ApiResult<BillingView> {
        let staff = caller.role.is_staff();
        let t = self.ticket()?;
        let (work_allowed, authorized, warranty) =
            (t.work_allowed(), t.authorized_hours(), t.under_warranty());
        let paid = t.coverage != Coverage::Free;
        let checklist = self
            .facts
            .checklist
            .as_ref()
            .and_then(|c| serde_json::from_str::<RemoteChecklist>(&c.data).ok());
        let missing = checklist
            .clone()
            .unwrap_or_default()
            .missing()
            .into_iter()
            .map(str::to_string)
            .collect();
        let today = self.today.to_string();
        Ok(BillingView {
            ticket_id: self.row.id.clone(),
            coverage: self.row.coverage.clone(),
            paid,
            offers: self
                .facts
                .offers
                .iter()
                .filter_map(|o| offer_view(o, staff))
                .collect(),
            work_allowed,
            authorized_hours: authorized,
            charged_hours: self.facts.charged_hours,
            contract: self
                .standing
                .contract
                .as_ref()
                .map(|(c, s)| contract_view(c, s)),
            checklist,
            checklist_missing: missing,
            credentials: self
                .facts
                .credentials
                .iter()
                .map(|c| CredentialView {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    created_at: c.created_at.clone(),
                    purged_at: c.purged_at.clone(),
                    reveals: staff.then_some(c.reveals),
                })
                .collect(),
            time: self.facts.time.iter().map(time_view).collect(),
            warranty,
            invoices: self
                .facts
                .invoices
                .iter()
                .map(|i| invoice_view(i, &today))
                .collect(),
        })
    }
}

fn user(id: &str, name: &str) -> UserRef {
    UserRef {
        id: id.to_string(),
        name: name.to_string(),
        role: None,
    }
}

fn offer_view(o: &repo::OfferRow, staff: bool) -> Option<OfferView> {
    let lines: Vec<QuoteLine> = serde_json::from_str(&o.lines).unwrap_or_default();
    let decision = match (&o.decided_by, &o.decided_at) {
        (Some(by), Some(at)) => Some(DecisionView {
            decision: if o.state == "accepted" {
                Choice::Accept
            } else {
                Choice::Reject
            },
            by: user(by, o.decided_by_name.as_deref().unwrap_or("")),
            at: at.clone(),
            terms_accepted: o.terms_accepted == Some(1),
            ip: if staff { o.decided_ip.clone() } else { None },
        }),
        _ => None,
    };
    Some(OfferView {
        id: o.id.clone(),
        kind: OfferKind::parse(&o.kind)?,
        state: OfferState::parse(&o.state)?,
        lines,
        hours: o.hours.max(0) as u32,
        total_cents: o.total_cents,
        payment_terms: o.payment_terms.clone(),
        invoicing_data: o.invoicing_data.clone(),
        note: o.note.clone(),
        created_by: user(&o.created_by, &o.created_by_name),
        created_at: o.created_at.clone(),
        decision,
    })
}

fn time_view(t: &repo::TimeRow) -> TimeEntryView {
    TimeEntryView {
        id: t.id.clone(),
        by: user(&t.user_id, &t.user_name),
        minutes: t.minutes.max(0) as u32,
        charged_hours: t.charged_hours.max(0) as u32,
        warranty: t.warranty != 0,
        note: t.note.clone(),
        created_at: t.created_at.clone(),
    }
}

pub fn invoice_view(i: &InvoiceRow, today: &str) -> InvoiceView {
    let status = match &i.paid_on {
        Some(_) => InvoiceStatus::Paid,
        None if i.due_on.as_str() < today => InvoiceStatus::Overdue,
        None => InvoiceStatus::Pending,
    };
    InvoiceView {
        id: i.id.clone(),
        company_id: i.company_id.clone(),
        company_name: i.company_name.clone(),
        ticket_id: i.ticket_id.clone(),
        ticket_number: i.ticket_number.clone(),
        amount_cents: i.amount_cents,
        delivered_on: i.delivered_on.clone(),
        due_on: i.due_on.clone(),
        paid_on: i.paid_on.clone(),
        paid_reference: i.paid_reference.clone(),
        status,
    }
}

async fn billing_response(
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    status: u16,
) -> ApiResult<Response> {
    let l = Loaded::load(ctx, caller, id).await?;
    json(status, &l.view(caller)?)
}

#[utoipa::path(get, path = "/api/tickets/{id}/billing", tag = "billing",
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 200, body = BillingView, description = "Offers, authorizations, checklist, credentials (never their secrets), time and invoices of the ticket"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 404, body = ErrorBody, description = "No such ticket, or not visible to the caller")))]
pub async fn get(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    billing_response(ctx, &caller, id, 200).await
}

// ---------------------------------------------------------------------------
// Offers

fn wanted(items: &[OfferItemRequest]) -> ApiResult<Vec<(String, u32)>> {
    items
        .iter()
        .map(|i| {
            let q = u32::try_from(i.quantity)
                .ok()
                .filter(|q| (1..=MAX_QUANTITY).contains(q))
                .ok_or(BillingError::BadQuantity)?;
            Ok((i.price_item_id.trim().to_string(), q))
        })
        .collect()
}

async fn price_list(ctx: &Ctx) -> ApiResult<Vec<PriceItem>> {
    prices::offered(&ctx.db).await
}

/// An offer ready to store.
struct Draft {
    kind: OfferKind,
    lines: Vec<QuoteLine>,
    hours: u32,
    total_cents: i64,
    payment_terms: Option<String>,
    invoicing_data: Option<String>,
    note: Option<String>,
    contract_id: Option<String>,
}

impl Draft {
    fn announcement(&self) -> (String, String) {
        match self.kind {
            OfferKind::Quote => (
                format!(
                    "Te enviamos una cotización por {} ({} concepto(s)). Revísala y autorízala aquí; el trabajo empieza cuando la autorices.",
                    format_mxn(self.total_cents),
                    self.lines.len()
                ),
                format!(
                    "We sent you a quote for {} ({} item(s)). Review and authorize it here; work starts once you authorize it.",
                    format_mxn(self.total_cents),
                    self.lines.len()
                ),
            ),
            OfferKind::Estimate => (
                format!(
                    "Te enviamos una estimación de {} h para descontar de tu póliza. Revísala y autorízala aquí; el trabajo empieza cuando la autorices.",
                    self.hours
                ),
                format!(
                    "We sent you an estimate of {} h to deduct from your póliza. Review and authorize it here; work starts once you authorize it.",
                    self.hours
                ),
            ),
        }
    }
}

/// Sends `draft`: a waiting offer is withdrawn first (its own status change, so the client's
/// decision on it and the new offer can never both apply), then the new one moves the ticket
/// to "awaiting authorization" with a message to the client, in one guarded batch.
async fn send_offer(ctx: &Ctx, caller: &Caller, l: &Loaded, draft: Draft) -> ApiResult<Response> {
    let who = who(caller);
    if super::tickets::status_of(&l.row)? == Status::AwaitingAuthorization {
        change(ctx, caller, &l.row.id, ready(()), |t, _, at| {
            Ok(plan::plan_status(&t.snapshot()?, &who, Status::Open, None, &t.cal, at)?.into())
        })
        .await?;
    }
    let id = new_id()?;
    let lines = serde_json::to_string(&draft.lines)?;
    let (es, en) = draft.announcement();
    let company = l.row.company_id.clone();
    change(ctx, caller, &l.row.id, ready(()), |t, _, at| {
        let snap = t.snapshot()?;
        let plan = plan::plan_paid_step(
            &snap,
            &who,
            Action::RequestAuthorization,
            (&es, &en),
            &t.cal,
            at,
        )?;
        let guard = Guard {
            ticket_id: &t.row.id,
            status: snap.status.as_str(),
        };
        let now_s = db_time(at);
        let offer = repo::NewOffer {
            id: &id,
            company_id: &company,
            kind: draft.kind.as_str(),
            lines: &lines,
            hours: i64::from(draft.hours),
            total_cents: draft.total_cents,
            payment_terms: draft.payment_terms.as_deref(),
            invoicing_data: draft.invoicing_data.as_deref(),
            note: draft.note.as_deref(),
            contract_id: draft.contract_id.as_deref(),
            created_by: &caller.id,
            now: &now_s,
        };
        Ok(Decision {
            plan,
            other: None,
            extra: vec![
                repo::supersede_waiting(guard),
                repo::insert_offer(&offer, guard),
            ],
        })
    })
    .await?;
    let after = Loaded::load(ctx, caller, &l.row.id).await?;
    let view = after
        .facts
        .offers
        .iter()
        .find(|o| o.id == id)
        .and_then(|o| offer_view(o, true))
        .ok_or_else(|| ApiError::Internal("the new offer was not stored".into()))?;
    json(201, &view)
}

fn staff_caller(caller: &Caller) -> ApiResult<()> {
    who(caller).require_staff()?;
    Ok(())
}

/// A step only the client takes (403 for staff, with `why`), and not while suspended (P27).
fn client_caller(caller: &Caller, why: (&str, &str)) -> ApiResult<()> {
    if caller.role.is_staff() {
        return Err(ApiError::Forbidden("clients_only", why.into()));
    }
    who(caller).require_not_suspended()?;
    Ok(())
}

#[utoipa::path(post, path = "/api/tickets/{id}/quotes", tag = "billing", request_body = QuoteRequest,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 201, body = OfferView, description = "Sent; the ticket awaits the client's authorization (SLA paused) and a waiting offer is superseded"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Not staff"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "A free category, or the ticket is resolved/closed"),
              (status = 422, body = ErrorBody, description = "No items, an unknown item, a quantity out of range, or missing payment terms — with `field`")))]
pub async fn quote(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    staff_caller(&caller)?;
    let body: QuoteRequest = read_json(req).await?;
    let terms = required_text("payment_terms", &body.payment_terms, 1000)?;
    let invoicing = optional_text(
        "invoicing_data",
        body.invoicing_data.as_deref().unwrap_or(""),
        1000,
    )?;
    let wanted = wanted(&body.items)?;
    let (l, list) =
        futures_util::future::join(Loaded::load(ctx, &caller, id), price_list(ctx)).await;
    let (l, list) = (l?, list?);
    flow::check_quote(&l.ticket()?)?;
    // P20: the preferential column only with a current póliza.
    let lines = price_quote(&list, &wanted, l.standing.contract_current())?;
    let draft = Draft {
        kind: OfferKind::Quote,
        hours: lines.iter().map(|x| x.hours).sum(),
        total_cents: domain::billing::quote_total(&lines),
        lines,
        payment_terms: Some(terms),
        invoicing_data: invoicing,
        note: None,
        contract_id: None,
    };
    send_offer(ctx, &caller, &l, draft).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/estimates", tag = "billing", request_body = EstimateRequest,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 201, body = OfferView, description = "Sent; the ticket awaits the client's authorization to deduct the hours"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Not staff"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "A free category, the ticket is resolved/closed, or no current póliza (`contract_not_current`)"),
              (status = 422, body = ErrorBody, description = "Hours out of range, or above the póliza's remaining hours (`insufficient_hours`, field `hours`: quote the excess per event)")))]
pub async fn estimate(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    staff_caller(&caller)?;
    let body: EstimateRequest = read_json(req).await?;
    let note = optional_text("note", body.note.as_deref().unwrap_or(""), 2000)?;
    let wanted = wanted(&body.items)?;
    let (l, list) =
        futures_util::future::join(Loaded::load(ctx, &caller, id), price_list(ctx)).await;
    let (l, list) = (l?, list?);
    let p = poliza(&l.standing);
    let hours = flow::check_estimate(&l.ticket()?, body.hours, p.as_ref())?;
    let lines = if wanted.is_empty() {
        vec![]
    } else {
        price_quote(&list, &wanted, l.standing.contract_current())?
    };
    let draft = Draft {
        kind: OfferKind::Estimate,
        lines,
        hours,
        total_cents: 0,
        payment_terms: None,
        invoicing_data: None,
        note,
        contract_id: p.map(|p| p.id),
    };
    send_offer(ctx, &caller, &l, draft).await
}

#[utoipa::path(post, path = "/api/tickets/{id}/authorizations", tag = "billing", request_body = AuthorizationRequest,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 200, body = BillingView, description = "Recorded once (who, when, IP, the exact offer); the ticket goes back to support"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Staff, or a suspended client"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "The offer was already decided, superseded or withdrawn (`offer_closed`), or the póliza is no longer current"),
              (status = 422, body = ErrorBody, description = "Unknown offer (`offer_id`), terms not accepted (`accept_terms`), or an estimate above the remaining hours (`hours`)")))]
pub async fn authorize(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    client_caller(
        &caller,
        (
            "Solo el cliente puede autorizar o rechazar una propuesta.",
            "Only the client can authorize or reject an offer.",
        ),
    )?;
    let body: AuthorizationRequest = read_json(req).await?;
    let ip = client_ip(req);
    let l = Loaded::load(ctx, &caller, id).await?;
    let p = poliza(&l.standing);
    let t = l.ticket()?;
    let (offer, next) = flow::decide_offer(
        &t,
        body.offer_id.trim(),
        body.decision,
        body.accept_terms,
        p.as_ref(),
    )?;
    let what = match offer.kind {
        OfferKind::Quote => (
            format!("la cotización por {}", format_mxn(offer.total_cents)),
            format!("the quote for {}", format_mxn(offer.total_cents)),
        ),
        OfferKind::Estimate => (
            format!("la estimación de {} h de la póliza", offer.hours),
            format!("the estimate of {} h of the póliza", offer.hours),
        ),
    };
    let (es, en) = if next == OfferState::Accepted {
        (
            format!(
                "{} autorizó {} y aceptó las condiciones.",
                caller.name, what.0
            ),
            format!(
                "{} authorized {} and accepted the terms.",
                caller.name, what.1
            ),
        )
    } else {
        (
            format!("{} rechazó {}.", caller.name, what.0),
            format!("{} rejected {}.", caller.name, what.1),
        )
    };
    let offer_id = offer.id.clone();
    let state = if next == OfferState::Accepted {
        "accepted"
    } else {
        "rejected"
    };
    let who = who(&caller);
    change(ctx, &caller, id, ready(()), |t, _, at| {
        let snap = t.snapshot()?;
        if snap.status != Status::AwaitingAuthorization {
            return Err(BillingError::OfferClosed.into());
        }
        let plan = plan::plan_paid_step(&snap, &who, Action::Authorize, (&es, &en), &t.cal, at)?;
        let guard = Guard {
            ticket_id: &t.row.id,
            status: snap.status.as_str(),
        };
        let now_s = db_time(at);
        let decision = repo::DecisionWrite {
            offer_id: &offer_id,
            state,
            by: &caller.id,
            ip: Some(ip.as_str()),
            terms_accepted: body.accept_terms,
            now: &now_s,
        };
        Ok(Decision {
            plan,
            other: None,
            extra: vec![repo::decide_offer(&decision, guard)],
        })
    })
    .await?;
    billing_response(ctx, &caller, id, 200).await
}

// ---------------------------------------------------------------------------
// Remote session and credentials

fn checklist_input(c: RemoteChecklist) -> ApiResult<RemoteChecklist> {
    let short = |field: &'static str, v: &str, max: usize| -> ApiResult<String> {
        Ok(optional_text(field, v, max)?.unwrap_or_default())
    };
    Ok(RemoteChecklist {
        teamviewer_id: short("teamviewer_id", &c.teamviewer_id, 40)?,
        responsible_name: short("responsible_name", &c.responsible_name, 120)?,
        responsible_phone: short("responsible_phone", &c.responsible_phone, 40)?,
        ..c
    })
}

fn open_paid(l: &Loaded) -> ApiResult<()> {
    let t = l.ticket()?;
    if t.coverage == Coverage::Free {
        return Err(BillingError::FreeService.into());
    }
    if !t.status.is_open() {
        return Err(BillingError::TicketFinished.into());
    }
    Ok(())
}

#[utoipa::path(put, path = "/api/tickets/{id}/remote-checklist", tag = "billing", request_body = RemoteChecklist,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 200, body = BillingView, description = "Saved (partial saves allowed; `checklist_missing` lists what is left)"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Staff (the client confirms it), or a suspended client"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "A free category, or the ticket is resolved/closed"),
              (status = 422, body = ErrorBody, description = "A text too long — with `field`")))]
pub async fn checklist(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    client_caller(
        &caller,
        (
            "La lista previa la confirma el cliente.",
            "The client confirms the checklist.",
        ),
    )?;
    let body: RemoteChecklist = read_json(req).await?;
    let input = checklist_input(body)?;
    let l = Loaded::load(ctx, &caller, id).await?;
    open_paid(&l)?;
    let data = serde_json::to_string(&input)?;
    batch(
        &ctx.db,
        vec![bind(
            &ctx.db,
            &repo::save_checklist(
                &l.row.id,
                &data,
                input.complete(),
                &caller.id,
                &db_time(now()),
            ),
        )?],
    )
    .await?;
    tell_billing(ctx, &l.row.id, "checklist");
    billing_response(ctx, &caller, id, 200).await
}

/// Billing rows written outside the change engine (checklist, credentials, time, payment)
/// are announced to the ticket's open pages like any other change (issue 15): they read
/// the ticket and its billing view again. Nothing secret is in the frame.
pub fn tell_billing(ctx: &Ctx, ticket_id: &str, what: &str) {
    ctx.live
        .borrow_mut()
        .push(crate::live::Push::changed(ticket_id, what, None));
}

#[utoipa::path(post, path = "/api/tickets/{id}/credentials", tag = "billing", request_body = CredentialRequest,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 201, body = CredentialView, description = "Sealed with AES-GCM; the answer never carries the user or the secret"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "A suspended client"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "A free category, or the ticket is resolved/closed"),
              (status = 422, body = ErrorBody, description = "A missing or too long field — with `field`"),
              (status = 503, body = ErrorBody, description = "No credential key configured on this server")))]
pub async fn add_credential(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    // Before anything is read: a server without the key takes no credentials at all.
    if !seal::configured(&ctx.env) {
        return Err(ApiError::Unavailable(
            "credentials_unavailable",
            (
                "El resguardo de credenciales no está configurado en este servidor.",
                "Credential storage is not configured on this server.",
            )
                .into(),
        ));
    }
    who(&caller).require_not_suspended()?;
    let body: CredentialRequest = read_json(req).await?;
    let label = required_text("label", &body.label, 80)?;
    let username = required_text("username", &body.username, 200)?;
    // The secret is kept exactly as typed (spaces may be part of it).
    if body.secret.is_empty() || body.secret.chars().count() > 500 {
        return Err(ApiError::invalid(
            "invalid_secret",
            "secret",
            (
                "Escribe la contraseña (hasta 500 caracteres).",
                "Type the password (up to 500 characters).",
            ),
        ));
    }
    let l = Loaded::load(ctx, &caller, id).await?;
    open_paid(&l)?;
    let cid = new_id()?;
    let sealed = seal::seal(
        &ctx.env,
        &format!("{cid}/{}", l.row.id),
        &seal::Secret {
            username,
            secret: body.secret,
        },
    )
    .await?;
    let now_s = db_time(now());
    let r = batch(
        &ctx.db,
        vec![bind(
            &ctx.db,
            &repo::insert_credential(&cid, &l.row.id, &label, &sealed, &caller.id, &now_s),
        )?],
    )
    .await?;
    if crate::repo::tickets::changes(&r[0]) == 0 {
        return Err(BillingError::TicketFinished.into());
    }
    tell_billing(ctx, &l.row.id, "credentials");
    json(
        201,
        &CredentialView {
            id: cid,
            label,
            created_at: now_s,
            purged_at: None,
            reveals: caller.role.is_staff().then_some(0),
        },
    )
}

#[utoipa::path(post, path = "/api/tickets/{id}/credentials/{cid}/reveal", tag = "billing",
    params(("id" = String, Path, description = "Ticket id"), ("cid" = String, Path, description = "Credential id")),
    responses((status = 200, body = RevealedCredential, description = "The user and secret; the reveal is recorded (who, when, IP)"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Not staff"),
              (status = 404, body = ErrorBody, description = "No such ticket or credential"),
              (status = 410, body = ErrorBody, description = "Erased when the ticket was resolved")))]
pub async fn reveal(req: &Request, ctx: &Ctx, id: &str, cid: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    staff_caller(&caller)?;
    let row = visible(ctx, &caller, id).await?;
    let c = repo::sealed(&ctx.db, &row.id, cid)
        .await?
        .ok_or(ApiError::NotFound)?;
    let Some(sealed) = c.sealed else {
        return Err(ApiError::Gone(
            "credential_purged",
            (
                "Esta credencial se borró al resolverse el ticket.",
                "This credential was erased when the ticket was resolved.",
            )
                .into(),
        ));
    };
    let secret = seal::open(&ctx.env, &format!("{}/{}", c.id, row.id), &sealed).await?;
    let ip = client_ip(req);
    batch(
        &ctx.db,
        vec![bind(
            &ctx.db,
            &repo::record_reveal(&c.id, &row.id, &caller.id, Some(&ip), &db_time(now())),
        )?],
    )
    .await?;
    let mut resp = ok(&RevealedCredential {
        id: c.id,
        label: c.label,
        username: secret.username,
        secret: secret.secret,
    })?;
    let _ = resp.headers_mut().set("Cache-Control", "no-store");
    Ok(resp)
}

// ---------------------------------------------------------------------------
// Time and completion

#[utoipa::path(post, path = "/api/tickets/{id}/time", tag = "billing", request_body = TimeRequest,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 201, body = TimeEntryView, description = "Recorded; on a póliza charged in whole hours (rounded up, at least 1) through the ledger"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Not staff"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "Before the client's authorization (`not_authorized`), without the remote checklist (`checklist_incomplete`), beyond the authorized hours (`estimate_exceeded`), beyond the póliza's balance (`insufficient_hours`), a free category or a finished ticket"),
              (status = 422, body = ErrorBody, description = "Minutes out of 1–1440 or a missing note — with `field`")))]
pub async fn time(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    staff_caller(&caller)?;
    let body: TimeRequest = read_json(req).await?;
    let note = required_text("note", &body.note, 2000)?;
    for _ in 0..2 {
        let l = Loaded::load(ctx, &caller, id).await?;
        let p = poliza(&l.standing);
        let c = flow::plan_time(&l.ticket()?, body.minutes, p.as_ref())?;
        let entry_id = new_id()?;
        let now_s = db_time(now());
        let t = repo::NewTime {
            id: &entry_id,
            ticket_id: &l.row.id,
            offer_id: &c.offer_id,
            user_id: &caller.id,
            minutes: i64::from(c.minutes),
            charged_hours: i64::from(c.charged_hours),
            warranty: c.warranty,
            note: &note,
            now: &now_s,
        };
        let mut stmts = vec![];
        if let Some(k) = &c.contract_id {
            stmts.push(bind(&ctx.db, &repo::charge(&t, k))?);
        }
        stmts.push(bind(
            &ctx.db,
            &repo::insert_time(&t, c.contract_id.is_some()),
        )?);
        let r = batch(&ctx.db, stmts).await?;
        if r.iter().all(|x| crate::repo::tickets::changes(x) > 0) {
            tell_billing(ctx, &l.row.id, "time");
            return json(
                201,
                &TimeEntryView {
                    id: entry_id,
                    by: user(&caller.id, &caller.name),
                    minutes: c.minutes,
                    charged_hours: c.charged_hours,
                    warranty: c.warranty,
                    note,
                    created_at: now_s,
                },
            );
        }
        // Another charge (or a status change) came first: decide again on fresh facts.
    }
    Err(ApiError::conflict(
        "concurrent_update",
        (
            "El saldo cambió mientras registrabas el tiempo; intenta de nuevo.",
            "The balance changed while you recorded the time; please retry.",
        ),
    ))
}

#[utoipa::path(post, path = "/api/tickets/{id}/complete", tag = "billing", request_body = CompleteRequest,
    params(("id" = String, Path, description = "Ticket id")),
    responses((status = 200, body = BillingView, description = "The summary and the charges are in the ticket (resolved, the warranty starts); per-event work is invoiced, due 6 calendar days later; credentials erased"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 403, body = ErrorBody, description = "Not staff"),
              (status = 404, body = ErrorBody, description = "No such ticket"),
              (status = 409, body = ErrorBody, description = "Nothing authorized, a free category, or the ticket is resolved/closed"),
              (status = 422, body = ErrorBody, description = "A missing summary — with `field`")))]
pub async fn complete(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    staff_caller(&caller)?;
    let body: CompleteRequest = read_json(req).await?;
    let summary = required_text("summary", &body.summary, 5000)?;
    let l = Loaded::load(ctx, &caller, id).await?;
    let c = flow::plan_completion(&l.ticket()?, l.today)?;
    let live_credentials = l.facts.credentials.iter().any(|c| c.purged_at.is_none());
    let (es, en) = flow::completion_charges(&c, live_credentials);
    let invoice_id = new_id()?;
    let company = l.row.company_id.clone();
    let who = who(&caller);
    change(ctx, &caller, id, ready(()), |t, _, at| {
        let snap = t.snapshot()?;
        let plan = plan::plan_completion(&snap, &who, summary.clone(), (&es, &en), &t.cal, at)?;
        let guard = Guard {
            ticket_id: &t.row.id,
            status: snap.status.as_str(),
        };
        let now_s = db_time(at);
        let mut extra = vec![repo::mark_completed(guard, &now_s)];
        if let Some((delivered, due)) = c.invoice {
            let (delivered, due) = (delivered.to_string(), due.to_string());
            extra.push(repo::insert_invoice(
                &repo::NewInvoice {
                    id: &invoice_id,
                    company_id: &company,
                    amount_cents: c.amount_cents,
                    delivered_on: &delivered,
                    due_on: &due,
                    summary: &summary,
                    now: &now_s,
                },
                guard,
            ));
            extra.extend(
                c.quote_ids
                    .iter()
                    .map(|q| repo::link_invoice(q, &invoice_id)),
            );
        }
        Ok(Decision {
            plan,
            other: None,
            extra,
        })
    })
    .await?;
    billing_response(ctx, &caller, id, 200).await
}
