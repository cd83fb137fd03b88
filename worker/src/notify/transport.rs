//! E-mail transports, chosen by configuration (see [`select`]):
//! - `MDS_DEV = "1"` (only `cargo xtask dev` / `test`): [`DevMailbox`], rows in D1;
//! - secret `RESEND_API_KEY`: [`Resend`], the provider's HTTP API;
//! - a `send_email` binding named `EMAIL`: [`CloudflareEmail`].
//!
//! Without any of them nothing is sent and the outbox keeps the rows `pending`.
use std::future::Future;
use std::pin::Pin;

use worker::{D1Database, Env, Fetch, Headers, Method, Request, RequestInit};

use super::Claimed;
use crate::repo::outbox;
use crate::util::db_time;

pub type SendResult = Result<(), String>;
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = SendResult> + 'a>>;

/// Delivers one claimed outbox row. An `Err` is retried later with backoff.
pub trait Transport {
    fn send<'a>(&'a self, mail: &'a Claimed) -> SendFuture<'a>;
}

pub fn select<'d>(env: &Env, db: &'d D1Database) -> Option<Box<dyn Transport + 'd>> {
    let from = env
        .var("MAIL_FROM")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "Mesa de Soporte <soporte@example.com>".into());
    if super::dev_enabled(env) {
        return Some(Box::new(DevMailbox { db }));
    }
    if let Ok(key) = env.secret("RESEND_API_KEY") {
        return Some(Box::new(Resend {
            key: key.to_string(),
            from,
        }));
    }
    if let Ok(binding) = env.send_email("EMAIL") {
        return Some(Box::new(CloudflareEmail { binding, from }));
    }
    None
}

/// Writes the message into `dev_mailbox`. `dev_state.mail_failures = N` makes the next N
/// sends fail (tests of the retry path).
pub struct DevMailbox<'d> {
    db: &'d D1Database,
}

impl Transport for DevMailbox<'_> {
    fn send<'a>(&'a self, m: &'a Claimed) -> SendFuture<'a> {
        Box::pin(async move {
            let err = |e: crate::error::ApiError| e.to_string();
            if outbox::dev_take_failure(self.db).await.map_err(err)? {
                return Err("dev transport: simulated failure".into());
            }
            outbox::dev_store(self.db, m, &db_time(crate::util::now()))
                .await
                .map_err(err)
        })
    }
}

/// Resend's HTTP API (`POST https://api.resend.com/emails`). The outbox dedupe key is the
/// provider's `Idempotency-Key`, so a retry after a lost answer is not delivered twice.
pub struct Resend {
    key: String,
    from: String,
}

impl Transport for Resend {
    fn send<'a>(&'a self, m: &'a Claimed) -> SendFuture<'a> {
        Box::pin(async move {
            let body = serde_json::json!({
                "from": self.from,
                "to": [m.to_email],
                "subject": m.subject,
                "text": m.text,
                "html": m.html,
            });
            let headers = Headers::new();
            let set = |k: &str, v: &str| headers.set(k, v).map_err(|e| e.to_string());
            set("Authorization", &format!("Bearer {}", self.key))?;
            set("Content-Type", "application/json")?;
            set("Idempotency-Key", &m.dedupe_key)?;
            let mut init = RequestInit::new();
            init.with_method(Method::Post)
                .with_headers(headers)
                .with_body(Some(body.to_string().into()));
            let req = Request::new_with_init("https://api.resend.com/emails", &init)
                .map_err(|e| e.to_string())?;
            let resp = Fetch::Request(req)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            match resp.status_code() {
                200..=299 => Ok(()),
                code => Err(format!("resend answered {code}")),
            }
        })
    }
}

/// Cloudflare Email Service through a `send_email` binding.
pub struct CloudflareEmail {
    binding: worker::SendEmail,
    from: String,
}

impl Transport for CloudflareEmail {
    fn send<'a>(&'a self, m: &'a Claimed) -> SendFuture<'a> {
        Box::pin(async move {
            let msg = worker::SendEmailBuilder::new(&self.from, &m.to_email, &m.subject);
            msg.set_text(&m.text);
            msg.set_html(&m.html);
            self.binding
                .send_with_builder(&msg)
                .await
                .map(|_| ())
                .map_err(|e| format!("send_email: {e:?}"))
        })
    }
}
