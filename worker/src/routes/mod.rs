//! The router: one table from (method, path) to a thin handler.
pub mod account;
pub mod admin;
pub mod attachments;
pub mod auth;
pub mod billing;
pub mod calendar;
pub mod catalog;
pub mod chat;
pub mod dev;
pub mod invoices;
pub mod kb;
pub mod notifications;
pub mod prices;
pub mod public;
pub mod sla;
pub mod tickets;

use worker::{D1Database, Env, Method, Request, Response};

use crate::error::{ApiError, ApiResult};
use crate::http::check_origin;

/// What every handler gets besides the request.
pub struct Ctx {
    pub env: Env,
    pub db: D1Database,
    /// The office calendar, loaded at most once per request (see `calendar::calendar`).
    pub calendar: futures_util::lock::Mutex<Option<domain::calendar::BusinessCalendar>>,
    /// `scheme://host` of the request, for links in e-mails.
    pub origin: String,
    /// Set by a handler that enqueued e-mail: the outbox is drained after the response.
    pub drain_after: std::rc::Rc<std::cell::Cell<bool>>,
    /// What to tell the live objects (issue 15) once the request's writes are committed.
    pub live: std::rc::Rc<std::cell::RefCell<Vec<crate::live::Push>>>,
}

impl Ctx {
    pub fn new(env: Env) -> worker::Result<Ctx> {
        Ok(Ctx {
            db: env.d1("DB")?,
            env,
            calendar: Default::default(),
            drain_after: Default::default(),
            live: Default::default(),
            origin: String::new(),
        })
    }
}

/// Routes one request; `wctx` lets mail enqueued by the request be dispatched after it.
pub async fn handle(req: Request, env: Env, wctx: &worker::Context) -> ApiResult<Response> {
    let mut ctx = Ctx::new(env)?;
    if let Ok(url) = req.url() {
        ctx.origin = url.origin().ascii_serialization();
    }
    dev::load_clock(&ctx.env, &ctx.db).await?;
    let (drain, env) = (ctx.drain_after.clone(), ctx.env.clone());
    let live = ctx.live.clone();
    let result = route(req, ctx).await;
    let mut pushes = live.take();
    pushes.extend(crate::live::notified());
    if !pushes.is_empty() {
        let env = env.clone();
        wctx.wait_until(async move { crate::live::deliver(&env, pushes).await });
    }
    if drain.get() {
        wctx.wait_until(async move {
            let drained = match env.d1("DB") {
                Ok(db) => crate::notify::dispatch(&env, &db, crate::util::now()).await,
                Err(e) => Err(e.into()),
            };
            if let Err(e) = drained {
                worker::console_error!("outbox dispatch: {e}");
            }
        });
    }
    result
}

async fn route(mut req: Request, ctx: Ctx) -> ApiResult<Response> {
    check_origin(&req)?;
    let path = req.path();
    let rest = path
        .strip_prefix("/api")
        .unwrap_or(&path)
        .trim_matches('/')
        .to_string();
    let segs: Vec<&str> = rest.split('/').collect();
    let method = req.method();
    match (method, segs.as_slice()) {
        (Method::Get, ["health"]) => public::health(),
        (Method::Get, ["openapi.json"]) => public::openapi(),
        (Method::Post, ["auth", "login"]) => auth::login(&mut req, &ctx).await,
        (Method::Post, ["auth", "logout"]) => auth::logout(&req, &ctx).await,
        (Method::Post, ["auth", "logout-everywhere"]) => auth::logout_everywhere(&req, &ctx).await,
        (Method::Get, ["me"]) => auth::me(&req, &ctx).await,
        (Method::Patch, ["me"]) => account::patch_me(&mut req, &ctx).await,
        (Method::Post, ["me", "password"]) => account::change_password(&mut req, &ctx).await,
        (Method::Post, ["auth", "activate"]) => account::activate(&mut req, &ctx).await,
        (Method::Post, ["auth", "forgot"]) => account::forgot(&mut req, &ctx).await,
        (Method::Post, ["auth", "reset"]) => account::reset(&mut req, &ctx).await,
        // Administration (issue 12)
        (Method::Get, ["admin", "companies"]) => admin::companies::list(&req, &ctx).await,
        (Method::Post, ["admin", "companies"]) => admin::companies::create(&mut req, &ctx).await,
        (Method::Get, ["admin", "companies", id]) => admin::companies::get(&req, &ctx, id).await,
        (Method::Patch, ["admin", "companies", id]) => {
            admin::companies::patch(&mut req, &ctx, id).await
        }
        (Method::Post, ["admin", "companies", id, "suspend"]) => {
            admin::companies::suspend(&mut req, &ctx, id).await
        }
        (Method::Post, ["admin", "companies", id, "unsuspend"]) => {
            admin::companies::unsuspend(&req, &ctx, id).await
        }
        (Method::Post, ["admin", "companies", id, "services"]) => {
            admin::companies::create_service(&mut req, &ctx, id).await
        }
        (Method::Post, ["admin", "companies", id, "contracts"]) => {
            admin::companies::create_contract(&mut req, &ctx, id).await
        }
        (Method::Patch, ["admin", "services", id]) => {
            admin::companies::patch_service(&mut req, &ctx, id).await
        }
        (Method::Get, ["admin", "users"]) => admin::users::list(&req, &ctx).await,
        (Method::Post, ["admin", "users"]) => admin::users::create(&mut req, &ctx).await,
        (Method::Patch, ["admin", "users", id]) => admin::users::patch(&mut req, &ctx, id).await,
        (Method::Post, ["admin", "users", id, "suspend"]) => {
            admin::users::suspend(&mut req, &ctx, id).await
        }
        (Method::Post, ["admin", "users", id, "unsuspend"]) => {
            admin::users::unsuspend(&req, &ctx, id).await
        }
        (Method::Get, ["admin", "audit"]) => admin::audit::list(&req, &ctx).await,
        (Method::Get, ["price-list"]) => prices::list(&req, &ctx).await,
        (Method::Get, ["admin", "price-list"]) => prices::admin_list(&req, &ctx).await,
        (Method::Post, ["admin", "price-list"]) => prices::create(&mut req, &ctx).await,
        (Method::Patch, ["admin", "price-list", id]) => prices::patch(&mut req, &ctx, id).await,
        (Method::Post, ["admin", "import"]) => admin::import::import(&mut req, &ctx).await,
        (Method::Get, ["admin", "settings", "conduct"]) => {
            admin::settings::get_conduct(&req, &ctx).await
        }
        (Method::Put, ["admin", "settings", "conduct"]) => {
            admin::settings::put_conduct(&mut req, &ctx).await
        }
        (Method::Get, ["calendar", "holidays"]) => calendar::holidays(&req, &ctx).await,
        (Method::Get, ["calendar", "status"]) => calendar::status(&ctx).await,
        (Method::Get, ["sla", "preview"]) => calendar::sla_preview(&req, &ctx).await,
        (Method::Get, ["admin", "calendar"]) => calendar::admin_get(&req, &ctx).await,
        (Method::Put, ["admin", "calendar"]) => calendar::admin_put(&mut req, &ctx).await,
        (Method::Post, ["admin", "holidays"]) => calendar::admin_put_holiday(&mut req, &ctx).await,
        (Method::Delete, ["admin", "holidays", date]) => {
            calendar::admin_delete_holiday(&req, &ctx, date).await
        }
        (Method::Get, ["kb", "search"]) => kb::search_handler(&req, &ctx).await,
        (Method::Get, ["kb", "categories"]) => kb::categories(&ctx).await,
        (Method::Get, ["kb", "categories", slug]) => kb::category(&ctx, slug).await,
        (Method::Get, ["kb", "articles", slug]) => kb::article(&req, &ctx, slug).await,
        (Method::Post, ["kb", "articles", slug, "feedback"]) => {
            kb::feedback(&mut req, &ctx, slug).await
        }
        (Method::Post, ["kb", "events"]) => kb::event(&mut req, &ctx).await,
        (Method::Post, ["kb", "preview"]) => kb::preview(&mut req, &ctx).await,
        (Method::Get, ["kb", "admin", "articles"]) => kb::admin_list(&req, &ctx).await,
        (Method::Post, ["kb", "admin", "articles"]) => kb::admin_create(&mut req, &ctx).await,
        (Method::Get, ["kb", "admin", "articles", slug]) => kb::admin_get(&req, &ctx, slug).await,
        (Method::Put, ["kb", "admin", "articles", slug]) => {
            kb::admin_update(&mut req, &ctx, slug).await
        }
        (Method::Delete, ["kb", "admin", "articles", slug]) => {
            kb::admin_delete(&req, &ctx, slug).await
        }
        (Method::Put, ["kb", "admin", "categories"]) => {
            kb::admin_put_category(&mut req, &ctx).await
        }
        (Method::Get, ["kb", "admin", "stats"]) => kb::stats(&req, &ctx).await,
        (Method::Post, ["kb", "images"]) => kb::upload_image(&mut req, &ctx).await,
        (Method::Get, ["kb", "images", id]) => kb::image(&ctx, id).await,
        (Method::Get, ["admin", "sweeps"]) => admin::sweep_runs(&req, &ctx).await,
        // Tickets (issue 5)
        (Method::Get, ["services"]) => catalog::services(&req, &ctx).await,
        (Method::Get, ["contract"]) => catalog::contract(&req, &ctx).await,
        (Method::Get, ["companies"]) => catalog::companies(&req, &ctx).await,
        (Method::Get, ["staff"]) => catalog::staff(&req, &ctx).await,
        (Method::Get, ["admin", "flags"]) => catalog::flags(&req, &ctx).await,
        (Method::Post, ["admin", "debug", "shift-ticket"]) => {
            tickets::debug_shift(&mut req, &ctx).await
        }
        (Method::Get, ["tickets"]) => tickets::list(&req, &ctx).await,
        (Method::Post, ["tickets"]) => tickets::create(&mut req, &ctx).await,
        (Method::Get, ["tickets", "options"]) => catalog::ticket_options(&req, &ctx).await,
        (Method::Get, ["tickets", "similar"]) => tickets::similar(&req, &ctx).await,
        (Method::Get, ["tickets", id]) => tickets::get(&req, &ctx, id).await,
        // Live ticket and chat (issue 15)
        (Method::Get, ["tickets", id, "live"]) => chat::live(&req, &ctx, id).await,
        (Method::Post, ["tickets", id, "chat"]) => chat::request(&req, &ctx, id).await,
        (Method::Post, ["tickets", id, "chat", "take"]) => chat::take(&req, &ctx, id).await,
        (Method::Get, ["chat", "status"]) => chat::status(&req, &ctx).await,
        (Method::Get, ["chat", "queue"]) => chat::queue(&req, &ctx).await,
        (Method::Get, ["chat", "live"]) => chat::lobby(&req, &ctx).await,
        (Method::Get, ["live"]) => chat::own(&req, &ctx).await,
        (Method::Post, ["tickets", id, "messages"]) => {
            tickets::post_message(&mut req, &ctx, id).await
        }
        (Method::Post, ["tickets", id, "messages", mid, "flag"]) => {
            tickets::flag(&req, &ctx, id, mid).await
        }
        (Method::Post, ["tickets", id, "attachments"]) => {
            attachments::upload(&mut req, &ctx, id).await
        }
        (Method::Post, ["tickets", id, "status"]) => tickets::set_status(&mut req, &ctx, id).await,
        (Method::Post, ["tickets", id, "reopen"]) => tickets::reopen(&req, &ctx, id).await,
        (Method::Post, ["tickets", id, "breach-reason"]) => {
            sla::set_breach_reason(&mut req, &ctx, id).await
        }
        (Method::Post, ["tickets", id, "close"]) => tickets::close(&req, &ctx, id).await,
        (Method::Post, ["tickets", id, "assign"]) => tickets::assign(&mut req, &ctx, id).await,
        (Method::Post, ["tickets", id, "merge"]) => tickets::merge(&mut req, &ctx, id).await,
        (Method::Post, ["tickets", id, "out-of-scope"]) => {
            tickets::out_of_scope(&mut req, &ctx, id).await
        }
        // Paid service (issue 13)
        (Method::Get, ["tickets", id, "billing"]) => billing::get(&req, &ctx, id).await,
        (Method::Post, ["tickets", id, "quotes"]) => billing::quote(&mut req, &ctx, id).await,
        (Method::Post, ["tickets", id, "estimates"]) => billing::estimate(&mut req, &ctx, id).await,
        (Method::Post, ["tickets", id, "authorizations"]) => {
            billing::authorize(&mut req, &ctx, id).await
        }
        (Method::Put, ["tickets", id, "remote-checklist"]) => {
            billing::checklist(&mut req, &ctx, id).await
        }
        (Method::Post, ["tickets", id, "credentials"]) => {
            billing::add_credential(&mut req, &ctx, id).await
        }
        (Method::Post, ["tickets", id, "credentials", cid, "reveal"]) => {
            billing::reveal(&req, &ctx, id, cid).await
        }
        (Method::Post, ["tickets", id, "time"]) => billing::time(&mut req, &ctx, id).await,
        (Method::Post, ["tickets", id, "complete"]) => billing::complete(&mut req, &ctx, id).await,
        (Method::Get, ["contract", "ledger"]) => invoices::ledger(&req, &ctx).await,
        (Method::Get, ["invoices"]) => invoices::list(&req, &ctx).await,
        (Method::Get, ["admin", "invoices"]) => invoices::admin_list(&req, &ctx).await,
        (Method::Post, ["admin", "invoices", id, "paid"]) => {
            invoices::mark_paid(&mut req, &ctx, id).await
        }
        (Method::Post, ["admin", "contracts", id, "corrections"]) => {
            invoices::correction(&mut req, &ctx, id).await
        }
        (Method::Get, ["notifications"]) => notifications::list(&req, &ctx).await,
        (Method::Post, ["notifications", "read"]) => notifications::mark_read(&mut req, &ctx).await,
        (Method::Get, ["me", "preferences"]) => notifications::get_prefs(&req, &ctx).await,
        (Method::Put, ["me", "preferences"]) => notifications::put_prefs(&mut req, &ctx).await,
        (Method::Get, ["dev", "mailbox"]) => dev::mailbox(&req, &ctx).await,
        (Method::Post, ["dev", "mailbox", "failures"]) => dev::mail_failures(&mut req, &ctx).await,
        (Method::Post, ["dev", "mail"]) => dev::send_test(&mut req, &ctx).await,
        (Method::Post, ["dev", "clock"]) => dev::clock_set(&mut req, &ctx).await,
        (Method::Delete, ["dev", "clock"]) => dev::clock_reset(&req, &ctx).await,
        (Method::Post, ["dev", "contract-hours"]) => dev::contract_hours(&mut req, &ctx).await,
        (Method::Post, ["dev", "invoices"]) => dev::create_invoice(&mut req, &ctx).await,
        (Method::Get, ["attachments", id]) => attachments::download(&req, &ctx, id).await,
        _ => Err(unrouted(&segs)),
    }
}

/// 405 with `Allow` when the path exists under other methods, else 404.
fn unrouted(segs: &[&str]) -> ApiError {
    let allow = crate::openapi::allowed_methods(segs);
    if allow.is_empty() {
        ApiError::NotFound
    } else {
        ApiError::MethodNotAllowed {
            allow: allow.join(", "),
        }
    }
}
