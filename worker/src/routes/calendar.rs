//! Public calendar and SLA preview; admin calendar settings (P4–P6).
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use domain::api::calendar::{
    AdminCalendar, CalendarStatus, HolidayOverride, HolidayView, HolidayYear, SlaPreview,
};
use domain::calendar::{BusinessCalendar, CalendarSettingsPatch};
use domain::sla::{self, Priority};
use worker::{Request, Response};

use super::Ctx;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::http::{no_content, ok, query_param, read_json};
use crate::repo::calendar::{self as repo, Override};
use crate::util::{db_time, now};

/// The office calendar; read from D1 once per request (one batched round trip), then
/// reused by every rule the request applies.
pub async fn calendar(ctx: &Ctx) -> ApiResult<BusinessCalendar> {
    // An async lock, not a RefCell: a second reader in the same request (futures joined)
    // waits for the first load instead of reading the calendar again.
    let mut slot = ctx.calendar.lock().await;
    if let Some(cal) = slot.as_ref() {
        return Ok(cal.clone());
    }
    let cal = BusinessCalendar::new(repo::load(&ctx.db).await?);
    *slot = Some(cal.clone());
    Ok(cal)
}

/// RFC 3339 in the office offset, e.g. `2026-12-29T10:00:00-06:00`.
pub fn office_time(cal: &BusinessCalendar, t: DateTime<Utc>) -> String {
    cal.to_local(t).to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn field_error(e: domain::validation::FieldError, status400: bool) -> ApiError {
    if status400 {
        ApiError::query(e)
    } else {
        e.into()
    }
}

#[utoipa::path(get, path = "/api/calendar/holidays", tag = "public",
    params(("year" = Option<i32>, Query, description = "1900–2200; defaults to the current year")),
    responses((status = 200, description = "Statutory + admin-added holidays, minus admin-removed", body = HolidayYear),
              (status = 400, description = "Bad year (field `year`)")))]
pub async fn holidays(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let cal = calendar(ctx).await?;
    let year = match query_param(req, "year")? {
        None => cal.local_date(now()).year(),
        Some(y) => y
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| {
                ApiError::bad_field(
                    "year",
                    (
                        "El año debe estar entre 1900 y 2200.",
                        "Year must be 1900–2200.",
                    ),
                )
            })?,
    };
    let holidays = cal
        .holidays(year)
        .into_iter()
        .map(|h| HolidayView {
            date: h.date.to_string(),
            name: h.name_es,
            name_en: h.name_en,
            kind: h.kind,
        })
        .collect();
    ok(&HolidayYear { year, holidays })
}

#[utoipa::path(get, path = "/api/sla/preview", tag = "public",
    params(("priority" = String, Query, description = "low | medium | high"),
           ("from" = Option<String>, Query, description = "RFC 3339 instant, any offset; defaults to now")),
    responses((status = 200, description = "Due time of a response target opened at `from`", body = SlaPreview),
              (status = 400, description = "Bad priority or time (with `field`)")))]
pub async fn sla_preview(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let priority: Priority = query_param(req, "priority")?
        .unwrap_or_default()
        .parse()
        .map_err(|e| field_error(e, true))?;
    let from = match query_param(req, "from")? {
        None => now(),
        Some(raw) => domain::validation::instant("from", &raw).map_err(|e| field_error(e, true))?,
    };
    let cal = calendar(ctx).await?;
    let due = sla::due_at(&cal, priority, from);
    ok(&SlaPreview {
        priority,
        target_hours: priority.target_hours(),
        from: office_time(&cal, from),
        due: office_time(&cal, due),
        clock: cal.clock(),
    })
}

#[utoipa::path(get, path = "/api/calendar/status", tag = "public",
    responses((status = 200, description = "Whether support is open now, when it next opens, office hours", body = CalendarStatus)))]
pub async fn status(ctx: &Ctx) -> ApiResult<Response> {
    let cal = calendar(ctx).await?;
    let at = now();
    let st = cal.settings();
    let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    ok(&CalendarStatus {
        now: office_time(&cal, at),
        open: cal.is_open(at),
        next_opening: office_time(&cal, cal.next_opening(at)),
        next_closing: office_time(&cal, cal.next_closing(at)),
        opens: hhmm(st.open_minute),
        closes: hhmm(st.close_minute),
        offset_minutes: st.offset_minutes,
        clock: cal.clock(),
        today_is_working_day: cal.is_working_day(cal.local_date(at)),
    })
}

#[utoipa::path(get, path = "/api/admin/calendar", tag = "admin",
    responses((status = 200, description = "Office settings and holiday overrides", body = AdminCalendar), (status = 403, description = "Not an admin")))]
pub async fn admin_get(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let mut settings = repo::load(&ctx.db).await?;
    settings.added.clear();
    settings.removed.clear();
    let overrides = repo::overrides(&ctx.db)
        .await?
        .into_iter()
        .map(|o| HolidayOverride {
            date: o.date,
            action: o.action,
            name: o.name,
        })
        .collect();
    ok(&AdminCalendar {
        settings,
        overrides,
    })
}

#[utoipa::path(put, path = "/api/admin/calendar", tag = "admin", request_body = CalendarSettingsPatch,
    responses((status = 200, description = "Settings stored (a partial update: absent fields keep their value, `{}` changes nothing); every computation uses them", body = AdminCalendar),
              (status = 422, description = "Invalid value (with `field`)"), (status = 403, description = "Not an admin")))]
pub async fn admin_put(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let patch: CalendarSettingsPatch = read_json(req).await?;
    let settings = repo::load(&ctx.db)
        .await?
        .patched(&patch)
        .map_err(|e| field_error(e, false))?;
    repo::save(&ctx.db, &settings, &db_time(now())).await?;
    admin_get(req, ctx).await
}

#[utoipa::path(post, path = "/api/admin/holidays", tag = "admin", request_body = HolidayOverride,
    responses((status = 200, description = "Override stored: `add` a closure day or `remove` a statutory holiday", body = HolidayOverride),
              (status = 422, description = "Invalid date, action or name (with `field`)")))]
pub async fn admin_put_holiday(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let input: HolidayOverride = read_json(req).await?;
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(
            "invalid_date",
            "date",
            ("Usa el formato AAAA-MM-DD.", "Use YYYY-MM-DD."),
        )
    })?;
    if input.action != "add" && input.action != "remove" {
        return Err(ApiError::invalid(
            "invalid_action",
            "action",
            (
                "La acción debe ser add o remove.",
                "Action must be add or remove.",
            ),
        ));
    }
    let name = domain::validation::optional_text("name", &input.name, 120)
        .map_err(|e| field_error(e, false))?
        .unwrap_or_default();
    if input.action == "add" && name.is_empty() {
        return Err(ApiError::invalid(
            "required",
            "name",
            (
                "Escribe el nombre del día inhábil.",
                "Name the closure day.",
            ),
        ));
    }
    let o = Override {
        date: date.to_string(),
        action: input.action,
        name,
    };
    repo::put_override(&ctx.db, &o, &db_time(now())).await?;
    ok(&HolidayOverride {
        date: o.date,
        action: o.action,
        name: o.name,
    })
}

#[utoipa::path(delete, path = "/api/admin/holidays/{date}", tag = "admin",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204, description = "Override removed"), (status = 404, description = "No override on that date")))]
pub async fn admin_delete_holiday(req: &Request, ctx: &Ctx, date: &str) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    if repo::delete_override(&ctx.db, date).await? == 0 {
        return Err(ApiError::NotFound);
    }
    no_content()
}
