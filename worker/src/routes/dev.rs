//! Dev-only endpoints (`MDS_DEV = "1"`, set by `cargo xtask dev` / `test`): the dev mailbox
//! and the dev clock. They answer 404 in a deployed Worker, before any authentication.
use chrono::{DateTime, Utc};
use domain::api::notifications::{
    DevClock, DevClockRequest, DevContractHours, DevInvoice, DevInvoiceRequest, DevMail,
    DevMailFailures, DevMailQueued, DevMailRequest, DevMailbox,
};
use worker::{Request, Response};

use super::calendar::{calendar, office_time};
use super::Ctx;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, query_param, read_json};
use crate::notify::{self, dev_enabled, Email};
use crate::repo;
use crate::repo::outbox;
use crate::util::{self, CLOCK_KEY};

async fn require_dev_admin(req: &Request, ctx: &Ctx) -> ApiResult<()> {
    if !dev_enabled(&ctx.env) {
        return Err(ApiError::NotFound);
    }
    auth::require(&ctx.db, req).await?.require_admin()
}

#[utoipa::path(get, path = "/api/dev/mailbox", tag = "dev",
    params(("to" = String, Query, description = "Recipient e-mail")),
    responses((status = 200, body = DevMailbox, description = "Messages the dev transport received, newest first, once this recipient's deliveries in flight have settled (≤ 5 s)"),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not an admin"),
              (status = 404, description = "Not a dev Worker")))]
pub async fn mailbox(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    let to = query_param(req, "to")?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            ApiError::bad_field("to", ("Falta el destinatario.", "Recipient missing."))
        })?;
    // Deliveries run on the queue, after the request that caused them: answer once this
    // recipient's rows in flight have settled (at most ~5 s), so a read right after an
    // action sees its mail.
    for _ in 0..50 {
        let now = util::now();
        let recent = util::db_time(now - chrono::Duration::seconds(10));
        if outbox::dev_busy(&ctx.db, to.trim(), &util::db_time(now), &recent).await? == 0 {
            break;
        }
        worker::Delay::from(std::time::Duration::from_millis(100)).await;
    }
    let messages = outbox::dev_mailbox(&ctx.db, to.trim(), 200)
        .await?
        .into_iter()
        .map(|r| DevMail {
            via: r.via,
            to: r.to_email,
            subject: r.subject,
            text: r.text,
            html: r.html,
            created_at: r.created_at,
        })
        .collect();
    ok(&DevMailbox { messages })
}

#[utoipa::path(post, path = "/api/dev/mailbox/failures", tag = "dev", request_body = DevMailFailures,
    responses((status = 200, body = DevMailFailures, description = "The dev transport fails its next `count` sends; the next `stall_drains` drains stop after claiming"),
              (status = 404, description = "Not a dev Worker")))]
pub async fn mail_failures(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    let input: DevMailFailures = read_json(req).await?;
    if !(0..=100).contains(&input.count) {
        return Err(ApiError::invalid(
            "invalid_count",
            "count",
            ("Entre 0 y 100.", "Between 0 and 100."),
        ));
    }
    if let Some(n) = input.stall_drains {
        if !(0..=100).contains(&n) {
            return Err(ApiError::invalid(
                "invalid_count",
                "stall_drains",
                ("Entre 0 y 100.", "Between 0 and 100."),
            ));
        }
        outbox::dev_set(&ctx.db, crate::notify::DEV_STALLS, n).await?;
    }
    outbox::dev_set(&ctx.db, "mail_failures", input.count).await?;
    ok(&input)
}

async fn clock_view(ctx: &Ctx, offset_ms: i64) -> ApiResult<DevClock> {
    util::set_clock_offset(offset_ms);
    let cal = calendar(ctx).await?;
    Ok(DevClock {
        now: office_time(&cal, util::now()),
        offset_ms,
    })
}

#[utoipa::path(post, path = "/api/dev/clock", tag = "dev", request_body = DevClockRequest,
    responses((status = 200, body = DevClock, description = "Every server reading of now moves"),
              (status = 422, description = "Neither `now` nor `advance_hours`, or a bad value"),
              (status = 404, description = "Not a dev Worker")))]
pub async fn clock_set(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    let input: DevClockRequest = read_json(req).await?;
    let real = util::real_now();
    let current = outbox::dev_get(&ctx.db, CLOCK_KEY).await?;
    let offset = match (input.now.as_deref(), input.advance_hours) {
        (Some(t), None) => DateTime::parse_from_rfc3339(t)
            .map(|t| (t.with_timezone(&Utc) - real).num_milliseconds())
            .map_err(|_| {
                ApiError::invalid(
                    "invalid_now",
                    "now",
                    ("Usa una fecha RFC 3339.", "Use an RFC 3339 instant."),
                )
            })?,
        (None, Some(h)) if h.is_finite() && h.abs() <= 100_000.0 => {
            current + (h * 3_600_000.0) as i64
        }
        _ => {
            return Err(ApiError::invalid(
                "invalid_clock",
                "now",
                (
                    "Indica `now` o `advance_hours` (hasta 100000).",
                    "Give `now` or `advance_hours` (up to 100000).",
                ),
            ))
        }
    };
    outbox::dev_set(&ctx.db, CLOCK_KEY, offset).await?;
    ok(&clock_view(ctx, offset).await?)
}

#[utoipa::path(delete, path = "/api/dev/clock", tag = "dev",
    responses((status = 200, body = DevClock, description = "Back to the real time"),
              (status = 404, description = "Not a dev Worker")))]
pub async fn clock_reset(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    outbox::dev_set(&ctx.db, CLOCK_KEY, 0).await?;
    ok(&clock_view(ctx, 0).await?)
}

/// Loads the dev clock offset for this request or sweep (dev Workers only).
pub async fn load_clock(env: &worker::Env, db: &worker::D1Database) -> ApiResult<()> {
    if dev_enabled(env) {
        util::set_clock_offset(outbox::dev_get(db, CLOCK_KEY).await?);
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/dev/mail", tag = "dev", request_body = DevMailRequest,
    responses((status = 202, description = "Enqueued (once per `dedupe_key`); delivered after the response"),
              (status = 404, description = "Not a dev Worker")))]
pub async fn send_test(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    let input: DevMailRequest = read_json(req).await?;
    let email = Email {
        user_id: None,
        to: input.to.trim().to_lowercase(),
        lang: domain::validation::Lang::Es,
        kind: "dev_test".into(),
        dedupe_key: format!("dev:{}", input.dedupe_key),
        html: format!("<p>{}</p>", domain::search::escape_html(&input.text)),
        subject: input.subject,
        text: input.text,
    };
    repo::batch(
        &ctx.db,
        vec![notify::enqueue(&ctx.db, &email, util::now())?],
    )
    .await?;
    ctx.drain_after.set(true);
    crate::http::json(
        202,
        &DevMailQueued {
            queued: email.dedupe_key,
        },
    )
}

#[utoipa::path(post, path = "/api/dev/contract-hours", tag = "dev", request_body = DevContractHours,
    responses((status = 200, body = DevContractHours, description = "The póliza's consumed hours (capped at its total)"),
              (status = 404, description = "Not a dev Worker, or no such póliza"),
              (status = 422, description = "hours_used below 0")))]
pub async fn contract_hours(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    let input: DevContractHours = read_json(req).await?;
    if input.hours_used < 0 {
        return Err(ApiError::invalid(
            "invalid_hours",
            "hours_used",
            ("Desde 0.", "From 0."),
        ));
    }
    if !outbox::dev_contract_hours(&ctx.db, &input.contract_id, input.hours_used).await? {
        return Err(ApiError::NotFound);
    }
    ok(&input)
}

#[utoipa::path(post, path = "/api/dev/invoices", tag = "dev", request_body = DevInvoiceRequest,
    responses((status = 201, body = DevInvoice, description = "An unpaid invoice, due 6 days after delivery (P26)"),
              (status = 404, description = "Not a dev Worker, or no such company"),
              (status = 422, description = "Bad date or amount")))]
pub async fn create_invoice(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    require_dev_admin(req, ctx).await?;
    let input: DevInvoiceRequest = read_json(req).await?;
    let delivered =
        chrono::NaiveDate::parse_from_str(&input.delivered_on, "%Y-%m-%d").map_err(|_| {
            ApiError::invalid(
                "invalid_date",
                "delivered_on",
                ("Usa AAAA-MM-DD.", "Use YYYY-MM-DD."),
            )
        })?;
    if input.amount_cents < 0 {
        return Err(ApiError::invalid(
            "invalid_amount",
            "amount_cents",
            ("Desde 0.", "From 0."),
        ));
    }
    let due = domain::billing::invoice_due(delivered).to_string();
    let id = format!("i-dev-{}", crate::util::new_id()?);
    let stored = outbox::dev_invoice(
        &ctx.db,
        &id,
        &input.company_id,
        input.amount_cents,
        &delivered.to_string(),
        &due,
        &util::db_time(util::now()),
    )
    .await?;
    if !stored {
        return Err(ApiError::NotFound);
    }
    crate::http::json(201, &DevInvoice { id, due_on: due })
}
