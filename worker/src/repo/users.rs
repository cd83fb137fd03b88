//! Users and sessions.
use serde::Deserialize;
use worker::D1Database;

use super::{first, opt, run, s};
use crate::error::ApiResult;

#[derive(Debug, Clone, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub company_id: Option<String>,
    pub company_name: Option<String>,
    pub password_hash: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub user_suspended_reason: Option<String>,
    #[serde(default)]
    pub user_suspended_at: Option<String>,
    #[serde(default)]
    pub company_suspended_reason: Option<String>,
    #[serde(default)]
    pub company_suspended_at: Option<String>,
    #[serde(default)]
    pub deactivated_at: Option<String>,
}

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.company_id, c.name AS company_name, \
     u.password_hash, (u.suspended OR COALESCE(c.suspended, 0)) AS suspended, u.phone, \
     CASE WHEN u.suspended = 1 THEN COALESCE(u.suspended_reason, '') END AS user_suspended_reason, \
     CASE WHEN u.suspended = 1 THEN COALESCE(u.suspended_at, u.created_at) END AS user_suspended_at, \
     CASE WHEN c.suspended = 1 THEN COALESCE(c.suspended_reason, '') END AS company_suspended_reason, \
     CASE WHEN c.suspended = 1 THEN COALESCE(c.suspended_at, c.created_at) END AS company_suspended_at, \
     u.deactivated_at \
     FROM users u LEFT JOIN companies c ON c.id = u.company_id";

pub async fn by_email(db: &D1Database, email: &str) -> ApiResult<Option<UserRow>> {
    first(
        db,
        &format!("SELECT {USER_COLUMNS} WHERE u.email = ?1"),
        &[s(email)],
    )
    .await
}

#[derive(Debug, Clone, Deserialize)]
pub struct SessionUser {
    #[serde(flatten)]
    pub user: UserRow,
    pub expires_at: String,
    pub session_created_at: String,
}

pub async fn by_id(db: &D1Database, id: &str) -> ApiResult<Option<UserRow>> {
    first(
        db,
        &format!("SELECT {USER_COLUMNS} WHERE u.id = ?1"),
        &[s(id)],
    )
    .await
}

pub async fn by_session(
    db: &D1Database,
    token_hash: &str,
    now: &str,
) -> ApiResult<Option<SessionUser>> {
    first(
        db,
        &format!(
            "SELECT se.expires_at, se.created_at AS session_created_at, {USER_COLUMNS} JOIN sessions se ON se.user_id = u.id \
             WHERE se.token_hash = ?1 AND se.expires_at > ?2 AND u.deactivated_at IS NULL"
        ),
        &[s(token_hash), s(now)],
    )
    .await
}

pub async fn create_session(
    db: &D1Database,
    token_hash: &str,
    user_id: &str,
    now: &str,
    expires_at: &str,
    ip: &str,
    user_agent: Option<&str>,
) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            s(token_hash),
            s(user_id),
            s(now),
            s(expires_at),
            s(ip),
            opt(user_agent),
        ],
    )
    .await?;
    Ok(())
}

pub async fn renew_session(db: &D1Database, token_hash: &str, expires_at: &str) -> ApiResult<()> {
    run(
        db,
        "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1",
        &[s(token_hash), s(expires_at)],
    )
    .await?;
    Ok(())
}

/// Ends every session of a user ("sign out everywhere").
pub async fn delete_sessions_of(db: &D1Database, user_id: &str) -> ApiResult<usize> {
    run(db, "DELETE FROM sessions WHERE user_id = ?1", &[s(user_id)]).await
}

pub async fn delete_session(db: &D1Database, token_hash: &str) -> ApiResult<()> {
    run(
        db,
        "DELETE FROM sessions WHERE token_hash = ?1",
        &[s(token_hash)],
    )
    .await?;
    Ok(())
}

pub async fn delete_expired_sessions(db: &D1Database, now: &str) -> ApiResult<usize> {
    run(db, "DELETE FROM sessions WHERE expires_at <= ?1", &[s(now)]).await
}
