//! Services, pólizas, companies and the ticket-form options (P2, P3, P10, P19).
use chrono::NaiveDate;
use domain::api::{
    CategoryOptionView, CompanyRef, CompanyView, ContractView, ErrorBody, FlagCount, LocalizedText,
    OutOfScopeView, ServiceView, TicketOptions, UserRef,
};
use domain::contract::{self, Contract, ContractStatus, Plan, ServiceStatus};
use domain::validation::Lang;
use domain::workflow::{self, OutOfScope};
use worker::{Request, Response};

use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, query_param};
use crate::repo::catalog::{self as repo, CompanyFacts, ServiceRow};
use crate::util::now;

/// A company's standing today: its póliza (if any) and whether it is current.
pub struct Standing {
    pub facts: CompanyFacts,
    pub contract: Option<(Contract, ContractStatus)>,
}

impl Standing {
    pub fn overdue(&self) -> bool {
        self.facts.overdue != 0
    }
    pub fn contract_current(&self) -> bool {
        self.contract.as_ref().is_some_and(|(_, st)| st.current)
    }
}

pub fn today(cal: &domain::calendar::BusinessCalendar) -> NaiveDate {
    cal.local_date(now())
}

fn standing_of(facts: CompanyFacts, today: NaiveDate) -> Standing {
    let contract = match (
        &facts.plan,
        facts.hours_total,
        facts.hours_used,
        &facts.starts_on,
    ) {
        (Some(plan), Some(total), Some(used), Some(starts)) => {
            let plan = plan.parse::<Plan>().ok();
            let starts = NaiveDate::parse_from_str(starts, "%Y-%m-%d").ok();
            plan.zip(starts).map(|(plan, starts_on)| {
                let c = Contract {
                    plan,
                    hours_total: total.max(0) as u32,
                    hours_used: used.max(0) as u32,
                    starts_on,
                };
                let st = c.status(today, facts.overdue != 0);
                (c, st)
            })
        }
        _ => None,
    };
    Standing { facts, contract }
}

pub async fn standing(ctx: &Ctx, company_id: &str) -> ApiResult<Standing> {
    let cal = super::calendar::calendar(ctx).await?;
    let today = today(&cal);
    let facts = repo::company(&ctx.db, company_id, &today.to_string())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(standing_of(facts, today))
}

fn text(f: impl Fn(Lang) -> String) -> LocalizedText {
    LocalizedText::new(f(Lang::Es), f(Lang::En))
}

pub fn contract_view(c: &Contract, st: &ContractStatus) -> ContractView {
    ContractView {
        plan: c.plan.as_str().to_string(),
        plan_label: text(|l| c.plan.label(l).to_string()),
        hours_total: c.hours_total,
        hours_used: c.hours_used,
        hours_remaining: st.remaining_hours,
        starts_on: c.starts_on.to_string(),
        expires_on: st.expires_on.to_string(),
        current: st.current,
        reason: st.reason.map(|r| r.code().to_string()),
        reason_message: st.reason.map(|r| text(|l| r.message(l).to_string())),
    }
}

/// Eligibility of a service for a company in `standing` (P2).
pub fn service_view(s: ServiceRow, standing: &Standing) -> ServiceView {
    let verdict = s
        .status
        .parse::<ServiceStatus>()
        .map_err(|_| None)
        .and_then(|st| {
            contract::eligibility(st, s.special_contract != 0, standing.contract_current())
                .map_err(Some)
        });
    let reason = verdict.err().flatten();
    ServiceView {
        eligible: verdict.is_ok(),
        reason: reason.map(|r| r.code().to_string()),
        reason_message: reason.map(|r| text(|l| r.message(l).to_string())),
        id: s.id,
        company_id: s.company_id,
        kind: s.kind,
        name: s.name,
        status: s.status,
    }
}

/// The company a request is about: a client's own; staff name it with `?company_id=`.
fn company_param(req: &Request, caller: &Caller, required: bool) -> ApiResult<Option<String>> {
    if let Some(c) = &caller.company {
        return Ok(Some(c.id.clone()));
    }
    let param = query_param(req, "company_id")?.filter(|c| !c.trim().is_empty());
    if param.is_none() && required {
        return Err(ApiError::bad_field(
            "company_id",
            (
                "Indica la empresa (company_id).",
                "Give the company (company_id).",
            ),
        ));
    }
    Ok(param)
}

#[utoipa::path(get, path = "/api/services", tag = "tickets",
    params(("company_id" = Option<String>, Query, description = "Staff: the company (default: all companies)")),
    responses(
        (status = 200, description = "Services with eligibility (P2); clients get their company's", body = [ServiceView]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Unknown company", body = ErrorBody)))]
pub async fn services(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let company = company_param(req, &caller, false)?;
    let rows = repo::services(&ctx.db, company.as_deref()).await?;
    let cal = super::calendar::calendar(ctx).await?;
    let today = today(&cal);
    let mut standings: Vec<Standing> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if !standings.iter().any(|s| s.facts.id == row.company_id) {
            let facts = repo::company(&ctx.db, &row.company_id, &today.to_string())
                .await?
                .ok_or_else(|| ApiError::Internal("service without company".into()))?;
            standings.push(standing_of(facts, today));
        }
        let st = standings
            .iter()
            .find(|s| s.facts.id == row.company_id)
            .ok_or_else(|| ApiError::Internal("standing".into()))?;
        out.push(service_view(row, st));
    }
    if out.is_empty() {
        if let Some(c) = &company {
            // Distinguish "no services" from "no such company" for staff.
            repo::company(&ctx.db, c, &today.to_string())
                .await?
                .ok_or(ApiError::NotFound)?;
        }
    }
    ok(&out)
}

#[utoipa::path(get, path = "/api/contract", tag = "tickets",
    params(("company_id" = Option<String>, Query, description = "Staff: the company (required)")),
    responses(
        (status = 200, description = "The company's póliza, or null without one (P19)", body = Option<ContractView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Staff: no company with that `company_id`", body = ErrorBody)))]
pub async fn contract(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let company = company_param(req, &caller, true)?.unwrap_or_default();
    let st = standing(ctx, &company).await?;
    let view = st.contract.as_ref().map(|(c, s)| contract_view(c, s));
    ok(&view)
}

#[utoipa::path(get, path = "/api/staff", tag = "tickets",
    responses(
        (status = 200, description = "Active agents and admins by name (whom a ticket can be assigned to)", body = [UserRef]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody)))]
pub async fn staff(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_staff()?;
    let list: Vec<UserRef> = repo::staff_members(&ctx.db)
        .await?
        .into_iter()
        .map(|r| UserRef {
            id: r.id,
            name: r.name,
            role: Some(r.role),
        })
        .collect();
    ok(&list)
}

#[utoipa::path(get, path = "/api/companies", tag = "tickets",
    responses(
        (status = 200, description = "Every company with its póliza, invoices and open tickets; admins also see flagged messages (P27)", body = [CompanyView]),
        (status = 403, description = "Not staff", body = ErrorBody)))]
pub async fn companies(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    caller.require_staff()?;
    let admin = caller.role == domain::api::Role::Admin;
    let cal = super::calendar::calendar(ctx).await?;
    let today = today(&cal);
    let list: Vec<CompanyView> = repo::companies(&ctx.db, &today.to_string())
        .await?
        .into_iter()
        .map(|f| {
            let st = standing_of(f, today);
            CompanyView {
                contract: st.contract.as_ref().map(|(c, s)| contract_view(c, s)),
                has_overdue_invoice: st.overdue(),
                id: st.facts.id.clone(),
                name: st.facts.name.clone(),
                suspended: st.facts.suspended != 0,
                only_own_tickets: st.facts.only_own_tickets != 0,
                open_tickets: st.facts.open_tickets,
                flagged_messages: admin.then_some(st.facts.flagged),
            }
        })
        .collect();
    ok(&list)
}

#[utoipa::path(get, path = "/api/tickets/options", tag = "tickets",
    params(("company_id" = Option<String>, Query, description = "Staff: the company (required)")),
    responses(
        (status = 200, description = "Categories, priorities and coverage the form may offer now (P3, P19), out-of-scope warnings (P10)", body = TicketOptions),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Staff: no company with that `company_id`", body = ErrorBody)))]
pub async fn ticket_options(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let company = company_param(req, &caller, true)?.unwrap_or_default();
    let st = standing(ctx, &company).await?;
    let categories = contract::request_options(st.contract_current(), st.overdue())
        .into_iter()
        .map(|o| {
            let err = contract::check_request(
                o.category,
                o.priorities[0],
                st.contract_current(),
                st.overdue(),
            )
            .err();
            CategoryOptionView {
                category: o.category,
                label: text(|l| o.category.label(l).to_string()),
                paid: o.paid,
                priorities: o.priorities.to_vec(),
                available: o.coverage.is_some(),
                coverage: o.coverage,
                reason: o.reason.map(str::to_string),
                reason_message: err.map(|e| text(|l| e.message(l))),
            }
        })
        .collect();
    let out_of_scope = OutOfScope::ALL
        .into_iter()
        .map(|r| OutOfScopeView {
            reason: r.as_str().to_string(),
            label: text(|l| r.label(l).to_string()),
            warning: text(|l| r.warning(l).to_string()),
        })
        .collect();
    ok(&TicketOptions {
        company_id: company,
        contract_current: st.contract_current(),
        has_overdue_invoice: st.overdue(),
        categories,
        out_of_scope,
        max_attachments: workflow::ATTACHMENTS_PER_MESSAGE,
        max_attachment_bytes: workflow::ATTACHMENT_MAX_BYTES,
    })
}

#[utoipa::path(get, path = "/api/admin/flags", tag = "admin",
    responses(
        (status = 200, description = "Flagged client messages per user, most first (P27)", body = [FlagCount]),
        (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn flags(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let cal = super::calendar::calendar(ctx).await?;
    let list: Vec<FlagCount> = repo::flag_counts(&ctx.db)
        .await?
        .into_iter()
        .map(|r| FlagCount {
            user: UserRef {
                id: r.user_id,
                name: r.name,
                role: Some("client".into()),
            },
            email: r.email,
            company: CompanyRef {
                id: r.company_id,
                name: r.company_name,
            },
            flagged_messages: r.flagged,
            last_flagged_at: crate::util::parse_db_time(&r.last_flagged_at)
                .map(|t| super::calendar::office_time(&cal, t))
                .unwrap_or_default(),
            suspended: r.suspended != 0,
        })
        .collect();
    ok(&list)
}
