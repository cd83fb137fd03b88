//! In-app notifications, preferences, and notice fan-out (outbox + in-app rows) as
//! INSERT … SELECT statements for a caller's write batch (issue 11).
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{all, first, n, opt, run, s, stmt};
use crate::error::ApiResult;

/// Placeholder for the ticket number in a notice's texts.
pub const NUMBER_SLOT: &str = "{{ticket_number}}";
/// The SQL parameter holding the ticket id in both statements of [`fan_out`].
const TICKET_ARG: usize = 17;

/// Who gets a notice: one user, or every agent / admin (not suspended).
#[derive(Debug, Clone, Default)]
pub struct Recipients<'a> {
    pub user: Option<&'a str>,
    pub agents: bool,
    pub admins: bool,
    /// Never this user (the author of the change).
    pub except: Option<&'a str>,
    /// Every client of this company (póliza and invoice notices).
    pub company: Option<&'a str>,
}

/// A notice rendered in both languages; SQL picks the recipient's.
pub struct Notice<'a> {
    pub kind: &'a str,
    /// Per recipient the key gets `:<user id>` appended (unique in both tables).
    pub dedupe_key: &'a str,
    pub mandatory: bool,
    pub ticket_id: Option<&'a str>,
    pub link: Option<&'a str>,
    /// [es, en] of subject, body, text, html.
    pub subject: [&'a str; 2],
    pub body: [&'a str; 2],
    pub text: [&'a str; 2],
    pub html: [&'a str; 2],
    pub now: &'a str,
}

const WHO: &str = "FROM users u LEFT JOIN user_preferences p ON p.user_id = u.id \
    WHERE u.suspended = 0 AND u.deactivated_at IS NULL AND (u.id = ?1 OR (?2 = 1 AND u.role = 'agent') OR (?3 = 1 AND u.role = 'admin') \
           OR (?18 IS NOT NULL AND u.role = 'client' AND u.company_id = ?18)) \
      AND (?4 IS NULL OR u.id <> ?4) \
      AND (?5 IS NULL OR EXISTS (SELECT 1 FROM tickets g WHERE g.id = ?5 AND g.status = ?6))";

fn who_args(r: &Recipients<'_>, guard: Option<(&str, &str)>) -> Vec<JsValue> {
    vec![
        opt(r.user),
        n(r.agents as i64),
        n(r.admins as i64),
        opt(r.except),
        opt(guard.map(|g| g.0)),
        opt(guard.map(|g| g.1)),
    ]
}

/// The outbox rows and in-app rows of one notice, guarded by the ticket's status if given.
pub fn fan_out(
    db: &D1Database,
    notice: &Notice<'_>,
    to: &Recipients<'_>,
    guard: Option<(&str, &str)>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    // Texts may carry NUMBER_SLOT where the ticket's number goes (a new ticket's number
    // is only assigned inside the batch).
    let pick = |i: usize| {
        format!(
            "REPLACE(CASE WHEN COALESCE(p.lang, 'es') = 'en' THEN ?{} ELSE ?{} END, '{NUMBER_SLOT}',              COALESCE((SELECT t.number FROM tickets t WHERE t.id = ?{TICKET_ARG}), ''))",
            i + 1,
            i
        )
    };
    let mut mail_args = who_args(to, guard);
    for v in [
        notice.kind,
        notice.subject[0],
        notice.subject[1],
        notice.text[0],
        notice.text[1],
        notice.html[0],
        notice.html[1],
        notice.dedupe_key,
        notice.now,
    ] {
        mail_args.push(s(v));
    }
    mail_args.push(n(notice.mandatory as i64));
    mail_args.push(opt(notice.ticket_id));
    mail_args.push(opt(to.company));
    let mail = stmt(
        db,
        &format!(
            "INSERT OR IGNORE INTO outbox (user_id, to_email, lang, kind, subject, text, html, \
               dedupe_key, status, attempts, next_attempt_at, created_at) \
             SELECT u.id, u.email, COALESCE(p.lang, 'es'), ?7, {}, {}, {}, ?14 || ':' || u.id, \
               'pending', 0, ?15, ?15 {WHO} \
               AND (?16 = 1 OR NOT EXISTS (SELECT 1 FROM json_each(COALESCE(p.muted, '[]')) j \
                                           WHERE j.value = ?7))",
            pick(8),
            pick(10),
            pick(12)
        ),
        &mail_args,
    )?;
    let mut app_args = who_args(to, guard);
    for v in [
        notice.kind,
        notice.subject[0],
        notice.subject[1],
        notice.body[0],
        notice.body[1],
        notice.dedupe_key,
        notice.now,
    ] {
        app_args.push(s(v));
    }
    app_args.push(opt(notice.ticket_id));
    app_args.push(opt(notice.link));
    app_args.push(JsValue::NULL);
    app_args.push(opt(notice.ticket_id));
    app_args.push(opt(to.company));
    let app = stmt(
        db,
        &format!(
            "INSERT OR IGNORE INTO notifications (user_id, kind, ticket_id, title, body, link, \
               dedupe_key, created_at) \
             SELECT u.id, ?7, ?14, {}, {}, ?15, ?12 || ':' || u.id, ?13 {WHO} \
             RETURNING user_id AS notified_user",
            pick(8),
            pick(10)
        ),
        &app_args,
    )?;
    Ok(vec![mail, app])
}

#[derive(Debug, Deserialize)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub ticket_id: Option<String>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// A page of the user's notifications, newest first (`before`: an id, for the next page).
pub async fn list(
    db: &D1Database,
    user_id: &str,
    before: Option<i64>,
    limit: i64,
) -> ApiResult<Vec<NotificationRow>> {
    all(
        db,
        "SELECT id, kind, ticket_id, title, body, link, created_at, read_at FROM notifications \
         WHERE user_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3",
        &[s(user_id), before.map(n).unwrap_or(JsValue::NULL), n(limit)],
    )
    .await
}

pub async fn unread(db: &D1Database, user_id: &str) -> ApiResult<i64> {
    #[derive(Deserialize)]
    struct C {
        c: i64,
    }
    let row: Option<C> = first(
        db,
        "SELECT COUNT(*) AS c FROM notifications WHERE user_id = ?1 AND read_at IS NULL",
        &[s(user_id)],
    )
    .await?;
    Ok(row.map(|r| r.c).unwrap_or(0))
}

/// Marks the user's own notifications read: the given ids, or all when `ids` is `None`.
pub async fn mark_read(
    db: &D1Database,
    user_id: &str,
    ids: Option<&[i64]>,
    now: &str,
) -> ApiResult<usize> {
    let ids_json = ids.map(|i| serde_json::to_string(i).unwrap_or_else(|_| "[]".into()));
    run(
        db,
        "UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL \
         AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)))",
        &[s(user_id), s(now), opt(ids_json.as_deref())],
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct PrefsRow {
    pub lang: String,
    pub muted: String,
}

pub async fn prefs(db: &D1Database, user_id: &str) -> ApiResult<Option<PrefsRow>> {
    first(
        db,
        "SELECT lang, muted FROM user_preferences WHERE user_id = ?1",
        &[s(user_id)],
    )
    .await
}

pub async fn put_prefs(
    db: &D1Database,
    user_id: &str,
    lang: &str,
    muted_json: &str,
    now: &str,
) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO user_preferences (user_id, lang, muted, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT(user_id) DO UPDATE SET lang = excluded.lang, muted = excluded.muted, \
           updated_at = excluded.updated_at",
        &[s(user_id), s(lang), s(muted_json), s(now)],
    )
    .await?;
    Ok(())
}
