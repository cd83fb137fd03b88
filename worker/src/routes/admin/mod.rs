//! Administration endpoints (admins only): companies, services, pólizas, people,
//! suspensions (P27), the audit trail and the sweep log.
pub mod audit;
pub mod companies;
pub mod import;
pub mod settings;
pub mod users;

use domain::api::ops::{SweepRunView, SweepRuns};
use serde::Serialize;
use worker::{D1PreparedStatement, Request, Response};

use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{client_ip, ok, query_param};
use crate::repo::admin::{insert_audit, AuditInsert};
use crate::repo::sweeps;
use crate::util::{db_time, now};

#[utoipa::path(get, path = "/api/admin/sweeps", tag = "admin",
    responses((status = 200, description = "The 50 most recent sweep runs, newest first", body = SweepRuns),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not an admin")))]
pub async fn sweep_runs(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let runs = sweeps::recent(&ctx.db, 50)
        .await?
        .into_iter()
        .map(|r| SweepRunView {
            id: r.id,
            cron: r.cron,
            started_at: r.started_at,
            finished_at: r.finished_at,
            counts: r.counts,
        })
        .collect();
    ok(&SweepRuns { runs })
}

/// The signed-in admin making this request, with what every audit row of it records.
pub struct Admin {
    pub caller: Caller,
    pub ip: String,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Admin {
    pub async fn of(req: &Request, ctx: &Ctx) -> ApiResult<Admin> {
        let caller = auth::require(&ctx.db, req).await?;
        caller.require_admin()?;
        Ok(Admin {
            caller,
            ip: client_ip(req),
            now: now(),
        })
    }

    pub fn now_s(&self) -> String {
        db_time(self.now)
    }

    /// The audit row of one action, for the action's own write batch (append-only).
    pub fn audit<B: Serialize, A: Serialize>(
        &self,
        ctx: &Ctx,
        action: &str,
        entity: &str,
        entity_id: Option<&str>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> ApiResult<D1PreparedStatement> {
        audit_stmt(
            ctx,
            Some(&self.caller),
            &self.ip,
            self.now,
            action,
            entity,
            entity_id,
            before,
            after,
        )
    }
}

/// An audit row for any actor (admins, or a person acting on their own account).
#[allow(clippy::too_many_arguments)]
pub fn audit_stmt<B: Serialize, A: Serialize>(
    ctx: &Ctx,
    actor: Option<&Caller>,
    ip: &str,
    at: chrono::DateTime<chrono::Utc>,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    before: Option<&B>,
    after: Option<&A>,
) -> ApiResult<D1PreparedStatement> {
    let before = before.map(serde_json::to_string).transpose()?;
    let after = after.map(serde_json::to_string).transpose()?;
    insert_audit(
        &ctx.db,
        &AuditInsert {
            actor_id: actor.map(|c| c.id.as_str()),
            actor_email: actor.map(|c| c.email.as_str()),
            action,
            entity,
            entity_id,
            before,
            after,
            ip,
            now: &db_time(at),
        },
    )
}

pub const PER_PAGE: u32 = 25;

/// `?page=` (1-based, default 1) as (page, limit, offset); 400 when not a number ≥ 1.
pub fn paging(req: &Request) -> ApiResult<(u32, i64, i64)> {
    let page = match query_param(req, "page")?.filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=10_000).contains(p))
            .ok_or_else(|| ApiError::bad_field("page", ("Página inválida.", "Invalid page.")))?,
    };
    Ok((page, PER_PAGE as i64, (page as i64 - 1) * PER_PAGE as i64))
}

/// A non-empty query parameter.
pub fn param(req: &Request, name: &str) -> ApiResult<Option<String>> {
    Ok(query_param(req, name)?
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty()))
}
