//! Companies, their services (P2) and pólizas (P21, P22), company suspensions (P27).
use chrono::NaiveDate;
use domain::accounts::{self, SuspensionScope};
use domain::api::admin::{
    AdminCompany, AdminCompanyDetail, AdminCompanyList, AdminCompanySummary, AdminContractView,
    AdminInvoiceView, AdminServiceView, AdminTicketLine, CreateCompanyRequest,
    CreateContractRequest, CreateServiceRequest, FlaggedMessageView, PatchCompanyRequest,
    PatchServiceRequest, PersonFlags, ServiceEventView, SuspendRequest, SuspensionView,
};
use domain::api::{ErrorBody, UserRef};
use domain::contract::{Contract, Plan, ServiceKind, ServiceStatus};
use domain::validation::FieldError;
use worker::{Request, Response};

use super::super::catalog::{contract_view, today};
use super::super::{calendar::calendar, Ctx};
use super::users::user_view;
use super::{paging, param, Admin};
use crate::error::{ApiError, ApiResult, Text};
use crate::http::{json, ok, read_json};
use crate::repo::admin::{self as repo, AdminServiceRow, CompanyRow, ContractRow, ServiceEventRow};
use crate::util::new_id;

fn suspension(
    reason: &Option<String>,
    at: &Option<String>,
    scope: SuspensionScope,
) -> Option<SuspensionView> {
    let s = accounts::Suspension {
        scope,
        reason: reason.clone()?,
        since: at.clone()?,
    };
    Some(crate::auth::suspension_view(&s))
}

pub fn company_view(c: &CompanyRow) -> AdminCompany {
    AdminCompany {
        id: c.id.clone(),
        name: c.name.clone(),
        tax_id: c.tax_id.clone(),
        only_own_tickets: c.only_own_tickets != 0,
        suspension: (c.suspended != 0)
            .then(|| {
                suspension(
                    &c.suspended_reason,
                    &c.suspended_at,
                    SuspensionScope::Company,
                )
            })
            .flatten(),
        created_at: c.created_at.clone(),
    }
}

fn service_view(s: &AdminServiceRow, events: &[ServiceEventRow]) -> AdminServiceView {
    let kind = s.kind.parse::<ServiceKind>().ok();
    AdminServiceView {
        id: s.id.clone(),
        company_id: s.company_id.clone(),
        kind: s.kind.clone(),
        kind_label: Text::from_lang(|l| kind.map(|k| k.label(l)).unwrap_or(&s.kind).to_string()),
        name: s.name.clone(),
        status: s.status.clone(),
        special_contract: s.special_contract != 0,
        special_contract_until: s.special_contract_until.clone(),
        events: events
            .iter()
            .filter(|e| e.service_id == s.id)
            .map(|e| ServiceEventView {
                from: e.from_status.clone(),
                to: e.to_status.clone(),
                actor: e.actor_id.clone().map(|id| UserRef {
                    id,
                    name: e.actor_name.clone().unwrap_or_default(),
                    role: None,
                }),
                at: e.created_at.clone(),
            })
            .collect(),
    }
}

fn contract_entry(
    k: &ContractRow,
    today: NaiveDate,
    overdue: bool,
) -> ApiResult<AdminContractView> {
    let c = Contract {
        plan: k
            .plan
            .parse()
            .map_err(|_| ApiError::Internal("plan".into()))?,
        hours_total: k.hours_total.max(0) as u32,
        hours_used: k.hours_used.max(0) as u32,
        starts_on: date("starts_on", &k.starts_on)?,
    };
    let st = c.status(today, overdue);
    Ok(AdminContractView {
        id: k.id.clone(),
        contract: contract_view(&c, &st),
        replaces_id: k.replaces_id.clone(),
        replaced_by: k.replaced_by.clone(),
        counts: k.replaced_by.is_none(),
        created_at: k.created_at.clone(),
    })
}

fn date(field: &'static str, v: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            "invalid_date",
            "Usa una fecha AAAA-MM-DD.",
            "Use a YYYY-MM-DD date.",
        )
    })
}

async fn load(ctx: &Ctx, id: &str) -> ApiResult<CompanyRow> {
    repo::company(&ctx.db, id).await?.ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/admin/companies", tag = "admin",
    params(("q" = Option<String>, Query, description = "Words of the name or RFC (prefixes, accents ignored)"),
           ("page" = Option<u32>, Query, description = "1-based, 25 per page")),
    responses((status = 200, body = AdminCompanyList, description = "Companies by name"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    let (page, limit, offset) = paging(req)?;
    let expr = param(req, "q")?.and_then(|q| accounts::search_expression(&q));
    let (rows, total) = repo::companies_page(&ctx.db, expr.as_deref(), limit, offset).await?;
    let companies = rows
        .into_iter()
        .map(|r| AdminCompanySummary {
            id: r.company.id,
            name: r.company.name,
            tax_id: r.company.tax_id,
            only_own_tickets: r.company.only_own_tickets != 0,
            suspended: r.company.suspended != 0,
            people: r.people,
            open_tickets: r.open_tickets,
            created_at: r.company.created_at,
        })
        .collect();
    ok(&AdminCompanyList {
        companies,
        page,
        per_page: limit as u32,
        total,
    })
}

#[utoipa::path(post, path = "/api/admin/companies", tag = "admin", request_body = CreateCompanyRequest,
    responses((status = 201, body = AdminCompany, description = "Created"),
              (status = 422, body = ErrorBody, description = "Bad name or RFC (with `field`)"),
              (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn create(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: CreateCompanyRequest = read_json(req).await?;
    let row = CompanyRow {
        id: new_id()?,
        name: accounts::name(&body.name)?,
        tax_id: accounts::tax_id(body.tax_id.as_deref().unwrap_or(""))?,
        only_own_tickets: body.only_own_tickets.unwrap_or(false) as i64,
        suspended: 0,
        suspended_reason: None,
        suspended_at: None,
        created_at: admin.now_s(),
    };
    let stmts = vec![
        repo::insert_company(&ctx.db, &row)?,
        admin.audit(
            ctx,
            "company.create",
            "company",
            Some(&row.id),
            None::<&()>,
            Some(&row),
        )?,
    ];
    crate::repo::batch(&ctx.db, stmts).await?;
    json(201, &company_view(&row))
}

#[utoipa::path(get, path = "/api/admin/companies/{id}", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = AdminCompanyDetail, description = "The company with its people, services, pólizas, invoices, open tickets and flags"),
              (status = 404, body = ErrorBody, description = "Unknown company")))]
pub async fn get(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    let company = load(ctx, id).await?;
    let (page, cal) =
        futures_util::future::join(repo::company_page(&ctx.db, id), calendar(ctx)).await;
    let (page, today) = (page?, today(&cal?));
    let today_s = today.to_string();
    let overdue = page
        .invoices
        .iter()
        .any(|i| i.paid_on.is_none() && i.due_on < today_s);
    let threshold = page.flag_threshold;
    let mut flags: Vec<PersonFlags> = Vec::new();
    for m in &page.flagged {
        let pos = match flags.iter().position(|f| f.user.id == m.author_id) {
            Some(p) => p,
            None => {
                flags.push(PersonFlags {
                    user: UserRef {
                        id: m.author_id.clone(),
                        name: m.author_name.clone(),
                        role: Some("client".into()),
                    },
                    count: 0,
                    suggest_suspension: false,
                    messages: Vec::new(),
                });
                flags.len() - 1
            }
        };
        let f = &mut flags[pos];
        f.count += 1;
        f.messages.push(FlaggedMessageView {
            id: m.id.clone(),
            ticket_id: m.ticket_id.clone(),
            ticket_number: m.ticket_number.clone(),
            body: m.body.clone(),
            created_at: m.created_at.clone(),
        });
    }
    for f in &mut flags {
        let suspended = page
            .people
            .iter()
            .any(|p| p.id == f.user.id && p.suspended != 0);
        f.suggest_suspension =
            accounts::suggest_suspension(f.count, threshold, suspended || company.suspended != 0);
    }
    let contracts = page
        .contracts
        .iter()
        .map(|k| contract_entry(k, today, overdue))
        .collect::<ApiResult<Vec<_>>>()?;
    ok(&AdminCompanyDetail {
        company: company_view(&company),
        has_overdue_invoice: overdue,
        people: page.people.iter().map(user_view).collect(),
        services: page
            .services
            .iter()
            .map(|s| service_view(s, &page.events))
            .collect(),
        contracts,
        invoices: page
            .invoices
            .iter()
            .map(|i| AdminInvoiceView {
                id: i.id.clone(),
                amount_cents: i.amount_cents,
                delivered_on: i.delivered_on.clone(),
                due_on: i.due_on.clone(),
                paid_on: i.paid_on.clone(),
                overdue: i.paid_on.is_none() && i.due_on < today_s,
            })
            .collect(),
        open_tickets: page
            .open_tickets
            .into_iter()
            .map(|t| AdminTicketLine {
                id: t.id,
                number: t.number,
                subject: t.subject,
                status: t.status,
                created_at: t.created_at,
            })
            .collect(),
        flags,
        flag_threshold: threshold,
    })
}

#[utoipa::path(patch, path = "/api/admin/companies/{id}", tag = "admin", request_body = PatchCompanyRequest,
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = AdminCompany, description = "Updated"),
              (status = 404, body = ErrorBody, description = "Unknown company"),
              (status = 422, body = ErrorBody, description = "Bad field")))]
pub async fn patch(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = load(ctx, id).await?;
    let body: PatchCompanyRequest = read_json(req).await?;
    let mut after = before.clone();
    if let Some(n) = &body.name {
        after.name = accounts::name(n)?;
    }
    if let Some(t) = &body.tax_id {
        after.tax_id = accounts::tax_id(t)?;
    }
    if let Some(o) = body.only_own_tickets {
        after.only_own_tickets = o as i64;
    }
    write(ctx, &admin, "company.update", &before, &after).await
}

async fn write(
    ctx: &Ctx,
    admin: &Admin,
    action: &str,
    before: &CompanyRow,
    after: &CompanyRow,
) -> ApiResult<Response> {
    let stmts = vec![
        repo::update_company(&ctx.db, after)?,
        admin.audit(
            ctx,
            action,
            "company",
            Some(&after.id),
            Some(before),
            Some(after),
        )?,
    ];
    crate::repo::batch(&ctx.db, stmts).await?;
    ok(&company_view(after))
}

#[utoipa::path(post, path = "/api/admin/companies/{id}/suspend", tag = "admin", request_body = SuspendRequest,
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = AdminCompany, description = "Suspended: nobody of the company can open tickets or reply (P27)"),
              (status = 409, body = ErrorBody, description = "Already suspended"),
              (status = 422, body = ErrorBody, description = "Missing reason")))]
pub async fn suspend(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = load(ctx, id).await?;
    let body: SuspendRequest = read_json(req).await?;
    let reason = accounts::reason(&body.reason)?;
    accounts::change_suspension(SuspensionScope::Company, before.suspended != 0, true)?;
    let after = CompanyRow {
        suspended: 1,
        suspended_reason: Some(reason),
        suspended_at: Some(admin.now_s()),
        ..before.clone()
    };
    write(ctx, &admin, "company.suspend", &before, &after).await
}

#[utoipa::path(post, path = "/api/admin/companies/{id}/unsuspend", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = AdminCompany, description = "The suspension is lifted"),
              (status = 409, body = ErrorBody, description = "Not suspended")))]
pub async fn unsuspend(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = load(ctx, id).await?;
    accounts::change_suspension(SuspensionScope::Company, before.suspended != 0, false)?;
    let after = CompanyRow {
        suspended: 0,
        suspended_reason: None,
        suspended_at: None,
        ..before.clone()
    };
    write(ctx, &admin, "company.unsuspend", &before, &after).await
}

fn until(v: Option<&str>) -> ApiResult<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(d) => Ok(Some(date("special_contract_until", d)?.to_string())),
        None => Ok(None),
    }
}

#[utoipa::path(post, path = "/api/admin/companies/{id}/services", tag = "admin", request_body = CreateServiceRequest,
    params(("id" = String, Path, description = "Company id")),
    responses((status = 201, body = AdminServiceView, description = "Created; its first status is an event"),
              (status = 404, body = ErrorBody, description = "Unknown company"),
              (status = 422, body = ErrorBody, description = "Unknown kind or status, bad name")))]
pub async fn create_service(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let company = load(ctx, id).await?;
    let body: CreateServiceRequest = read_json(req).await?;
    let kind: ServiceKind = body.kind.parse()?;
    let status: ServiceStatus = body.status.as_deref().unwrap_or("active").parse()?;
    let row = AdminServiceRow {
        id: new_id()?,
        company_id: company.id,
        kind: kind.as_str().into(),
        name: accounts::name(&body.name)?,
        status: status.as_str().into(),
        special_contract: body.special_contract.unwrap_or(false) as i64,
        special_contract_until: until(body.special_contract_until.as_deref())?,
    };
    let now = admin.now_s();
    let stmts = vec![
        repo::insert_service(&ctx.db, &row, &now)?,
        repo::service_event(&ctx.db, &row.id, &admin.caller.id, None, &row.status, &now)?,
        admin.audit(
            ctx,
            "service.create",
            "service",
            Some(&row.id),
            None::<&()>,
            Some(&row),
        )?,
    ];
    crate::repo::batch(&ctx.db, stmts).await?;
    let events = repo::service_events(&ctx.db, &row.id).await?;
    json(201, &service_view(&row, &events))
}

#[utoipa::path(patch, path = "/api/admin/services/{id}", tag = "admin", request_body = PatchServiceRequest,
    params(("id" = String, Path, description = "Service id")),
    responses((status = 200, body = AdminServiceView, description = "Updated; a status change is an event (who/when)"),
              (status = 404, body = ErrorBody, description = "Unknown service"),
              (status = 422, body = ErrorBody, description = "Bad field")))]
pub async fn patch_service(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = repo::service(&ctx.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let body: PatchServiceRequest = read_json(req).await?;
    let mut after = before.clone();
    if let Some(n) = &body.name {
        after.name = accounts::name(n)?;
    }
    if let Some(st) = &body.status {
        after.status = st.parse::<ServiceStatus>()?.as_str().into();
    }
    if let Some(sc) = body.special_contract {
        after.special_contract = sc as i64;
    }
    if body.special_contract_until.is_some() {
        after.special_contract_until = until(body.special_contract_until.as_deref())?;
    }
    let now = admin.now_s();
    let mut stmts = vec![repo::update_service(&ctx.db, &after)?];
    if after.status != before.status {
        stmts.push(repo::service_event(
            &ctx.db,
            id,
            &admin.caller.id,
            Some(&before.status),
            &after.status,
            &now,
        )?);
    }
    stmts.push(admin.audit(
        ctx,
        "service.update",
        "service",
        Some(id),
        Some(&before),
        Some(&after),
    )?);
    crate::repo::batch(&ctx.db, stmts).await?;
    let events = repo::service_events(&ctx.db, id).await?;
    ok(&service_view(&after, &events))
}

#[utoipa::path(post, path = "/api/admin/companies/{id}/contracts", tag = "admin", request_body = CreateContractRequest,
    params(("id" = String, Path, description = "Company id")),
    responses((status = 201, body = AdminContractView, description = "A new póliza entry; expiry computed (one year or hours used up)"),
              (status = 404, body = ErrorBody, description = "Unknown company"),
              (status = 409, body = ErrorBody, description = "The replaced entry was already corrected"),
              (status = 422, body = ErrorBody, description = "Bad plan, date or replaced entry")))]
pub async fn create_contract(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let company = load(ctx, id).await?;
    let body: CreateContractRequest = read_json(req).await?;
    let plan: Plan = body.plan.parse()?;
    if plan == Plan::PerEvent {
        return Err(FieldError::new(
            "plan",
            "invalid_plan",
            "Por evento no es una póliza.",
            "Per event is not a póliza.",
        )
        .into());
    }
    let starts_on = date("starts_on", &body.starts_on)?;
    let replaced = match body.replaces_id.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(r) => Some(
            repo::contract(&ctx.db, r.trim())
                .await?
                .filter(|k| k.company_id == company.id)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "unknown_contract",
                        "replaces_id",
                        (
                            "Esa póliza no es de esta empresa.",
                            "That póliza is not this company's.",
                        ),
                    )
                })?,
        ),
        None => None,
    };
    let row = ContractRow {
        id: new_id()?,
        company_id: company.id.clone(),
        plan: plan.as_str().into(),
        hours_total: plan.hours() as i64,
        // A correction keeps the hours already consumed (P26: never refunded).
        hours_used: replaced.as_ref().map(|k| k.hours_used).unwrap_or(0),
        starts_on: starts_on.to_string(),
        replaces_id: replaced.as_ref().map(|k| k.id.clone()),
        replaced_by: None,
        created_at: admin.now_s(),
    };
    let stmts = vec![
        repo::insert_contract(&ctx.db, &row, &admin.caller.id)?,
        admin.audit(
            ctx,
            "contract.create",
            "contract",
            Some(&row.id),
            replaced.as_ref(),
            Some(&row),
        )?,
    ];
    let taken = ApiError::conflict(
        "already_corrected",
        (
            "Esa póliza ya tiene una corrección; corrige la más reciente.",
            "That póliza was already corrected; correct the latest entry.",
        ),
    );
    repo::commit(&ctx.db, stmts, taken).await?;
    let cal = calendar(ctx).await?;
    let overdue = super::super::catalog::standing(ctx, &company.id)
        .await?
        .overdue();
    json(201, &contract_entry(&row, today(&cal), overdue)?)
}
