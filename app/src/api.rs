//! Every HTTP call of the SPA lives in this file.
//!
//! Two generic helpers, [`get_json`] and [`post_json`], talk JSON to the Worker
//! (same origin, so the HttpOnly session cookie travels by itself) and turn any
//! non-2xx answer into an [`ApiError`] carrying the HTTP status and the API's
//! `{"error":{"code","message","field"}}` body. The typed endpoint functions
//! (`me`, `login`, `logout`, …) are one-liners over those helpers.

use std::fmt;

use domain::api::{ErrorBody, LoginRequest, LoginResponse, Me};
use gloo_net::http::{Request, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

/// A failed API call: the HTTP status plus the error body of the API.
///
/// `status == 0` means the request never got an HTTP answer (network error,
/// aborted) or the answer could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// The server's message in both languages (absent for network/decoding failures).
    pub messages: Option<domain::api::LocalizedText>,
    pub field: Option<String>,
}

impl ApiError {
    /// The server's message in the reader's language (`en` = English), else `message`.
    pub fn text(&self, en: bool) -> String {
        match &self.messages {
            Some(m) if en => m.en.clone(),
            Some(m) => m.es.clone(),
            None => self.message.clone(),
        }
    }
}

impl ApiError {
    /// Code used when no HTTP answer was received.
    pub const NETWORK: &'static str = "network";
    /// Code used when an answer arrived but its body was not what we expected.
    pub const DECODE: &'static str = "decode";

    fn network(err: impl fmt::Display) -> Self {
        ApiError {
            status: 0,
            code: Self::NETWORK.into(),
            message: err.to_string(),
            messages: None,
            field: None,
        }
    }

    fn decode(status: u16, err: impl fmt::Display) -> Self {
        ApiError {
            status,
            code: Self::DECODE.into(),
            message: err.to_string(),
            messages: None,
            field: None,
        }
    }

    /// `401`: no session, or the session expired.
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    /// The request did not reach the server (or its answer was unreadable).
    pub fn is_network(&self) -> bool {
        self.status == 0
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// `GET path` and decode the JSON answer.
///
/// When called under a reactive owner (e.g. from a `LocalResource`), the
/// request is aborted if that owner is cleaned up — leaving the page cancels
/// the fetch, as in the leptos hackernews example.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    if leptos::prelude::Owner::current().is_some() {
        let controller = send_wrapper::SendWrapper::new(controller);
        leptos::prelude::on_cleanup(move || {
            if let Some(c) = controller.take() {
                c.abort();
            }
        });
    }
    if let Some((status, text)) = prefetched(path).await {
        return decode(status, &text, String::new());
    }
    send(Request::get(path).abort_signal(signal.as_ref())).await
}

/// How long an answer the boot script fetched stays usable (ms): long enough for a slow
/// phone to download and start the app, short enough that a page opened later in the
/// visit asks anew.
const PREFETCH_FRESH_MS: f64 = 15_000.0;

/// An answer the boot script asked for with the page, before the app was downloaded
/// (`window.__mdsPre`: path → promise of `[status, body, received at]`, see `boot_script`
/// in `xtask/src/spa.rs`): the session and the first data of the route it was opened at,
/// so a signed-in page renders without waiting for the app to ask. Taken once; `None`
/// when there is none, it failed, or it is stale — then the caller asks the server.
async fn prefetched(path: &str) -> Option<(u16, String)> {
    use wasm_bindgen::JsCast;
    let map: js_sys::Map = js_sys::Reflect::get(&web_sys::window()?.into(), &PREFETCH_KEY.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let key = wasm_bindgen::JsValue::from_str(path);
    let promise: js_sys::Promise = map.get(&key).dyn_into().ok()?;
    map.delete(&key);
    let answer: js_sys::Array = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let fresh = js_sys::Date::now() - answer.get(2).as_f64()? < PREFETCH_FRESH_MS;
    fresh.then_some((answer.get(0).as_f64()? as u16, answer.get(1).as_string()?))
}

const PREFETCH_KEY: &str = "__mdsPre";

/// Drops what the boot script fetched: after signing in or out it belongs to another session.
fn forget_prefetched() {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::delete_property(&w, &PREFETCH_KEY.into());
    }
}

/// `POST path` with a JSON body and decode the JSON answer
/// (`T = ()` accepts an empty `204 No Content`).
pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let request = Request::post(path)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiError::decode(0, e))?;
    finish(request.send().await).await
}

/// `POST path` without a body.
pub async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(Request::post(path)).await
}

async fn send<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, ApiError> {
    finish(builder.header("Accept", "application/json").send().await).await
}

async fn finish<T: DeserializeOwned>(
    answer: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = answer.map_err(ApiError::network)?;
    let text = response.text().await.map_err(ApiError::network)?;
    decode(response.status(), &text, response.status_text())
}

/// A 2xx answer's JSON body as `T`, any other as an [`ApiError`].
fn decode<T: DeserializeOwned>(
    status: u16,
    text: &str,
    status_text: String,
) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        // An empty body (204) decodes as JSON `null`, i.e. `()` or `None`.
        let text = if text.trim().is_empty() { "null" } else { text };
        serde_json::from_str(text).map_err(|e| ApiError::decode(status, e))
    } else {
        Err(error_from(status, text, status_text))
    }
}

// ---------------------------------------------------------------- endpoints

/// A ticket's JSON decoded by `TicketDetail::from_json` (two plain passes) rather than by
/// its derived decoder, whose `#[serde(flatten)]` would put a second, buffering decoder for
/// every field type into the WASM (issue 14). Every call that answers a ticket goes through it.
struct Ticket(TicketDetail);

impl<'de> serde::Deserialize<'de> for Ticket {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <Box<serde_json::value::RawValue>>::deserialize(d)?;
        TicketDetail::from_json(raw.get())
            .map(Ticket)
            .map_err(serde::de::Error::custom)
    }
}

impl From<Ticket> for TicketDetail {
    fn from(t: Ticket) -> Self {
        t.0
    }
}

/// `GET /api/notifications`: own notices, newest first, with the unread count.
pub async fn notifications() -> Result<domain::api::notifications::NotificationList, ApiError> {
    get_json("/api/notifications").await
}

/// `POST /api/notifications/read`.
pub async fn mark_read(
    req: &domain::api::notifications::MarkReadRequest,
) -> Result<domain::api::notifications::MarkReadResult, ApiError> {
    post_json("/api/notifications/read", req).await
}

/// `GET /api/me/preferences`.
pub async fn preferences() -> Result<domain::api::notifications::Preferences, ApiError> {
    get_json("/api/me/preferences").await
}

/// `PUT /api/me/preferences`.
pub async fn put_preferences(
    body: &domain::api::notifications::PreferencesUpdate,
) -> Result<domain::api::notifications::Preferences, ApiError> {
    put_json("/api/me/preferences", body).await
}

/// `POST /api/tickets/{id}/breach-reason` (staff).
pub async fn breach_reason(
    id: String,
    body: domain::api::BreachReasonRequest,
) -> Result<TicketDetail, ApiError> {
    post_json(&format!("/api/tickets/{}/breach-reason", enc(&id)), &body)
        .await
        .map(Ticket::into)
}

/// `GET /api/me`: the signed-in user; `Ok(None)` when anonymous (401).
pub async fn me() -> Result<Option<Me>, ApiError> {
    match get_json::<Me>("/api/me").await {
        Ok(user) => Ok(Some(user)),
        Err(e) if e.is_unauthorized() => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /api/auth/login`.
pub async fn login(email: String, password: String) -> Result<LoginResponse, ApiError> {
    forget_prefetched();
    post_json("/api/auth/login", &LoginRequest { email, password }).await
}

/// `POST /api/auth/logout` (`204`).
pub async fn logout() -> Result<(), ApiError> {
    forget_prefetched();
    post_empty("/api/auth/logout").await
}

// ---------------------------------------------------------------- tickets (issue 5)

use domain::api::{
    AssignRequest, AttachmentView, CompanyView, CreateTicketRequest, MergeRequest, MessageView,
    OutOfScopeRequest, PostMessageRequest, ServiceView, SimilarTickets, StatusRequest,
    TicketDetail, TicketList, TicketOptions, UserRef,
};

/// `POST path` with a JSON body and one extra header (e.g. `Idempotency-Key`).
pub async fn post_json_with_header<B: Serialize, T: DeserializeOwned>(
    path: &str,
    header: (&str, &str),
    body: &B,
) -> Result<T, ApiError> {
    let request = Request::post(path)
        .header("Accept", "application/json")
        .header(header.0, header.1)
        .json(body)
        .map_err(|e| ApiError::decode(0, e))?;
    finish(request.send().await).await
}

/// The `ApiError` of a non-2xx answer whose body is `text` (`fallback` is the message when
/// the body is not the API's error JSON).
fn error_from(status: u16, text: &str, fallback: String) -> ApiError {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => ApiError {
            status,
            code: body.error.code,
            message: body.error.message,
            messages: Some(body.error.messages),
            field: body.error.field,
        },
        Err(_) => ApiError {
            status,
            code: format!("http_{status}"),
            message: fallback,
            messages: None,
            field: None,
        },
    }
}

/// Percent-encodes a query value.
pub fn enc(v: &str) -> String {
    String::from(js_sys::encode_uri_component(v))
}

/// `GET /api/services` (client: own company; staff: `company_id`).
pub async fn services(company_id: Option<String>) -> Result<Vec<ServiceView>, ApiError> {
    match company_id {
        Some(c) => get_json(&format!("/api/services?company_id={}", enc(&c))).await,
        None => get_json("/api/services").await,
    }
}

/// `GET /api/companies` (staff).
pub async fn companies() -> Result<Vec<CompanyView>, ApiError> {
    get_json("/api/companies").await
}

/// `GET /api/admin/flags` (admins): clients with messages flagged as abusive (P27).
pub async fn admin_flags() -> Result<Vec<domain::api::FlagCount>, ApiError> {
    get_json("/api/admin/flags").await
}

/// `GET /api/tickets/options`: categories, priorities and out-of-scope topics for the form.
pub async fn ticket_options() -> Result<TicketOptions, ApiError> {
    get_json("/api/tickets/options").await
}

/// `GET /api/tickets?…` (`query` without the leading `?`).
pub async fn tickets(query: String) -> Result<TicketList, ApiError> {
    get_json(&format!("/api/tickets?{query}")).await
}

pub async fn ticket(id: String) -> Result<TicketDetail, ApiError> {
    get_json(&format!("/api/tickets/{}", enc(&id)))
        .await
        .map(Ticket::into)
}

/// `POST /api/tickets` with an `Idempotency-Key`: a retry with the same key returns the same ticket.
pub async fn create_ticket(
    body: CreateTicketRequest,
    key: String,
) -> Result<TicketDetail, ApiError> {
    post_json_with_header("/api/tickets", ("Idempotency-Key", &key), &body)
        .await
        .map(Ticket::into)
}

/// `GET /api/tickets/similar` (P12).
pub async fn similar_tickets(
    service_id: String,
    subject: String,
) -> Result<SimilarTickets, ApiError> {
    get_json(&format!(
        "/api/tickets/similar?service_id={}&subject={}",
        enc(&service_id),
        enc(&subject)
    ))
    .await
}

/// `GET /api/kb/search` for the ticket form's suggestions (P11).
pub async fn kb_suggest(q: String) -> Result<SearchResponse, ApiError> {
    // Suggestions are deflection events ("suggested"), never knowledge-base searches.
    get_json(&format!(
        "/api/kb/search?limit=5&source=ticket_form&log=0&q={}",
        enc(&q)
    ))
    .await
}

/// `POST /api/kb/events` (P11 deflection) from the ticket form; failures are ignored.
pub async fn kb_event(kind: &str, session: &str, query: Option<String>, ticket_id: Option<String>) {
    send_kb_event(kind, session, None, query, ticket_id).await
}

/// One step of a reader's deflection journey; the answer (204) and failures are ignored.
async fn send_kb_event(
    kind: &str,
    session: &str,
    slug: Option<&str>,
    query: Option<String>,
    ticket_id: Option<String>,
) {
    let body = KbEventRequest {
        kind: kind.into(),
        session: session.into(),
        slug: slug.map(Into::into),
        query,
        ticket_id,
    };
    let _ = post_json::<_, ()>("/api/kb/events", &body).await;
}

pub async fn post_message(id: String, body: PostMessageRequest) -> Result<MessageView, ApiError> {
    post_json(&format!("/api/tickets/{}/messages", enc(&id)), &body).await
}

pub async fn set_status(
    id: String,
    status: &str,
    reason: Option<String>,
) -> Result<TicketDetail, ApiError> {
    let body = StatusRequest {
        status: status.into(),
        reason,
    };
    post_json(&format!("/api/tickets/{}/status", enc(&id)), &body)
        .await
        .map(Ticket::into)
}

/// `reopen`, `close` or `assign` (assign without a body = take it yourself).
pub async fn ticket_action(id: String, action: &str) -> Result<TicketDetail, ApiError> {
    post_empty(&format!("/api/tickets/{}/{action}", enc(&id)))
        .await
        .map(Ticket::into)
}

/// `GET /api/staff`: whom a ticket can be assigned to.
pub async fn staff() -> Result<Vec<UserRef>, ApiError> {
    get_json("/api/staff").await
}

/// Assigns the ticket to another staff member.
pub async fn assign_to(id: String, assignee_id: String) -> Result<TicketDetail, ApiError> {
    post_json(
        &format!("/api/tickets/{}/assign", enc(&id)),
        &AssignRequest {
            assignee_id: Some(assignee_id),
            unassign: None,
        },
    )
    .await
    .map(Ticket::into)
}

pub async fn merge(id: String, into: String) -> Result<TicketDetail, ApiError> {
    post_json(
        &format!("/api/tickets/{}/merge", enc(&id)),
        &MergeRequest { into },
    )
    .await
    .map(Ticket::into)
}

pub async fn out_of_scope(id: String, reason: String) -> Result<TicketDetail, ApiError> {
    post_json(
        &format!("/api/tickets/{}/out-of-scope", enc(&id)),
        &OutOfScopeRequest { reason },
    )
    .await
    .map(Ticket::into)
}

pub async fn flag_message(id: String, message_id: String) -> Result<TicketDetail, ApiError> {
    post_empty(&format!(
        "/api/tickets/{}/messages/{}/flag",
        enc(&id),
        enc(&message_id)
    ))
    .await
    .map(Ticket::into)
}

/// `POST /api/tickets/{id}/attachments` (multipart, field `file`, optional `message_id`)
/// through `XMLHttpRequest`, which — unlike `fetch` — reports upload progress:
/// `on_progress` gets 0.0..=1.0.
pub async fn upload_attachment(
    ticket_id: &str,
    message_id: Option<&str>,
    file: &web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<AttachmentView, ApiError> {
    let url = format!("/api/tickets/{}/attachments", enc(ticket_id));
    let fields: Vec<(&str, &str)> = message_id.map(|m| ("message_id", m)).into_iter().collect();
    upload_file(&url, &fields, file, on_progress).await
}

/// `POST /api/kb/images` (staff): an article image, checked like a screenshot.
pub async fn kb_upload_image(
    file: &web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<domain::kb::ImageView, ApiError> {
    upload_file("/api/kb/images", &[], file, on_progress).await
}

/// A multipart upload of `file` (field `file`, plus `fields`) through `XMLHttpRequest`.
async fn upload_file<T: serde::de::DeserializeOwned>(
    url: &str,
    fields: &[(&str, &str)],
    file: &web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<T, ApiError> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let net = |e: wasm_bindgen::JsValue| ApiError::network(format!("{e:?}"));
    let form = web_sys::FormData::new().map_err(net)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(net)?;
    for (name, value) in fields {
        form.append_with_str(name, value).map_err(net)?;
    }
    let xhr = web_sys::XmlHttpRequest::new().map_err(net)?;
    xhr.open("POST", url).map_err(net)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(net)?;
    let progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // Resolves on load, rejects on a network error or abort.
    let mut on_load = None;
    let mut on_fail = None;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        on_load = Some(resolve);
        on_fail = Some(reject);
    });
    if let (Some(ok), Some(fail)) = (&on_load, &on_fail) {
        xhr.set_onload(Some(ok));
        xhr.set_onerror(Some(fail));
        xhr.set_onabort(Some(fail));
    }
    xhr.send_with_opt_form_data(Some(&form)).map_err(net)?;
    let outcome = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    outcome.map_err(|_| ApiError::network("upload failed"))?;
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| ApiError::decode(status, e))
    } else {
        Err(error_from(status, &text, format!("HTTP {status}")))
    }
}
// ------------------------------------------- knowledge base + office hours (issues 6 and 4)

use domain::api::calendar::{CalendarStatus, HolidayYear};
use domain::api::kb::{
    AdminArticleItem, AdminArticleList, Article, ArticleInput, ArticleSource, FeedbackRequest,
    KbCategoryPage, KbEventRequest, KbHome, KbStats, PreviewRequest, PreviewResponse,
    SearchResponse, Votes,
};

/// `PUT path` with a JSON body.
pub async fn put_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let request = Request::put(path)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiError::decode(0, e))?;
    finish(request.send().await).await
}

// ----- office hours (public)

pub async fn calendar_status() -> Result<CalendarStatus, ApiError> {
    get_json("/api/calendar/status").await
}

/// `year = None`: the current year of the office calendar.
pub async fn holiday_year(year: Option<i32>) -> Result<HolidayYear, ApiError> {
    match year {
        Some(y) => get_json(&format!("/api/calendar/holidays?year={y}")).await,
        None => get_json("/api/calendar/holidays").await,
    }
}

// ----- knowledge base (public)

/// `GET /api/kb/categories`: the KB home.
pub async fn kb_home() -> Result<KbHome, ApiError> {
    get_json("/api/kb/categories").await
}

pub async fn kb_category(slug: String) -> Result<KbCategoryPage, ApiError> {
    get_json(&format!("/api/kb/categories/{}", enc(&slug))).await
}

/// `GET /api/kb/articles/{slug}`; an old slug is answered with a redirect that the
/// browser follows, so compare the answer's `url` with the current path.
pub async fn kb_article(slug: String) -> Result<Article, ApiError> {
    get_json(&format!("/api/kb/articles/{}", enc(&slug))).await
}

/// `GET /api/kb/search` as the reader types (never logged: see `kb_searched`).
pub async fn kb_search(q: String, sid: String) -> Result<SearchResponse, ApiError> {
    get_json(&format!(
        "/api/kb/search?limit=8&source=kb&log=0&q={}&sid={}",
        enc(&q),
        enc(&sid)
    ))
    .await
}

/// The query the reader settled on, counted once in the search statistics.
pub async fn kb_searched(q: String, sid: String) {
    send_kb_event("searched", &sid, None, Some(q), None).await
}

/// `POST /api/kb/articles/{slug}/feedback` (one vote per reader; a new one replaces it).
pub async fn kb_feedback(
    slug: &str,
    helpful: bool,
    comment: Option<&str>,
    session: &str,
) -> Result<Votes, ApiError> {
    post_json(
        &format!("/api/kb/articles/{}/feedback", enc(slug)),
        &FeedbackRequest {
            helpful,
            comment: comment.map(Into::into),
            session: Some(session.into()),
        },
    )
    .await
}

/// `POST /api/kb/events` `kind: "article_view"` (P11 deflection journey).
pub async fn kb_article_view(slug: &str, session: &str, query: Option<String>) {
    send_kb_event("article_view", session, Some(slug), query, None).await
}

// ----- knowledge base authoring (staff)

pub async fn kb_admin_list() -> Result<Vec<AdminArticleItem>, ApiError> {
    get_json::<AdminArticleList>("/api/kb/admin/articles")
        .await
        .map(|l| l.articles)
}

pub async fn kb_admin_get(slug: String) -> Result<ArticleSource, ApiError> {
    get_json(&format!("/api/kb/admin/articles/{}", enc(&slug))).await
}

pub async fn kb_admin_create(input: ArticleInput) -> Result<ArticleSource, ApiError> {
    post_json("/api/kb/admin/articles", &input).await
}

pub async fn kb_admin_update(slug: String, input: ArticleInput) -> Result<ArticleSource, ApiError> {
    put_json(&format!("/api/kb/admin/articles/{}", enc(&slug)), &input).await
}

/// `POST /api/kb/preview`: Markdown rendered and sanitized by the server, as on save.
pub async fn kb_preview(body_md: String) -> Result<String, ApiError> {
    post_json::<_, PreviewResponse>("/api/kb/preview", &PreviewRequest { body_md })
        .await
        .map(|p| p.body_html)
}

/// `GET /api/kb/admin/stats?days=`.
pub async fn kb_stats(days: u32) -> Result<KbStats, ApiError> {
    get_json(&format!("/api/kb/admin/stats?days={days}")).await
}

// ----- administration (issue 12)

use domain::api::admin::{
    AccountMessage, AdminCompany, AdminCompanyDetail, AdminCompanyList, AdminContractView,
    AdminPriceItem, AdminPriceList, AdminServiceView, AdminUserList, AdminUserView, AuditList,
    ChangePasswordRequest, ConductSettingsView, CreateCompanyRequest, CreateContractRequest,
    CreateServiceRequest, CreateUserRequest, ForgotRequest, ImportReport, PatchMeRequest,
    PatchServiceRequest, PatchUserRequest, PriceItemPatch, PriceItemRequest, SuspendRequest,
    TokenPasswordRequest,
};

/// `PATCH path` with a JSON body.
pub async fn patch_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let request = Request::patch(path)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiError::decode(0, e))?;
    finish(request.send().await).await
}

pub async fn admin_companies(q: String, page: u32) -> Result<AdminCompanyList, ApiError> {
    get_json(&format!("/api/admin/companies?q={}&page={page}", enc(&q))).await
}

pub async fn admin_create_company(body: CreateCompanyRequest) -> Result<AdminCompany, ApiError> {
    post_json("/api/admin/companies", &body).await
}

pub async fn admin_company(id: String) -> Result<AdminCompanyDetail, ApiError> {
    get_json(&format!("/api/admin/companies/{}", enc(&id))).await
}

/// `POST /api/admin/{users|companies}/{id}/suspend` (`reason: Some`) or `/unsuspend`.
pub async fn admin_suspension(
    entity: &str,
    id: String,
    reason: Option<String>,
) -> Result<serde_json::Value, ApiError> {
    let base = format!("/api/admin/{entity}/{}", enc(&id));
    match reason {
        Some(reason) => post_json(&format!("{base}/suspend"), &SuspendRequest { reason }).await,
        None => post_empty(&format!("{base}/unsuspend")).await,
    }
}

pub async fn admin_create_service(
    company_id: String,
    body: CreateServiceRequest,
) -> Result<AdminServiceView, ApiError> {
    post_json(
        &format!("/api/admin/companies/{}/services", enc(&company_id)),
        &body,
    )
    .await
}

pub async fn admin_patch_service(
    id: String,
    body: PatchServiceRequest,
) -> Result<AdminServiceView, ApiError> {
    patch_json(&format!("/api/admin/services/{}", enc(&id)), &body).await
}

pub async fn admin_create_contract(
    company_id: String,
    body: CreateContractRequest,
) -> Result<AdminContractView, ApiError> {
    post_json(
        &format!("/api/admin/companies/{}/contracts", enc(&company_id)),
        &body,
    )
    .await
}

pub async fn admin_users(query: String) -> Result<AdminUserList, ApiError> {
    get_json(&format!("/api/admin/users?{query}")).await
}

pub async fn admin_create_user(body: CreateUserRequest) -> Result<AdminUserView, ApiError> {
    post_json("/api/admin/users", &body).await
}

pub async fn admin_patch_user(
    id: String,
    body: PatchUserRequest,
) -> Result<AdminUserView, ApiError> {
    patch_json(&format!("/api/admin/users/{}", enc(&id)), &body).await
}

/// `GET /api/admin/audit?…` (`query` without the leading `?`).
pub async fn admin_audit(query: String) -> Result<AuditList, ApiError> {
    get_json(&format!("/api/admin/audit?{query}")).await
}

/// `GET /api/admin/price-list`: every item with its price history.
pub async fn admin_prices() -> Result<AdminPriceList, ApiError> {
    get_json("/api/admin/price-list").await
}

pub async fn admin_create_price(body: PriceItemRequest) -> Result<AdminPriceItem, ApiError> {
    post_json("/api/admin/price-list", &body).await
}

pub async fn admin_patch_price(
    id: String,
    body: PriceItemPatch,
) -> Result<AdminPriceItem, ApiError> {
    patch_json(&format!("/api/admin/price-list/{}", enc(&id)), &body).await
}

pub async fn admin_conduct() -> Result<ConductSettingsView, ApiError> {
    get_json("/api/admin/settings/conduct").await
}

pub async fn admin_put_conduct(flag_threshold: i64) -> Result<ConductSettingsView, ApiError> {
    put_json(
        "/api/admin/settings/conduct",
        &ConductSettingsView { flag_threshold },
    )
    .await
}

/// `POST /api/admin/import[?dry_run=1]` with the CSV text. Row errors come back as the
/// report (422 included), anything else as an `ApiError`.
pub async fn admin_import(csv: String, dry_run: bool) -> Result<ImportReport, ApiError> {
    let path = if dry_run {
        "/api/admin/import?dry_run=1"
    } else {
        "/api/admin/import"
    };
    let request = Request::post(path)
        .header("Accept", "application/json")
        .header("Content-Type", "text/csv; charset=utf-8")
        .body(csv)
        .map_err(|e| ApiError::decode(0, e))?;
    let response = request.send().await.map_err(ApiError::network)?;
    let status = response.status();
    let text = response.text().await.map_err(ApiError::network)?;
    if let Ok(report) = serde_json::from_str::<ImportReport>(&text) {
        return Ok(report);
    }
    Err(error_from(status, &text, response.status_text()))
}

// ----- accounts (issue 12)

pub async fn activate(token: String, password: String) -> Result<LoginResponse, ApiError> {
    forget_prefetched();
    post_json(
        "/api/auth/activate",
        &TokenPasswordRequest { token, password },
    )
    .await
}

pub async fn reset_password(token: String, password: String) -> Result<AccountMessage, ApiError> {
    post_json("/api/auth/reset", &TokenPasswordRequest { token, password }).await
}

pub async fn forgot(email: String) -> Result<AccountMessage, ApiError> {
    post_json("/api/auth/forgot", &ForgotRequest { email }).await
}

pub async fn change_password(current: String, new: String) -> Result<AccountMessage, ApiError> {
    post_json("/api/me/password", &ChangePasswordRequest { current, new }).await
}

pub async fn patch_me(body: PatchMeRequest) -> Result<Me, ApiError> {
    patch_json("/api/me", &body).await
}

// ----- paid service (issue 13): quotes, estimates, authorizations, time, ledger, invoices

use domain::api::billing::{
    AuthorizationRequest, BillingView, CompleteRequest, CorrectionRequest, CredentialRequest,
    CredentialView, EstimateRequest, InvoiceList, InvoicePaidRequest, InvoiceView, LedgerEntryView,
    LedgerView, OfferView, QuoteRequest, RevealedCredential, TimeEntryView, TimeRequest,
};
use domain::api::ContractView;
use domain::billing::RemoteChecklist;

fn ticket_path(id: &str, rest: &str) -> String {
    format!("/api/tickets/{}/{rest}", enc(id))
}

/// `GET /api/tickets/{id}/billing`: everything paid about one ticket (role-filtered).
pub async fn billing(id: String) -> Result<BillingView, ApiError> {
    get_json(&ticket_path(&id, "billing")).await
}

/// `POST /api/tickets/{id}/quotes` (staff): a per-event quote; the ticket awaits authorization.
pub async fn send_quote(id: String, body: QuoteRequest) -> Result<OfferView, ApiError> {
    post_json(&ticket_path(&id, "quotes"), &body).await
}

/// `POST /api/tickets/{id}/estimates` (staff): whole póliza hours (422 `hours` above the rest).
pub async fn send_estimate(id: String, body: EstimateRequest) -> Result<OfferView, ApiError> {
    post_json(&ticket_path(&id, "estimates"), &body).await
}

/// `POST /api/tickets/{id}/authorizations` (the client): accept or reject the waiting offer.
pub async fn authorize(id: String, body: AuthorizationRequest) -> Result<BillingView, ApiError> {
    post_json(&ticket_path(&id, "authorizations"), &body).await
}

/// `PUT /api/tickets/{id}/remote-checklist` (the client; partial saves allowed).
pub async fn put_checklist(id: String, body: RemoteChecklist) -> Result<BillingView, ApiError> {
    put_json(&ticket_path(&id, "remote-checklist"), &body).await
}

/// `POST /api/tickets/{id}/credentials`: answered without the secret.
pub async fn add_credential(
    id: String,
    body: CredentialRequest,
) -> Result<CredentialView, ApiError> {
    post_json(&ticket_path(&id, "credentials"), &body).await
}

/// `POST /api/tickets/{id}/credentials/{cid}/reveal` (staff; an audited event; 410 once purged).
pub async fn reveal_credential(id: String, cid: String) -> Result<RevealedCredential, ApiError> {
    post_empty(&ticket_path(
        &id,
        &format!("credentials/{}/reveal", enc(&cid)),
    ))
    .await
}

/// `POST /api/tickets/{id}/time` (staff): minutes, charged in whole hours.
pub async fn record_time(id: String, body: TimeRequest) -> Result<TimeEntryView, ApiError> {
    post_json(&ticket_path(&id, "time"), &body).await
}

/// `POST /api/tickets/{id}/complete` (staff): the summary; resolves the ticket, invoices per event.
pub async fn complete(id: String, body: CompleteRequest) -> Result<BillingView, ApiError> {
    post_json(&ticket_path(&id, "complete"), &body).await
}

/// `GET /api/price-list`: the items offered now, for the quote and estimate forms.
pub async fn price_list() -> Result<domain::api::admin::PriceList, ApiError> {
    get_json("/api/price-list").await
}

/// `GET /api/contract`: the client's póliza, `None` without one.
pub async fn contract() -> Result<Option<ContractView>, ApiError> {
    get_json("/api/contract").await
}

/// `GET /api/contract/ledger`: the póliza's hours ledger (oldest first) and its notices.
pub async fn ledger() -> Result<LedgerView, ApiError> {
    get_json("/api/contract/ledger").await
}

/// `GET /api/invoices`: the client's company's invoices.
pub async fn invoices() -> Result<InvoiceList, ApiError> {
    get_json("/api/invoices").await
}

/// `GET /api/admin/invoices?status=all|unpaid|overdue|paid` (admin).
pub async fn admin_invoices(status: &str) -> Result<InvoiceList, ApiError> {
    get_json(&format!("/api/admin/invoices?status={}", enc(status))).await
}

/// `POST /api/admin/invoices/{id}/paid` (admin): lifts "with debts" at once.
pub async fn admin_invoice_paid(
    id: String,
    body: InvoicePaidRequest,
) -> Result<InvoiceView, ApiError> {
    post_json(&format!("/api/admin/invoices/{}/paid", enc(&id)), &body).await
}

/// `POST /api/admin/contracts/{id}/corrections` (admin): a compensating ledger entry.
pub async fn admin_correction(
    contract_id: String,
    body: CorrectionRequest,
) -> Result<LedgerEntryView, ApiError> {
    post_json(
        &format!("/api/admin/contracts/{}/corrections", enc(&contract_id)),
        &body,
    )
    .await
}
