//! Accounts: activation from an invitation, forgot/reset password (one-time links),
//! change password, profile. Tokens are random (256 bit), stored as SHA-256, single use.
use chrono::{DateTime, Utc};
use domain::accounts::{self, StoredToken, TokenError, TokenPurpose};
use domain::api::admin::{
    AccountMessage, ChangePasswordRequest, ForgotRequest, PatchMeRequest, TokenPasswordRequest,
};
use domain::api::{ErrorBody, LoginResponse, Me};
use domain::validation::{self, Lang};
use worker::{D1PreparedStatement, Request, Response};

use super::admin::audit_stmt;
use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult, Text};
use crate::http::{client_ip, ok, read_json};
use crate::notify::{self, Email};
use crate::password;
use crate::repo::admin as repo;
use crate::repo::users;
use crate::util::{db_time, now, parse_db_time, random_bytes, sha256_hex};

/// The statements that store a new one-time token for `user_id` and e-mail its link
/// (through the outbox, in the caller's batch).
pub fn invitation(
    req: &Request,
    ctx: &Ctx,
    user_id: &str,
    email: &str,
    name: &str,
    purpose: TokenPurpose,
    at: DateTime<Utc>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    invitation_in(req, ctx, user_id, email, name, purpose, at, Lang::Es)
}

#[allow(clippy::too_many_arguments)]
fn invitation_in(
    req: &Request,
    ctx: &Ctx,
    user_id: &str,
    email: &str,
    name: &str,
    purpose: TokenPurpose,
    at: DateTime<Utc>,
    lang: Lang,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let token = hex::encode(random_bytes::<32>()?);
    let hash = sha256_hex(token.as_bytes());
    let origin = req.url()?.origin().ascii_serialization();
    let link = format!("{origin}{}?token={token}", purpose.path());
    let (subject, text) = match (purpose, lang) {
        (TokenPurpose::Invite, Lang::Es) => (
            "Tu cuenta de Mesa de Soporte".to_string(),
            format!("Hola, {name}:\n\nTe dimos de alta en Mesa de Soporte. Para elegir tu contraseña y entrar, abre este enlace (vale 72 horas y funciona una sola vez):\n\n{link}\n\nSi no esperabas este correo, ignóralo."),
        ),
        (TokenPurpose::Invite, Lang::En) => (
            "Your Mesa de Soporte account".to_string(),
            format!("Hello {name},\n\nAn account was created for you on Mesa de Soporte. To choose your password and sign in, open this link (valid for 72 hours, works once):\n\n{link}\n\nIf you did not expect this e-mail, ignore it."),
        ),
        (TokenPurpose::Reset, Lang::Es) => (
            "Restablece tu contraseña".to_string(),
            format!("Hola, {name}:\n\nPediste restablecer tu contraseña de Mesa de Soporte. Abre este enlace para elegir una nueva (vale 1 hora y funciona una sola vez):\n\n{link}\n\nSi no lo pediste, ignora este correo: tu contraseña no cambia."),
        ),
        (TokenPurpose::Reset, Lang::En) => (
            "Reset your password".to_string(),
            format!("Hello {name},\n\nYou asked to reset your Mesa de Soporte password. Open this link to choose a new one (valid for 1 hour, works once):\n\n{link}\n\nIf you did not ask for it, ignore this e-mail: your password stays the same."),
        ),
    };
    let html = format!(
        "<p>{}</p>",
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace("\n\n", "</p><p>")
    );
    let mail = Email {
        user_id: Some(user_id.into()),
        to: email.into(),
        lang,
        kind: format!("account_{}", purpose.as_str()),
        dedupe_key: format!("account:{hash}"),
        subject,
        text,
        html,
    };
    let now_s = db_time(at);
    let expires = db_time(at + purpose.ttl());
    Ok(vec![
        // A new link replaces any earlier one of the same purpose.
        repo::retire_tokens(&ctx.db, user_id, purpose.as_str(), &now_s)?,
        repo::insert_token(&ctx.db, &hash, user_id, purpose.as_str(), &now_s, &expires)?,
        notify::enqueue(&ctx.db, &mail, at)?,
    ])
}

fn token_error(e: TokenError) -> ApiError {
    ApiError::Invalid {
        code: e.code(),
        message: Text::from_lang(|l| e.message(l)),
        field: Some("token".into()),
    }
}

/// Checks the token, the password rules, and sets the password: one guarded batch that
/// also retires the token and ends every session of the person.
async fn use_token(
    ctx: &Ctx,
    req: &Request,
    body: &TokenPasswordRequest,
    purpose: TokenPurpose,
) -> ApiResult<String> {
    let token = body.token.trim();
    if !accounts::token_well_formed(token) {
        return Err(token_error(TokenError::Unknown));
    }
    let hash = sha256_hex(token.as_bytes());
    let at = now();
    let row = repo::token(&ctx.db, &hash).await?;
    let stored = row.as_ref().map(|r| StoredToken {
        purpose: if r.purpose == "invite" {
            TokenPurpose::Invite
        } else {
            TokenPurpose::Reset
        },
        expires_at: parse_db_time(&r.expires_at).unwrap_or(at),
        used: r.used_at.is_some(),
        user_inactive: r.deactivated_at.is_some(),
    });
    accounts::check_token(stored.as_ref(), purpose, at).map_err(token_error)?;
    let row = row.ok_or_else(|| token_error(TokenError::Unknown))?;
    accounts::check_password("password", &body.password, &row.email)?;
    let new_hash = password::hash(&body.password).await?;
    let now_s = db_time(at);
    let stmts = vec![
        repo::use_token(&ctx.db, &hash, &now_s)?,
        repo::set_password(&ctx.db, &row.user_id, &new_hash)?,
        repo::retire_tokens(&ctx.db, &row.user_id, purpose.as_str(), &now_s)?,
        repo::end_sessions(&ctx.db, &row.user_id, None)?,
        audit_stmt(
            ctx,
            None,
            &client_ip(req),
            at,
            match purpose {
                TokenPurpose::Invite => "account.activate",
                TokenPurpose::Reset => "account.reset",
            },
            "user",
            Some(&row.user_id),
            None::<&()>,
            None::<&()>,
        )?,
    ];
    let res = crate::repo::batch(&ctx.db, stmts).await?;
    let changed = res
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0);
    if changed == 0 {
        return Err(token_error(TokenError::Used));
    }
    Ok(row.user_id)
}

#[utoipa::path(post, path = "/api/auth/activate", tag = "auth", request_body = TokenPasswordRequest,
    responses((status = 200, body = LoginResponse, description = "Password set; signed in (sets the session cookie)"),
              (status = 422, body = ErrorBody, description = "Unknown, used or expired token (`field: token`), or a password that breaks the rules (`field: password`)")))]
pub async fn activate(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let body: TokenPasswordRequest = read_json(req).await?;
    let user_id = use_token(ctx, req, &body, TokenPurpose::Invite).await?;
    let user = users::by_id(&ctx.db, &user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    super::auth::signed_in(ctx, req, Caller::from_row(user)?).await
}

#[utoipa::path(post, path = "/api/auth/reset", tag = "auth", request_body = TokenPasswordRequest,
    responses((status = 200, body = AccountMessage, description = "Password changed; every session of the person ended"),
              (status = 422, body = ErrorBody, description = "Unknown, used or expired token, or a password that breaks the rules")))]
pub async fn reset(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let body: TokenPasswordRequest = read_json(req).await?;
    use_token(ctx, req, &body, TokenPurpose::Reset).await?;
    ok(&AccountMessage {
        message: (
            "Listo: tu contraseña cambió. Entra con la nueva.",
            "Done: your password changed. Sign in with the new one.",
        )
            .into(),
    })
}

async fn allowed(ctx: &Ctx, binding: &str, key: String) -> ApiResult<bool> {
    Ok(ctx.env.rate_limiter(binding)?.limit(key).await?.success)
}

#[utoipa::path(post, path = "/api/auth/forgot", tag = "auth", request_body = ForgotRequest,
    responses((status = 200, body = AccountMessage, description = "The same answer whether or not the e-mail has an account; if it has, a one-time link valid 1 h is e-mailed"),
              (status = 422, body = ErrorBody, description = "Not an e-mail address"),
              (status = 429, body = ErrorBody, description = "Too many requests for this e-mail or from this address")))]
pub async fn forgot(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let body: ForgotRequest = read_json(req).await?;
    let email = validation::email(&body.email)?;
    let ip_ok = allowed(ctx, "FORGOT_IP_LIMITER", format!("ip:{}", client_ip(req))).await?;
    let email_ok = allowed(ctx, "FORGOT_EMAIL_LIMITER", format!("email:{email}")).await?;
    if !ip_ok || !email_ok {
        return Err(ApiError::RateLimited { retry_after: 60 });
    }
    if let Some(user) = users::by_email(&ctx.db, &email)
        .await?
        .filter(|u| u.deactivated_at.is_none())
    {
        let lang = repo::language(&ctx.db, &user.id)
            .await?
            .and_then(|l| l.parse().ok())
            .unwrap_or(Lang::Es);
        let stmts = invitation_in(
            req,
            ctx,
            &user.id,
            &user.email,
            &user.name,
            TokenPurpose::Reset,
            now(),
            lang,
        )?;
        crate::repo::batch(&ctx.db, stmts).await?;
        ctx.drain_after.set(true);
    }
    ok(&AccountMessage {
        message: (
            "Si hay una cuenta con ese correo, te enviamos un enlace para restablecer la contraseña. Revisa tu bandeja en unos minutos.",
            "If there is an account with that e-mail, we sent it a link to reset the password. Check your inbox in a few minutes.",
        )
            .into(),
    })
}

#[utoipa::path(post, path = "/api/me/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 200, body = AccountMessage, description = "Changed; every other session ended"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 422, body = ErrorBody, description = "Wrong current password (`field: current`) or a new one that breaks the rules (`field: new`)")))]
pub async fn change_password(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let body: ChangePasswordRequest = read_json(req).await?;
    let stored = users::by_id(&ctx.db, &caller.id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if body.current.len() > accounts::PASSWORD_MAX_BYTES
        || !password::verify(&body.current, &stored.password_hash).await?
    {
        return Err(ApiError::invalid(
            "wrong_password",
            "current",
            (
                "La contraseña actual no es correcta.",
                "The current password is not correct.",
            ),
        ));
    }
    accounts::check_password("new", &body.new, &caller.email)?;
    if body.new == body.current {
        return Err(ApiError::invalid(
            "same_password",
            "new",
            (
                "La nueva contraseña debe ser distinta de la actual.",
                "The new password must differ from the current one.",
            ),
        ));
    }
    let at = now();
    let stmts = vec![
        repo::set_password(&ctx.db, &caller.id, &password::hash(&body.new).await?)?,
        repo::end_sessions(&ctx.db, &caller.id, caller.session_hash.as_deref())?,
        audit_stmt(
            ctx,
            Some(&caller),
            &client_ip(req),
            at,
            "account.password",
            "user",
            Some(&caller.id),
            None::<&()>,
            None::<&()>,
        )?,
    ];
    crate::repo::batch(&ctx.db, stmts).await?;
    ok(&AccountMessage {
        message: (
            "Tu contraseña cambió; cerramos tus otras sesiones.",
            "Your password changed; your other sessions were signed out.",
        )
            .into(),
    })
}

#[utoipa::path(patch, path = "/api/me", tag = "auth", request_body = PatchMeRequest,
    responses((status = 200, body = Me, description = "The updated profile"),
              (status = 401, body = ErrorBody, description = "Not signed in"),
              (status = 422, body = ErrorBody, description = "Bad name, language or phone")))]
pub async fn patch_me(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let mut caller = auth::require(&ctx.db, req).await?;
    let body: PatchMeRequest = read_json(req).await?;
    let before = (caller.name.clone(), caller.phone.clone());
    if let Some(n) = &body.name {
        caller.name = accounts::name(n)?;
    }
    if let Some(p) = &body.phone {
        caller.phone = accounts::phone(p)?;
    }
    let lang = match body.language.as_deref() {
        Some(l) => Some(l.parse::<Lang>().map_err(|_| {
            ApiError::invalid(
                "invalid_language",
                "language",
                (
                    "El idioma debe ser es o en.",
                    "The language must be es or en.",
                ),
            )
        })?),
        None => None,
    };
    let at = now();
    let mut stmts = vec![repo::update_profile(
        &ctx.db,
        &caller.id,
        &caller.name,
        caller.phone.as_deref(),
    )?];
    if let Some(l) = lang {
        stmts.push(repo::set_language(
            &ctx.db,
            &caller.id,
            l.as_str(),
            &db_time(at),
        )?);
    }
    let after = (
        caller.name.clone(),
        caller.phone.clone(),
        lang.map(Lang::as_str),
    );
    stmts.push(audit_stmt(
        ctx,
        Some(&caller),
        &client_ip(req),
        at,
        "account.profile",
        "user",
        Some(&caller.id),
        Some(&before),
        Some(&after),
    )?);
    crate::repo::batch(&ctx.db, stmts).await?;
    ok(&caller.me())
}
