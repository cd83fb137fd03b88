//! In-app notifications and notification preferences (issue 11).
use domain::api::notifications::{
    KindPreference, MarkReadRequest, MarkReadResult, NotificationList, NotificationView,
    Preferences, PreferencesUpdate,
};
use domain::notify::Kind;
use domain::validation::Lang;
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, query_param, read_json};
use crate::repo::notices as repo;
use crate::util::{db_time, now};

const PAGE: i64 = 20;

#[utoipa::path(get, path = "/api/notifications", tag = "notifications",
    params(("before" = Option<i64>, Query, description = "Only ids below this (next page)")),
    responses((status = 200, body = NotificationList, description = "Own notifications, newest first, with the unread count"),
              (status = 401, description = "Not signed in")))]
pub async fn list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let before = match query_param(req, "before")? {
        Some(b) => Some(b.trim().parse::<i64>().map_err(|_| {
            ApiError::bad_field("before", ("Debe ser un número.", "Must be a number."))
        })?),
        None => None,
    };
    let (rows, unread) = futures_util::future::join(
        repo::list(&ctx.db, &caller.id, before, PAGE),
        repo::unread(&ctx.db, &caller.id),
    )
    .await;
    let rows = rows?;
    let next_before = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    let notifications = rows
        .into_iter()
        .filter_map(|r| {
            Some(NotificationView {
                id: r.id,
                kind: Kind::parse(&r.kind)?,
                ticket_id: r.ticket_id,
                title: r.title,
                body: r.body,
                link: r.link,
                created_at: r.created_at,
                read: r.read_at.is_some(),
            })
        })
        .collect();
    ok(&NotificationList {
        notifications,
        unread: unread?,
        next_before,
    })
}

#[utoipa::path(post, path = "/api/notifications/read", tag = "notifications", request_body = MarkReadRequest,
    responses((status = 200, body = MarkReadResult, description = "Marked (own only) and the unread left"),
              (status = 401, description = "Not signed in"),
              (status = 422, description = "Neither `ids` nor `all`")))]
pub async fn mark_read(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input: MarkReadRequest = read_json(req).await?;
    let ids = match (input.all, input.ids) {
        (Some(true), _) => None,
        (_, Some(ids)) if ids.len() <= 500 => Some(ids),
        _ => {
            return Err(ApiError::invalid(
                "invalid_selection",
                "ids",
                (
                    "Indica `ids` (hasta 500) o `all: true`.",
                    "Give `ids` (up to 500) or `all: true`.",
                ),
            ))
        }
    };
    let marked = repo::mark_read(&ctx.db, &caller.id, ids.as_deref(), &db_time(now())).await?;
    ok(&MarkReadResult {
        marked: marked as i64,
        unread: repo::unread(&ctx.db, &caller.id).await?,
    })
}

fn view(lang: &str, muted: &[String], ui: Lang) -> Preferences {
    Preferences {
        lang: lang.to_string(),
        kinds: Kind::ALL
            .into_iter()
            .map(|k| KindPreference {
                kind: k,
                label: k.label(ui).to_string(),
                muted: !k.mandatory() && muted.iter().any(|m| m == k.as_str()),
                mandatory: k.mandatory(),
            })
            .collect(),
    }
}

fn ui_lang(lang: &str) -> Lang {
    if lang == "en" {
        Lang::En
    } else {
        Lang::Es
    }
}

#[utoipa::path(get, path = "/api/me/preferences", tag = "notifications",
    responses((status = 200, body = Preferences, description = "Language and per-kind e-mail mutes"),
              (status = 401, description = "Not signed in")))]
pub async fn get_prefs(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let row = repo::prefs(&ctx.db, &caller.id).await?;
    let (lang, muted) = match row {
        Some(r) => (
            r.lang,
            serde_json::from_str::<Vec<String>>(&r.muted).unwrap_or_default(),
        ),
        None => ("es".to_string(), vec![]),
    };
    ok(&view(&lang, &muted, ui_lang(&lang)))
}

#[utoipa::path(put, path = "/api/me/preferences", tag = "notifications", request_body = PreferencesUpdate,
    responses((status = 200, body = Preferences, description = "Saved"),
              (status = 401, description = "Not signed in"),
              (status = 422, description = "Unknown language or kind, or a kind that cannot be muted (with `field`)")))]
pub async fn put_prefs(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = auth::require(&ctx.db, req).await?;
    let input: PreferencesUpdate = read_json(req).await?;
    let current = repo::prefs(&ctx.db, &caller.id).await?;
    let lang = match input.lang.as_deref().map(str::trim) {
        Some(l @ ("es" | "en")) => l.to_string(),
        Some(_) => {
            return Err(ApiError::invalid(
                "invalid_lang",
                "lang",
                (
                    "El idioma debe ser es o en.",
                    "The language must be es or en.",
                ),
            ))
        }
        None => current
            .as_ref()
            .map(|c| c.lang.clone())
            .unwrap_or_else(|| "es".into()),
    };
    let muted = match input.muted {
        Some(list) => {
            let mut kinds = Vec::new();
            for m in list {
                let k = Kind::parse(m.trim()).ok_or_else(|| {
                    ApiError::invalid(
                        "unknown_kind",
                        "muted",
                        ("Tipo de aviso desconocido.", "Unknown notification kind."),
                    )
                })?;
                if k.mandatory() {
                    return Err(ApiError::invalid(
                        "mandatory_kind",
                        "muted",
                        (
                            "Ese aviso es obligatorio y no se puede silenciar.",
                            "That notice is required and cannot be muted.",
                        ),
                    ));
                }
                kinds.push(k.as_str().to_string());
            }
            kinds.sort();
            kinds.dedup();
            kinds
        }
        None => current
            .as_ref()
            .and_then(|c| serde_json::from_str(&c.muted).ok())
            .unwrap_or_default(),
    };
    repo::put_prefs(
        &ctx.db,
        &caller.id,
        &lang,
        &serde_json::to_string(&muted)?,
        &db_time(now()),
    )
    .await?;
    ok(&view(&lang, &muted, ui_lang(&lang)))
}
