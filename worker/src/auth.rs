//! Sessions: random tokens (256 bit) in an HttpOnly cookie, stored hashed, sliding expiry.
use chrono::Duration;
use worker::{D1Database, Request};

use crate::error::Text;
use crate::error::{ApiError, ApiResult};
use crate::http::{cookie, SESSION_COOKIE};
use crate::repo::users::{self, UserRow};
use crate::util::{db_time, now, parse_db_time, random_bytes, sha256_hex};
use domain::accounts::{self, Suspension};
use domain::api::admin::SuspensionView;
use domain::api::{CompanyRef, Me, Role};

pub fn suspension_view(s: &Suspension) -> SuspensionView {
    SuspensionView {
        scope: s.scope,
        reason: s.reason.clone(),
        since: s.since.clone(),
        message: Text::from_lang(|l| s.refusal(l)),
    }
}

pub const SESSION_TTL_DAYS: i64 = 7;
/// Renew the expiry when less than this remains (avoids a write on every request).
const RENEW_BELOW_DAYS: i64 = 6;
/// However active, a session ends this long after sign-in (then sign in again).
pub const SESSION_MAX_DAYS: i64 = 30;

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub company: Option<CompanyRef>,
    /// Why and since when, when the person or their company is suspended (P27).
    pub suspension: Option<Suspension>,
    pub phone: Option<String>,
    /// Hash of the session the request came with (to keep it when ending the others).
    pub session_hash: Option<String>,
}

impl Caller {
    pub fn from_row(row: UserRow) -> ApiResult<Caller> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| ApiError::Internal(format!("bad role {}", row.role)))?;
        let company = match (row.company_id, row.company_name) {
            (Some(id), Some(name)) => Some(CompanyRef { id, name }),
            _ => None,
        };
        let suspension = accounts::suspension_of(
            row.user_suspended_reason.zip(row.user_suspended_at),
            row.company_suspended_reason.zip(row.company_suspended_at),
        );
        Ok(Caller {
            id: row.id,
            name: row.name,
            email: row.email,
            role,
            company,
            suspension,
            phone: row.phone,
            session_hash: None,
        })
    }

    pub fn me(&self) -> Me {
        Me {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            company: self.company.clone(),
            phone: self.phone.clone(),
            suspension: self.suspension.as_ref().map(suspension_view),
        }
    }

    pub fn require_staff(&self) -> ApiResult<()> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "staff_only",
                (
                    "Solo el personal de soporte puede hacer esto.",
                    "Only support staff can do this.",
                )
                    .into(),
            ))
        }
    }

    pub fn require_admin(&self) -> ApiResult<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "admin_only",
                (
                    "Solo un administrador puede hacer esto.",
                    "Only an administrator can do this.",
                )
                    .into(),
            ))
        }
    }
}

pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

pub async fn start_session(db: &D1Database, req: &Request, user_id: &str) -> ApiResult<NewSession> {
    let token = hex::encode(random_bytes::<32>()?);
    let now = now();
    let expires = now + Duration::days(SESSION_TTL_DAYS);
    let ua = req.headers().get("User-Agent")?;
    users::create_session(
        db,
        &sha256_hex(token.as_bytes()),
        user_id,
        &db_time(now),
        &db_time(expires),
        &crate::http::client_ip(req),
        ua.as_deref().map(|u| &u[..u.len().min(300)]),
    )
    .await?;
    Ok(NewSession {
        token,
        max_age_secs: SESSION_TTL_DAYS * 86_400,
    })
}

fn token_hash(req: &Request) -> Option<String> {
    let token = cookie(req, SESSION_COOKIE)?;
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| sha256_hex(token.as_bytes()))
}

/// The caller of a request, or `None` when anonymous / the session is invalid or expired.
pub async fn caller(db: &D1Database, req: &Request) -> ApiResult<Option<Caller>> {
    let Some(hash) = token_hash(req) else {
        return Ok(None);
    };
    by_session_hash(db, &hash).await
}

/// The person of a session, by its stored hash (a live socket checks its session again on
/// every message it sends).
pub async fn by_session_hash(db: &D1Database, hash: &str) -> ApiResult<Option<Caller>> {
    let hash = hash.to_string();
    let now = now();
    let Some(found) = users::by_session(db, &hash, &db_time(now)).await? else {
        return Ok(None);
    };
    if let (Some(exp), Some(started)) = (
        parse_db_time(&found.expires_at),
        parse_db_time(&found.session_created_at),
    ) {
        // Sliding, but never past the absolute lifetime.
        let renewed = (now + Duration::days(SESSION_TTL_DAYS))
            .min(started + Duration::days(SESSION_MAX_DAYS));
        if exp - now < Duration::days(RENEW_BELOW_DAYS) && renewed > exp {
            users::renew_session(db, &hash, &db_time(renewed)).await?;
        }
    }
    let mut caller = Caller::from_row(found.user)?;
    caller.session_hash = Some(hash);
    Ok(Some(caller))
}

pub async fn require(db: &D1Database, req: &Request) -> ApiResult<Caller> {
    caller(db, req).await?.ok_or(ApiError::Unauthorized)
}

pub async fn end_session(db: &D1Database, req: &Request) -> ApiResult<()> {
    if let Some(hash) = token_hash(req) {
        users::delete_session(db, &hash).await?;
    }
    Ok(())
}
