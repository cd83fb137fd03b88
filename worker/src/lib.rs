//! Mesa de Soporte: the HTTP API and the scheduled sweeps, on Cloudflare Workers + D1.
mod auth;
mod error;
mod frame;
mod http;
mod live;
mod notify;
mod openapi;
mod password;
mod repo;
mod routes;
mod seal;
mod security;
mod ssr;
mod sweep;
mod util;

use worker::{
    event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent,
};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let url = req.url()?;
    // Documents: knowledge-base pages, sitemap and robots.txt, server-rendered (ssr.rs); a
    // signed-in deep link, the shell with its page's frame (frame.rs).
    let path = req.path();
    if ssr::claims(&path) || frame::claims(&path) {
        let answer = if ssr::claims(&path) {
            ssr::handle(req, env).await
        } else {
            frame::handle(req, env).await
        };
        let mut resp = answer.unwrap_or_else(error::ApiError::into_response);
        security::apply(&mut resp, &url);
        return Ok(resp);
    }
    let started = js_sys::Date::now();
    let dev = notify::dev_enabled(&env);
    let mut resp = routes::handle(req, env, &ctx)
        .await
        .unwrap_or_else(error::ApiError::into_response);
    // Time inside the Worker (handler + D1), for benchmarks and dev tools; the Workers
    // clock only advances across I/O, so this is the I/O-bound part of the request.
    // Only under `cargo xtask dev`/`test`/`bench`: timings tell an outsider how much work a
    // request caused (e.g. whether an e-mail exists).
    if dev {
        let _ = resp.headers_mut().append(
            "Server-Timing",
            &format!("app;dur={:.1}", js_sys::Date::now() - started),
        );
    } else {
        resp.headers_mut().delete("Server-Timing").ok();
    }
    security::apply(&mut resp, &url);
    Ok(resp)
}

/// The outbox queue's consumer (and its dead-letter queue's): see `notify`.
#[event(queue)]
async fn queue(batch: MessageBatch<notify::Job>, env: Env, _ctx: Context) -> Result<()> {
    match notify::consume(&env, &batch).await {
        Ok(counts) => {
            worker::console_log!("outbox queue {}: {:?}", batch.queue(), counts);
            Ok(())
        }
        // Unacknowledged messages of the batch are retried by the queue.
        Err(e) => Err(worker::Error::RustError(format!("outbox queue: {e}"))),
    }
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
