//! Mesa de Soporte: the HTTP API and the scheduled sweeps, on Cloudflare Workers + D1.
mod auth;
mod error;
mod http;
mod notify;
mod openapi;
mod password;
mod repo;
mod routes;
mod ssr;
mod sweep;
mod util;

use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    // Knowledge-base pages, sitemap and robots.txt: server-rendered (see ssr.rs).
    if ssr::claims(&req.path()) {
        return Ok(ssr::handle(req, env)
            .await
            .unwrap_or_else(error::ApiError::into_response));
    }
    let started = js_sys::Date::now();
    let mut resp = routes::handle(req, env, &ctx)
        .await
        .unwrap_or_else(error::ApiError::into_response);
    // Time inside the Worker (handler + D1), for benchmarks and dev tools; the Workers
    // clock only advances across I/O, so this is the I/O-bound part of the request.
    let _ = resp.headers_mut().append(
        "Server-Timing",
        &format!("app;dur={:.1}", js_sys::Date::now() - started),
    );
    Ok(resp)
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let result = match env.d1("DB") {
        Ok(db) => sweep::run(&env, &db, &event.cron()).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(counts) => worker::console_log!("sweep {}: {:?}", event.cron(), counts),
        Err(e) => worker::console_error!("sweep failed: {e}"),
    }
}
