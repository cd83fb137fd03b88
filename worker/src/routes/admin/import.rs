//! `POST /api/admin/import[?dry_run=1]`: companies, people and services from one CSV file.
//! Every row is checked by `domain::import` (against the file and the database); with any
//! error nothing is written; otherwise everything is written in one D1 batch with an audit
//! row, and every imported person gets an invitation through the outbox.
use std::collections::HashMap;

use domain::api::admin::{ImportCounts, ImportReport, ImportRowView};
use domain::api::ErrorBody;
use domain::import::{self, CompanyTarget, Item, Plan};
use worker::{D1PreparedStatement, Request, Response};

use super::super::Ctx;
use super::users::{invite_statements, invited_user};
use super::{param, Admin};
use crate::error::{ApiError, ApiResult, Text};
use crate::http::json;
use crate::repo::admin::{self as repo, AdminServiceRow, CompanyRow};
use crate::util::new_id;

#[utoipa::path(post, path = "/api/admin/import", tag = "admin",
    params(("dry_run" = Option<String>, Query, description = "`1`: check and preview only, change nothing")),
    request_body(content_type = "text/csv", description = "UTF-8 CSV (RFC 4180), header row first. Columns (any order, case ignored; only `type` required): `type` (company | person | service), `company`, `tax_id`, `only_own_tickets` (1/0, sí/no), `name`, `email`, `role` (client | agent | admin; client by default), `phone`, `kind` (hosting | email | domain | developed_system | web_site | softlik), `status` (active | ended | end_of_life; active by default). At most 300 rows and 256 KB."),
    responses((status = 200, body = ImportReport, description = "Dry run: what would be created and every row error"),
              (status = 201, body = ImportReport, description = "Applied: everything was created in one batch; invitations are e-mailed"),
              (status = 409, body = ErrorBody, description = "An e-mail was taken meanwhile: nothing was created"),
              (status = 413, body = ErrorBody, description = "Over 256 KB"),
              (status = 422, body = ImportReport, description = "Row errors (`errors`, and `error` with code import_invalid) — or, for an unreadable file (no header, unknown column, broken quotes, too many rows), only `error` with `field: \"file\"`: nothing was created"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn import(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let dry_run = matches!(param(req, "dry_run")?.as_deref(), Some("1" | "true"));
    // An unreadable file (not UTF-8, no header, unknown column…) is a 422 in the report's
    // shape too: no rows, only `error` with `field: "file"`.
    let parsed = match read_csv(req)
        .await
        .and_then(|text| import::parse(&text).map_err(ApiError::from))
    {
        Ok(parsed) => parsed,
        Err(e @ ApiError::Invalid { .. }) => {
            return json(
                422,
                &ImportReport {
                    dry_run,
                    applied: false,
                    counts: ImportCounts::default(),
                    rows: Vec::new(),
                    errors: Vec::new(),
                    error: Some(e.detail()),
                },
            );
        }
        Err(e) => return Err(e),
    };
    let existing =
        repo::import_existing(&ctx.db, &parsed.company_names(), &parsed.emails()).await?;
    let plan = import::plan(&parsed, &existing);
    let mut report = ImportReport {
        dry_run,
        applied: false,
        counts: ImportCounts {
            companies: plan.count("company"),
            people: plan.count("person"),
            services: plan.count("service"),
        },
        rows: Vec::new(),
        errors: plan.errors.clone(),
        error: None,
    };
    if !plan.errors.is_empty() || dry_run {
        report.rows = plan.items.iter().map(|p| row_view(p, None)).collect();
        if dry_run {
            return json(200, &report);
        }
        report.error = Some(refused(plan.errors.len()).detail());
        return json(422, &report);
    }
    let (mut stmts, rows) = statements(req, ctx, &admin, &plan)?;
    report.rows = rows;
    report.applied = true;
    stmts.push(admin.audit(
        ctx,
        "import.apply",
        "import",
        None,
        None::<&()>,
        Some(&serde_json::json!({ "counts": report.counts, "rows": report.rows })),
    )?);
    let taken = ApiError::conflict(
        "import_conflict",
        (
            "Alguien creó uno de esos correos o servicios mientras tanto; no se importó nada. Revisa de nuevo.",
            "Someone created one of those e-mails or services meanwhile; nothing was imported. Check again.",
        ),
    );
    repo::commit(&ctx.db, stmts, taken).await?;
    ctx.drain_after.set(true);
    json(201, &report)
}

/// The body as UTF-8 text: 413 over the size limit, 422 when not UTF-8.
async fn read_csv(req: &mut Request) -> ApiResult<String> {
    let too_large = || {
        let kb = import::MAX_BYTES / 1024;
        ApiError::TooLarge(Text::new(
            format!("El archivo pasa de {kb} KB; divídelo."),
            format!("The file is over {kb} KB; split it."),
        ))
    };
    let declared = req.headers().get("Content-Length")?;
    if declared.and_then(|l| l.parse::<usize>().ok()).unwrap_or(0) > import::MAX_BYTES {
        return Err(too_large());
    }
    let bytes = req.bytes().await?;
    if bytes.len() > import::MAX_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| {
        ApiError::invalid(
            "invalid_file",
            "file",
            (
                "El archivo debe estar en UTF-8 (Excel: «CSV UTF-8»).",
                "The file must be UTF-8 (Excel: “CSV UTF-8”).",
            ),
        )
    })
}

fn refused(n: usize) -> ApiError {
    ApiError::invalid(
        "import_invalid",
        "file",
        Text::new(
            format!("{n} errores en el archivo; no se importó nada."),
            format!("{n} errors in the file; nothing was imported."),
        ),
    )
}

fn row_view(p: &import::Planned, id: Option<String>) -> ImportRowView {
    let (kind, name, email, company, detail) = match &p.item {
        Item::Company { name, .. } => ("company", name.clone(), None, None, None),
        Item::Person {
            email,
            name,
            role,
            company,
            ..
        } => (
            "person",
            name.clone(),
            Some(email.clone()),
            company.as_ref().map(|c| c.name().to_string()),
            Some(role.as_str().to_string()),
        ),
        Item::Service {
            company,
            kind,
            name,
            ..
        } => (
            "service",
            name.clone(),
            None,
            Some(company.name().to_string()),
            Some(kind.as_str().to_string()),
        ),
    };
    ImportRowView {
        line: p.line,
        kind: kind.into(),
        name,
        email,
        company,
        detail,
        id,
    }
}

/// The inserts of every planned row (companies first), and the rows with their new ids.
fn statements(
    req: &Request,
    ctx: &Ctx,
    admin: &Admin,
    plan: &Plan,
) -> ApiResult<(Vec<D1PreparedStatement>, Vec<ImportRowView>)> {
    let now = admin.now_s();
    let mut new_companies: HashMap<&str, String> = HashMap::new();
    for p in &plan.items {
        if let Item::Company { key, .. } = &p.item {
            new_companies.insert(key, new_id()?);
        }
    }
    let company_id = |t: &CompanyTarget| match t {
        CompanyTarget::Existing { id, .. } => id.clone(),
        CompanyTarget::New { key, .. } => new_companies[key.as_str()].clone(),
    };
    let (mut stmts, mut rows) = (Vec::new(), Vec::new());
    let mut ordered: Vec<&import::Planned> = plan.items.iter().collect();
    ordered.sort_by_key(|p| !matches!(p.item, Item::Company { .. }));
    for p in ordered {
        let id = match &p.item {
            Item::Company {
                key,
                name,
                tax_id,
                only_own_tickets,
            } => {
                let row = CompanyRow {
                    id: new_companies[key.as_str()].clone(),
                    name: name.clone(),
                    tax_id: tax_id.clone(),
                    only_own_tickets: *only_own_tickets as i64,
                    suspended: 0,
                    suspended_reason: None,
                    suspended_at: None,
                    created_at: now.clone(),
                };
                stmts.push(repo::insert_company(&ctx.db, &row)?);
                row.id
            }
            Item::Person {
                email,
                name,
                role,
                phone,
                company,
            } => {
                let row = invited_user(
                    now.clone(),
                    email.clone(),
                    name.clone(),
                    *role,
                    company
                        .as_ref()
                        .map(|c| (company_id(c), c.name().to_string())),
                    phone.clone(),
                )?;
                stmts.extend(invite_statements(req, ctx, admin, &row)?);
                row.id
            }
            Item::Service {
                company,
                kind,
                name,
                status,
            } => {
                let row = AdminServiceRow {
                    id: new_id()?,
                    company_id: company_id(company),
                    kind: kind.as_str().into(),
                    name: name.clone(),
                    status: status.as_str().into(),
                    special_contract: 0,
                    special_contract_until: None,
                };
                stmts.push(repo::insert_service(&ctx.db, &row, &now)?);
                stmts.push(repo::service_event(
                    &ctx.db,
                    &row.id,
                    &admin.caller.id,
                    None,
                    &row.status,
                    &now,
                )?);
                row.id
            }
        };
        rows.push(row_view(p, Some(id)));
    }
    rows.sort_by_key(|r| r.line);
    Ok((stmts, rows))
}
