//! Sign-in, sign-out and the current user.
use worker::{Request, Response};

use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{client_ip, no_content, ok, read_json, session_cookie};
use crate::password;
use crate::repo::users;
use domain::api::{ErrorBody, LoginRequest, LoginResponse, Me};

async fn allowed(ctx: &Ctx, binding: &str, key: String) -> ApiResult<bool> {
    Ok(ctx.env.rate_limiter(binding)?.limit(key).await?.success)
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; sets the session cookie", body = LoginResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Wrong e-mail or password (same answer for both)", body = ErrorBody),
        (status = 422, description = "Empty e-mail or password", body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody)))]
pub async fn login(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let body: LoginRequest = read_json(req).await?;
    let email = body.email.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 {
        return Err(ApiError::invalid(
            "required",
            "email",
            ("Escribe tu correo.", "Enter your e-mail."),
        ));
    }
    if body.password.is_empty() || body.password.len() > 1024 {
        return Err(ApiError::invalid(
            "required",
            "password",
            ("Escribe tu contraseña.", "Enter your password."),
        ));
    }
    let ip_ok = allowed(ctx, "LOGIN_IP_LIMITER", format!("ip:{}", client_ip(req))).await?;
    let email_ok = allowed(ctx, "LOGIN_EMAIL_LIMITER", format!("email:{email}")).await?;
    if !ip_ok || !email_ok {
        return Err(ApiError::RateLimited { retry_after: 60 });
    }
    let user = users::by_email(&ctx.db, &email).await?;
    // Unknown e-mails are checked against a dummy hash so both failures cost the same.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(password::DUMMY_HASH);
    let matches = password::verify(&body.password, stored).await?;
    let user = match user {
        // A deactivated person gets the same answer as a wrong password.
        Some(u) if matches && u.deactivated_at.is_none() => u,
        _ => return Err(ApiError::InvalidCredentials),
    };
    signed_in(ctx, req, Caller::from_row(user)?).await
}

/// A new session for `caller`: the signed-in answer with its cookie (sign-in, activation).
pub async fn signed_in(ctx: &Ctx, req: &Request, caller: Caller) -> ApiResult<Response> {
    let session = auth::start_session(&ctx.db, req, &caller.id).await?;
    let mut resp = ok(&LoginResponse { user: caller.me() })?;
    resp.headers_mut().append(
        "Set-Cookie",
        &session_cookie(req, &session.token, session.max_age_secs),
    )?;
    Ok(resp)
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out; the session is deleted on the server")))]
pub async fn logout(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::end_session(&ctx.db, req).await?;
    let mut resp = no_content()?;
    resp.headers_mut()
        .append("Set-Cookie", &session_cookie(req, "", 0))?;
    Ok(resp)
}

#[utoipa::path(post, path = "/api/auth/logout-everywhere", tag = "auth",
    responses((status = 204, description = "Every session of the caller (on every device) is deleted, this one included"),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn logout_everywhere(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    crate::repo::users::delete_sessions_of(&ctx.db, &caller.id).await?;
    let mut resp = no_content()?;
    resp.headers_mut()
        .append("Set-Cookie", &session_cookie(req, "", 0))?;
    Ok(resp)
}

#[utoipa::path(get, path = "/api/me", tag = "auth",
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn me(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    ok(&caller.me())
}
