//! `GET /api/admin/audit`: the append-only audit trail (no endpoint edits or deletes it).
use domain::api::admin::{AuditEntry, AuditList};
use domain::api::ErrorBody;
use worker::{Request, Response};

use super::super::Ctx;
use super::{param, Admin};
use crate::error::{ApiError, ApiResult};
use crate::http::ok;
use crate::repo::admin::{self as repo, AuditFilter};

const PAGE: i64 = 50;

#[utoipa::path(get, path = "/api/admin/audit", tag = "admin",
    params(("entity" = Option<String>, Query, description = "company | service | contract | user | import"),
           ("entity_id" = Option<String>, Query, description = "One company, service, contract or user"),
           ("actor_id" = Option<String>, Query, description = "Who did it"),
           ("action" = Option<String>, Query, description = "e.g. user.suspend"),
           ("since" = Option<String>, Query, description = "RFC 3339: only rows at or after"),
           ("before_id" = Option<i64>, Query, description = "Next page: the previous answer's next_before_id")),
    responses((status = 200, body = AuditList, description = "Newest first, 50 per page"),
              (status = 400, body = ErrorBody, description = "Bad filter"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    let before_id = param(req, "before_id")?
        .map(|b| {
            b.parse::<i64>().map_err(|_| {
                ApiError::bad_field("before_id", ("Número inválido.", "Invalid number."))
            })
        })
        .transpose()?;
    let since = param(req, "since")?
        .map(|s| {
            domain::validation::instant("since", &s)
                .map(crate::util::db_time)
                .map_err(ApiError::query)
        })
        .transpose()?;
    let (entity, entity_id, actor_id, action) = (
        param(req, "entity")?,
        param(req, "entity_id")?,
        param(req, "actor_id")?,
        param(req, "action")?,
    );
    let rows = repo::audit(
        &ctx.db,
        &AuditFilter {
            entity: entity.as_deref(),
            entity_id: entity_id.as_deref(),
            actor_id: actor_id.as_deref(),
            action: action.as_deref(),
            since: since.as_deref(),
            before_id,
            limit: PAGE + 1,
        },
    )
    .await?;
    let more = rows.len() as i64 > PAGE;
    let parse = |v: &Option<String>| v.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let entries: Vec<AuditEntry> = rows
        .iter()
        .take(PAGE as usize)
        .map(|r| AuditEntry {
            id: r.id,
            actor_id: r.actor_id.clone(),
            actor_email: r.actor_email.clone(),
            action: r.action.clone(),
            entity: r.entity.clone(),
            entity_id: r.entity_id.clone(),
            before: parse(&r.before),
            after: parse(&r.after),
            ip: r.ip.clone(),
            at: r.created_at.clone(),
        })
        .collect();
    let next_before_id = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    ok(&AuditList {
        entries,
        next_before_id,
    })
}
