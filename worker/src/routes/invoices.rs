//! The póliza's hours ledger, invoices and payments (issue 13; P19, P22, P26).
use domain::api::billing::{
    CorrectionRequest, InvoiceList, InvoicePaidRequest, InvoiceStatus, InvoiceView,
    LedgerEntryView, LedgerView,
};
use domain::api::{ErrorBody, LocalizedText};
use domain::billing::LedgerKind;
use domain::contract::Contract;
use domain::sweeps::{poliza_notices, PolizaNotice};
use domain::validation::required_text;
use worker::{Request, Response};

use super::admin::Admin;
use super::billing::invoice_view;
use super::calendar::calendar;
use super::catalog::{self, contract_view, today};
use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ok, query_param, read_json};
use crate::repo::billing as repo;
use crate::repo::{batch, bind, rows};

/// The audit row of an admin change that was applied (written after it: a refused change
/// leaves none).
async fn audited<A: serde::Serialize>(
    ctx: &Ctx,
    admin: &Admin,
    (action, entity, id): (&str, &str, &str),
    after: &A,
) -> ApiResult<()> {
    let row = admin.audit(ctx, action, entity, Some(id), None::<&()>, Some(after))?;
    batch(&ctx.db, vec![row]).await?;
    Ok(())
}

/// The company a request is about: a client's own; staff name it with `?company_id=`.
fn company_of(req: &Request, caller: &Caller) -> ApiResult<String> {
    match &caller.company {
        Some(c) => Ok(c.id.clone()),
        None => query_param(req, "company_id")?
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| {
                ApiError::bad_field(
                    "company_id",
                    (
                        "Indica la empresa (company_id).",
                        "Name the company (company_id).",
                    ),
                )
            }),
    }
}

fn notice_text(n: PolizaNotice, c: &Contract) -> LocalizedText {
    let left = c.hours_total.saturating_sub(c.hours_used);
    let exp = c.expires_on();
    match n {
        PolizaNotice::HoursLow => LocalizedText::new(
            format!("Ya usaste el 80 % o más de las horas de tu póliza: quedan {left} h."),
            format!("You have used 80 % or more of your póliza's hours: {left} h left."),
        ),
        PolizaNotice::Expiring => LocalizedText::new(
            format!(
                "Tu póliza vence el {exp}; renuévala para conservar los precios preferenciales."
            ),
            format!("Your póliza expires on {exp}; renew it to keep the preferential prices."),
        ),
        PolizaNotice::ExpiredByDate => LocalizedText::new(
            format!("Tu póliza venció el {exp}."),
            format!("Your póliza expired on {exp}."),
        ),
        PolizaNotice::ExpiredByHours => LocalizedText::new(
            "Tu póliza ya no tiene horas disponibles.",
            "Your póliza has no hours left.",
        ),
    }
}

#[utoipa::path(get, path = "/api/contract/ledger", tag = "billing",
    params(("company_id" = Option<String>, Query, description = "Staff: the company (clients always get their own)")),
    responses((status = 200, body = LedgerView, description = "The latest póliza's hours ledger, oldest first, with the balance after each entry and the notices that apply today"),
              (status = 400, body = ErrorBody, description = "Staff without company_id"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 404, body = ErrorBody, description = "No such company")))]
pub async fn ledger(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let company = company_of(req, &caller)?;
    let (standing, cal) =
        futures_util::future::join(catalog::standing(ctx, &company), calendar(ctx)).await;
    let (standing, day) = (standing?, today(&cal?));
    let Some(contract_id) = standing.facts.contract_id.clone() else {
        return ok(&LedgerView {
            contract_id: None,
            contract: None,
            entries: vec![],
            notices: vec![],
        });
    };
    let rows = repo::ledger(&ctx.db, &contract_id).await?;
    let mut balance = 0;
    let entries = rows
        .into_iter()
        .map(|r| {
            balance += r.hours;
            LedgerEntryView {
                id: r.id,
                kind: LedgerKind::parse(&r.kind).unwrap_or(LedgerKind::Correction),
                hours: r.hours,
                balance_after: balance,
                ticket_id: r.ticket_id,
                ticket_number: r.ticket_number,
                reason: r.reason,
                created_at: r.created_at,
            }
        })
        .collect();
    let (contract, notices) = match &standing.contract {
        Some((c, st)) => (
            Some(contract_view(c, st)),
            poliza_notices(c, day)
                .into_iter()
                .map(|n| notice_text(n, c))
                .collect(),
        ),
        None => (None, vec![]),
    };
    ok(&LedgerView {
        contract_id: Some(contract_id),
        contract,
        entries,
        notices,
    })
}

async fn invoice_list(ctx: &Ctx, company: Option<&str>, status: &str) -> ApiResult<InvoiceList> {
    let day = today(&calendar(ctx).await?).to_string();
    let rows = repo::invoices(&ctx.db, company, status, &day).await?;
    let invoices: Vec<InvoiceView> = rows.iter().map(|i| invoice_view(i, &day)).collect();
    let with_debts = match company {
        Some(_) if status == "all" => invoices.iter().any(|i| i.status == InvoiceStatus::Overdue),
        _ => false,
    };
    Ok(InvoiceList {
        invoices,
        with_debts,
    })
}

#[utoipa::path(get, path = "/api/invoices", tag = "billing",
    params(("company_id" = Option<String>, Query, description = "Staff: the company (clients always get their own)")),
    responses((status = 200, body = InvoiceList, description = "The company's invoices, unpaid first, with due dates and status; `with_debts` when one is overdue"),
              (status = 400, body = ErrorBody, description = "Staff without company_id"),
              (status = 401, body = ErrorBody, description = "Not signed in")))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let company = company_of(req, &caller)?;
    ok(&invoice_list(ctx, Some(&company), "all").await?)
}

#[utoipa::path(get, path = "/api/admin/invoices", tag = "admin",
    params(("status" = Option<String>, Query, description = "all (default) | unpaid | overdue | paid")),
    responses((status = 200, body = InvoiceList, description = "Every company's invoices (at most 500), unpaid first"),
              (status = 400, body = ErrorBody, description = "Unknown status"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn admin_list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    let status = query_param(req, "status")?.unwrap_or_else(|| "all".into());
    if !["all", "unpaid", "overdue", "paid"].contains(&status.as_str()) {
        return Err(ApiError::bad_field(
            "status",
            (
                "Usa all, unpaid, overdue o paid.",
                "Use all, unpaid, overdue or paid.",
            ),
        ));
    }
    ok(&invoice_list(ctx, None, &status).await?)
}

#[utoipa::path(post, path = "/api/admin/invoices/{id}/paid", tag = "admin", request_body = InvoicePaidRequest,
    params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, body = InvoiceView, description = "Marked paid (audited as invoice.paid); a company with no other overdue invoice is no longer \"with debts\" at once"),
              (status = 404, body = ErrorBody, description = "No such invoice"),
              (status = 409, body = ErrorBody, description = "Already paid"),
              (status = 422, body = ErrorBody, description = "A bad date (future or not YYYY-MM-DD) or a missing reference — with `field`"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn mark_paid(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: InvoicePaidRequest = read_json(req).await?;
    let reference = required_text("reference", &body.reference, 200)?;
    let day = today(&calendar(ctx).await?);
    let paid_on = match body.paid_on.as_deref().map(str::trim) {
        None | Some("") => day,
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= day)
            .ok_or_else(|| {
                ApiError::invalid(
                    "invalid_date",
                    "paid_on",
                    (
                        "Usa AAAA-MM-DD, hoy o antes.",
                        "Use YYYY-MM-DD, today or earlier.",
                    ),
                )
            })?,
    };
    let before = repo::invoice(&ctx.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let paid_on = paid_on.to_string();
    let already = || {
        ApiError::conflict(
            "already_paid",
            (
                "Esta factura ya estaba pagada.",
                "This invoice was already paid.",
            ),
        )
    };
    if before.paid_on.is_some() {
        return Err(already());
    }
    // The payment first (guarded: recorded once), then its audit row.
    let r = batch(
        &ctx.db,
        vec![bind(
            &ctx.db,
            &repo::mark_paid(id, &paid_on, &reference, &admin.caller.id),
        )?],
    )
    .await?;
    if crate::repo::tickets::changes(&r[0]) == 0 {
        return Err(already());
    }
    audited(
        ctx,
        &admin,
        ("invoice.paid", "invoice", id),
        &serde_json::json!({"paid_on": paid_on, "reference": reference}),
    )
    .await?;
    let after = repo::invoice(&ctx.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(ticket_id) = &after.ticket_id {
        super::billing::tell_billing(ctx, ticket_id, "invoice");
    }
    ok(&invoice_view(&after, &day.to_string()))
}

#[utoipa::path(post, path = "/api/admin/contracts/{id}/corrections", tag = "admin", request_body = CorrectionRequest,
    params(("id" = String, Path, description = "Póliza id")),
    responses((status = 201, body = LedgerEntryView, description = "A compensating ledger entry with its reason (audited); consumed hours are otherwise never refunded"),
              (status = 404, body = ErrorBody, description = "No such póliza"),
              (status = 409, body = ErrorBody, description = "The balance would leave 0…plan hours"),
              (status = 422, body = ErrorBody, description = "Hours 0 or out of ±1000, or a missing reason — with `field`"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn correction(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: CorrectionRequest = read_json(req).await?;
    if body.hours == 0 || body.hours.abs() > 1000 {
        return Err(ApiError::invalid(
            "invalid_hours",
            "hours",
            (
                "Horas enteras distintas de 0, entre −1000 y 1000.",
                "Whole hours other than 0, between −1000 and 1000.",
            ),
        ));
    }
    let reason = required_text("reason", &body.reason, 500)?;
    repo::contract(&ctx.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now_s = admin.now_s();
    let r = batch(
        &ctx.db,
        vec![bind(
            &ctx.db,
            &repo::correction(id, body.hours, &reason, &admin.caller.id, &now_s),
        )?],
    )
    .await?;
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    let Some(entry) = rows::<Id>(&r[0])?.into_iter().next() else {
        return Err(ApiError::conflict(
            "balance_out_of_range",
            (
                "La corrección dejaría el saldo de la póliza fuera de 0 y sus horas.",
                "The correction would take the póliza's balance below 0 or above its hours.",
            ),
        ));
    };
    audited(ctx, &admin, ("contract.correction", "contract", id), &body).await?;
    let balance = repo::contract(&ctx.db, id)
        .await?
        .map(|k| k.hours_total - k.hours_used)
        .unwrap_or(0);
    json(
        201,
        &LedgerEntryView {
            id: entry.id,
            kind: LedgerKind::Correction,
            hours: body.hours,
            balance_after: balance,
            ticket_id: None,
            ticket_number: None,
            reason: Some(reason),
            created_at: now_s,
        },
    )
}
