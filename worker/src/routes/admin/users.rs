//! People: create (with an invitation), edit, change role, deactivate, suspend (P27).
use domain::accounts::{self, SuspensionScope, TokenPurpose};
use domain::api::admin::{
    AdminUserList, AdminUserView, CreateUserRequest, PatchUserRequest, SuspendRequest,
};
use domain::api::{CompanyRef, ErrorBody, Role};
use domain::validation;
use worker::{Request, Response};

use super::super::account::invitation;
use super::super::Ctx;
use super::{paging, param, Admin};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ok, read_json};
use crate::repo::admin::{self as repo, AdminUserRow};
use crate::util::new_id;

pub fn user_view(u: &AdminUserRow) -> AdminUserView {
    let suspension = (u.suspended != 0)
        .then(|| {
            Some(crate::auth::suspension_view(&accounts::Suspension {
                scope: SuspensionScope::User,
                reason: u.suspended_reason.clone().unwrap_or_default(),
                since: u
                    .suspended_at
                    .clone()
                    .unwrap_or_else(|| u.created_at.clone()),
            }))
        })
        .flatten();
    let status = if u.deactivated_at.is_some() {
        "deactivated"
    } else if u.invited != 0 {
        "invited"
    } else {
        "active"
    };
    AdminUserView {
        id: u.id.clone(),
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.clone(),
        company: u.company_id.clone().map(|id| CompanyRef {
            id,
            name: u.company_name.clone().unwrap_or_default(),
        }),
        phone: u.phone.clone(),
        status: status.into(),
        suspension,
        flagged_messages: u.flagged,
        created_at: u.created_at.clone(),
    }
}

fn role(v: &str) -> ApiResult<Role> {
    Role::parse(v.trim()).ok_or_else(|| {
        ApiError::invalid(
            "invalid_role",
            "role",
            (
                "El rol debe ser client, agent o admin.",
                "The role must be client, agent or admin.",
            ),
        )
    })
}

/// Clients belong to an existing company; staff to none.
async fn company_for(
    ctx: &Ctx,
    role: Role,
    company_id: Option<&str>,
) -> ApiResult<Option<(String, String)>> {
    if role != Role::Client {
        return Ok(None);
    }
    let id = company_id
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            ApiError::invalid(
                "required",
                "company_id",
                (
                    "Elige la empresa del cliente.",
                    "Choose the client's company.",
                ),
            )
        })?;
    let c = repo::company(&ctx.db, id).await?.ok_or_else(|| {
        ApiError::invalid(
            "unknown_company",
            "company_id",
            ("Esa empresa no existe.", "That company does not exist."),
        )
    })?;
    Ok(Some((c.id, c.name)))
}

async fn load(ctx: &Ctx, id: &str) -> ApiResult<AdminUserRow> {
    repo::user(&ctx.db, id).await?.ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/admin/users", tag = "admin",
    params(("q" = Option<String>, Query, description = "Start of the e-mail or name"),
           ("role" = Option<String>, Query, description = "client | agent | admin"),
           ("company_id" = Option<String>, Query, description = "Only this company's people"),
           ("page" = Option<u32>, Query, description = "1-based, 25 per page")),
    responses((status = 200, body = AdminUserList, description = "People, newest first"),
              (status = 401, body = ErrorBody, description = "Not signed in"), (status = 403, body = ErrorBody, description = "Not an admin")))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    Admin::of(req, ctx).await?;
    let (page, limit, offset) = paging(req)?;
    let role_f = param(req, "role")?
        .map(|r| role(&r).map(|r| r.as_str()))
        .transpose()
        .map_err(|_| ApiError::bad_field("role", ("Rol inválido.", "Invalid role.")))?;
    let (company, q) = (
        param(req, "company_id")?,
        // A prefix compare, not LIKE (D1 caps LIKE patterns at 50 bytes); ≤ 200 characters.
        match param(req, "q")? {
            Some(q) => domain::validation::ticket_query(&q)
                .map_err(ApiError::query)?
                .map(|q| q.to_lowercase()),
            None => None,
        },
    );
    let (rows, total) = repo::users_page(
        &ctx.db,
        role_f,
        company.as_deref(),
        q.as_deref(),
        limit,
        offset,
    )
    .await?;
    ok(&AdminUserList {
        users: rows.iter().map(user_view).collect(),
        page,
        per_page: limit as u32,
        total,
    })
}

#[utoipa::path(post, path = "/api/admin/users", tag = "admin", request_body = CreateUserRequest,
    responses((status = 201, body = AdminUserView, description = "Created (status `invited`); an invitation with a one-time link valid 72 h is e-mailed"),
              (status = 409, body = ErrorBody, description = "The e-mail is taken"),
              (status = 422, body = ErrorBody, description = "Bad e-mail, name, role, phone or company")))]
pub async fn create(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let body: CreateUserRequest = read_json(req).await?;
    let email = validation::email(&body.email)?;
    let name = accounts::name(&body.name)?;
    let role = role(&body.role)?;
    let phone = accounts::phone(body.phone.as_deref().unwrap_or(""))?;
    let company = company_for(ctx, role, body.company_id.as_deref()).await?;
    let taken = || {
        ApiError::conflict(
            "email_taken",
            (
                "Ya existe una cuenta con ese correo.",
                "An account with that e-mail already exists.",
            ),
        )
    };
    if repo::user_id_by_email(&ctx.db, &email).await?.is_some() {
        return Err(taken());
    }
    let row = invited_user(admin.now_s(), email, name, role, company, phone)?;
    let mut stmts = invite_statements(req, ctx, &admin, &row)?;
    stmts.push(admin.audit(
        ctx,
        "user.create",
        "user",
        Some(&row.id),
        None::<&()>,
        Some(&row),
    )?);
    repo::commit(&ctx.db, stmts, taken()).await?;
    ctx.drain_after.set(true);
    json(201, &user_view(&row))
}

#[utoipa::path(patch, path = "/api/admin/users/{id}", tag = "admin", request_body = PatchUserRequest,
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = AdminUserView, description = "Updated; `active: false` ends every session at once"),
              (status = 404, body = ErrorBody, description = "Unknown user"),
              (status = 409, body = ErrorBody, description = "Admins cannot deactivate or demote themselves"),
              (status = 422, body = ErrorBody, description = "Bad field")))]
pub async fn patch(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = load(ctx, id).await?;
    let body: PatchUserRequest = read_json(req).await?;
    let mut after = before.clone();
    if let Some(n) = &body.name {
        after.name = accounts::name(n)?;
    }
    if let Some(p) = &body.phone {
        after.phone = accounts::phone(p)?;
    }
    let new_role = body.role.as_deref().map(role).transpose()?;
    if let Some(r) = new_role {
        let company = company_for(
            ctx,
            r,
            body.company_id.as_deref().or(before.company_id.as_deref()),
        )
        .await?;
        after.role = r.as_str().into();
        after.company_id = company.as_ref().map(|c| c.0.clone());
        after.company_name = company.map(|c| c.1);
    }
    let deactivate = body.active == Some(false) && before.deactivated_at.is_none();
    if body.active == Some(false) {
        after.deactivated_at = before
            .deactivated_at
            .clone()
            .or_else(|| Some(admin.now_s()));
    } else if body.active == Some(true) {
        after.deactivated_at = None;
    }
    if id == admin.caller.id && (after.deactivated_at.is_some() || after.role != "admin") {
        return Err(ApiError::conflict(
            "self_lockout",
            (
                "No puedes desactivarte ni quitarte el rol de administrador.",
                "You cannot deactivate yourself or drop your own admin role.",
            ),
        ));
    }
    let action = match () {
        _ if deactivate => "user.deactivate",
        _ if before.deactivated_at.is_some() && after.deactivated_at.is_none() => "user.reactivate",
        _ if after.role != before.role => "user.role",
        _ => "user.update",
    };
    let mut stmts = vec![repo::update_user(&ctx.db, &after)?];
    if deactivate {
        stmts.push(repo::end_sessions(&ctx.db, id, None)?);
    }
    stmts.push(admin.audit(ctx, action, "user", Some(id), Some(&before), Some(&after))?);
    crate::repo::batch(&ctx.db, stmts).await?;
    ok(&user_view(&after))
}

async fn write(
    ctx: &Ctx,
    admin: &Admin,
    action: &str,
    before: &AdminUserRow,
    after: &AdminUserRow,
) -> ApiResult<Response> {
    let stmts = vec![
        repo::update_user(&ctx.db, after)?,
        admin.audit(
            ctx,
            action,
            "user",
            Some(&after.id),
            Some(before),
            Some(after),
        )?,
    ];
    crate::repo::batch(&ctx.db, stmts).await?;
    ok(&user_view(after))
}

#[utoipa::path(post, path = "/api/admin/users/{id}/suspend", tag = "admin", request_body = SuspendRequest,
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = AdminUserView, description = "Suspended: can sign in and read, cannot open tickets or reply (P27)"),
              (status = 409, body = ErrorBody, description = "Already suspended, or staff"),
              (status = 422, body = ErrorBody, description = "Missing reason")))]
pub async fn suspend(req: &mut Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = load(ctx, id).await?;
    let body: SuspendRequest = read_json(req).await?;
    let reason = accounts::reason(&body.reason)?;
    if before.role != "client" {
        return Err(ApiError::conflict(
            "not_a_client",
            (
                "Solo se suspende a clientes; al personal se le desactiva.",
                "Only clients are suspended; staff are deactivated.",
            ),
        ));
    }
    accounts::change_suspension(SuspensionScope::User, before.suspended != 0, true)?;
    let after = AdminUserRow {
        suspended: 1,
        suspended_reason: Some(reason),
        suspended_at: Some(admin.now_s()),
        ..before.clone()
    };
    write(ctx, &admin, "user.suspend", &before, &after).await
}

#[utoipa::path(post, path = "/api/admin/users/{id}/unsuspend", tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = AdminUserView, description = "The suspension is lifted"),
              (status = 409, body = ErrorBody, description = "Not suspended")))]
pub async fn unsuspend(req: &Request, ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let admin = Admin::of(req, ctx).await?;
    let before = load(ctx, id).await?;
    accounts::change_suspension(SuspensionScope::User, before.suspended != 0, false)?;
    let after = AdminUserRow {
        suspended: 0,
        suspended_reason: None,
        suspended_at: None,
        ..before.clone()
    };
    write(ctx, &admin, "user.unsuspend", &before, &after).await
}

/// A new account that has not chosen its password yet (`company`: id and name).
pub(super) fn invited_user(
    created_at: String,
    email: String,
    name: String,
    role: Role,
    company: Option<(String, String)>,
    phone: Option<String>,
) -> ApiResult<AdminUserRow> {
    let (company_id, company_name) = company.unzip();
    Ok(AdminUserRow {
        id: new_id()?,
        email,
        name,
        role: role.as_str().into(),
        company_id,
        company_name,
        phone,
        invited: 1,
        deactivated_at: None,
        suspended: 0,
        suspended_reason: None,
        suspended_at: None,
        flagged: 0,
        created_at,
    })
}

/// Stores an invited account and its invitation (the one-time link, through the outbox):
/// one place for creating a person and for the CSV import.
pub(super) fn invite_statements(
    req: &Request,
    ctx: &Ctx,
    admin: &Admin,
    row: &AdminUserRow,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let mut stmts = vec![repo::insert_user(&ctx.db, row, repo::INVITED)?];
    stmts.extend(invitation(
        req,
        ctx,
        &row.id,
        &row.email,
        &row.name,
        TokenPurpose::Invite,
        admin.now,
    )?);
    Ok(stmts)
}
