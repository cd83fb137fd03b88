//! Knowledge base (issue #6, SPEC P11): public reading and search, feedback, deflection
//! events; staff authoring, live preview and statistics.
use std::collections::BTreeSet;

use chrono::Duration;
use domain::api::kb::{
    AdminArticleItem, AdminArticleList, ArticleRedirect, ArticleSource, CategoryRequest,
    CategoryStored, Deflection, DeflectionDay, FeedbackRequest, HelpfulStat, KbCategoryPage,
    KbEventRequest, KbHome, KbListItem, KbStats, PreviewRequest, PreviewResponse, QueryStat, Votes,
};
use domain::kb::{
    self, Article, ArticleInput, ArticleRef, ArticleStatus, Breadcrumb, Category, SearchResponse,
    SearchResult,
};
use domain::search;
use worker::{Request, Response, ResponseBuilder};

use super::Ctx;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::{
    client_ip, cookie, json, no_content, ok, query_param, read_json, reader_cookie, READER_COOKIE,
};
use crate::repo::kb::{self as repo, ArticleWrite};
use crate::util::{db_time, hmac_sha256_hex, new_id, now, sha256_hex};

pub const DEFAULT_LIMIT: u32 = 10;
pub const MAX_LIMIT: u32 = 50;
const SNIPPET_WORDS: usize = 28;

// ---------- search ----------

/// All words first, then (with several words) any word to fill the page; and the total.
fn result_statements(
    ctx: &Ctx,
    and_expr: &repo::Expr,
    or_expr: &repo::Expr,
    several: bool,
    category: Option<&str>,
    limit: u32,
) -> ApiResult<Vec<worker::D1PreparedStatement>> {
    let mut stmts = vec![
        repo::hits(&ctx.db, and_expr, category, limit, None)?,
        repo::count(&ctx.db, or_expr, category)?,
    ];
    if several {
        stmts.push(repo::hits(
            &ctx.db,
            or_expr,
            category,
            limit,
            Some(and_expr),
        )?);
    }
    Ok(stmts)
}

/// Ranked search over published articles (see `domain::search` for the text processing).
pub async fn run_search(
    ctx: &Ctx,
    q: &str,
    limit: u32,
    category: Option<&str>,
) -> ApiResult<SearchResponse> {
    let words = search::parse_query(q);
    if words.is_empty() {
        return Ok(SearchResponse {
            results: Vec::new(),
            total: 0,
        });
    }
    // Round trip 1: vocabulary lookups for typo tolerance and prefix completion, and —
    // optimistically, words taken as typed with the prefix completed in SQL — the results.
    let several = words.len() > 1;
    let optimistic = |all: bool| -> Option<repo::Expr> {
        let others: Vec<Vec<String>> = words
            .iter()
            .filter(|w| !w.prefix)
            .map(|w| vec![w.stem.clone()])
            .collect();
        let fixed = search::match_expression(&others, all);
        Some(match words.iter().find(|w| w.prefix) {
            Some(p) => repo::Expr::Completed {
                fixed,
                all,
                stem: p.stem.clone(),
                prefix: p.word.clone(),
            },
            None => repo::Expr::Ready(fixed?),
        })
    };
    let mut stmts = Vec::new();
    let mut slots = Vec::new(); // (word index, kind) per vocabulary statement
    for (i, w) in words.iter().enumerate() {
        if w.fuzzy {
            stmts.push(repo::stem_exists(&ctx.db, &w.stem)?);
            slots.push((i, 'e'));
            stmts.push(repo::typo_candidates(&ctx.db, &w.word, &w.stem)?);
            slots.push((i, 't'));
        }
        if w.prefix {
            stmts.push(repo::prefix_stems(&ctx.db, &w.word)?);
            slots.push((i, 'p'));
        }
    }
    let vocabulary = stmts.len();
    let (Some(opt_and), Some(opt_or)) = (optimistic(true), optimistic(false)) else {
        return Ok(SearchResponse {
            results: Vec::new(),
            total: 0,
        });
    };
    stmts.extend(result_statements(
        ctx, &opt_and, &opt_or, several, category, limit,
    )?);
    let res = repo::batch(&ctx.db, stmts).await?;
    let mut groups: Vec<Vec<String>> = words.iter().map(|w| vec![w.stem.clone()]).collect();
    let mut known = vec![false; words.len()];
    for ((i, kind), r) in slots.iter().zip(&res) {
        match kind {
            'e' => known[*i] = !repo::rows::<repo::StemRow>(r)?.is_empty(),
            'p' => {
                for row in repo::rows::<repo::StemRow>(r)? {
                    if !groups[*i].contains(&row.stem) {
                        groups[*i].push(row.stem);
                    }
                }
            }
            _ => {}
        }
    }
    let mut corrected = false;
    for ((i, kind), r) in slots.iter().zip(&res) {
        if *kind != 't' || known[*i] {
            continue;
        }
        let cands: Vec<repo::WordRow> = repo::rows(r)?;
        let vocab: Vec<&str> = cands.iter().map(|c| c.word.as_str()).collect();
        for word in search::typo_candidates(&words[*i].word, vocab)
            .into_iter()
            .take(5)
        {
            if let Some(c) = cands.iter().find(|c| c.word == word) {
                if !groups[*i].contains(&c.stem) {
                    groups[*i].push(c.stem.clone());
                    corrected = true;
                }
            }
        }
    }
    let stems: BTreeSet<String> = groups.iter().flatten().cloned().collect();
    // Round trip 2, only when a word was corrected: the results with the corrections.
    let (res, at) = if corrected {
        let (Some(and_expr), Some(or_expr)) = (
            search::match_expression(&groups, true),
            search::match_expression(&groups, false),
        ) else {
            return Ok(SearchResponse {
                results: Vec::new(),
                total: 0,
            });
        };
        let stmts = result_statements(
            ctx,
            &repo::Expr::Ready(and_expr),
            &repo::Expr::Ready(or_expr),
            several,
            category,
            limit,
        )?;
        (repo::batch(&ctx.db, stmts).await?, 0)
    } else {
        (res, vocabulary)
    };
    let mut hits: Vec<repo::HitRow> = repo::rows(&res[at])?;
    let total = repo::rows::<repo::CountRow>(&res[at + 1])?
        .first()
        .map(|c| c.n)
        .unwrap_or(0);
    if several {
        for h in repo::rows::<repo::HitRow>(&res[at + 2])? {
            if hits.len() >= limit as usize {
                break;
            }
            if !hits.iter().any(|x| x.slug == h.slug) {
                hits.push(h);
            }
        }
    }
    let results = hits
        .into_iter()
        .map(|h| {
            let mut snippet = search::snippet(&h.body_text, &stems, SNIPPET_WORDS);
            if !snippet.contains("<mark>") {
                let in_summary = search::snippet(&h.summary, &stems, SNIPPET_WORDS);
                if in_summary.contains("<mark>") || snippet.is_empty() {
                    snippet = in_summary;
                }
            }
            SearchResult {
                url: kb::article_url(&h.category, &h.slug),
                slug: h.slug,
                title: h.title,
                snippet,
                category: h.category,
                summary: h.summary,
            }
        })
        .collect();
    Ok(SearchResponse {
        results,
        total: total.max(0) as u32,
    })
}

fn session_param(raw: Option<String>) -> Option<String> {
    raw.filter(|s| valid_session(s))
}

fn valid_session(s: &str) -> bool {
    (8..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[utoipa::path(get, path = "/api/kb/search", tag = "kb",
    params(("q" = String, Query, description = "Any text (0–500+ characters); accents, case, plurals and one typo per long word are tolerated; the last word is a prefix"),
           ("limit" = Option<u32>, Query, description = "1–50, default 10"),
           ("category" = Option<String>, Query, description = "Only this category"),
           ("source" = Option<String>, Query, description = "`kb` (default) or `ticket_form` (P11 suggestions; with `sid` records a deflection event)"),
           ("sid" = Option<String>, Query, description = "Anonymous session id of the reader (8–64 of [A-Za-z0-9_-])"),
           ("log" = Option<String>, Query, description = "`0` to skip the search log (e.g. intermediate keystrokes)")),
    responses((status = 200, description = "`{results:[{slug,title,snippet,category,summary,url}], total}` best first; `snippet` is HTML with `<mark>`", body = SearchResponse),
              (status = 400, description = "Bad limit (field `limit`)")))]
pub async fn search_handler(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    let q = query_param(req, "q")?.unwrap_or_default();
    let limit = match query_param(req, "limit")? {
        None => DEFAULT_LIMIT,
        Some(l) if l.trim().is_empty() => DEFAULT_LIMIT,
        Some(l) => l
            .trim()
            .parse::<u32>()
            .map(|l| l.clamp(1, MAX_LIMIT))
            .map_err(|_| {
                ApiError::bad_field(
                    "limit",
                    (
                        "El límite debe ser un número entre 1 y 50.",
                        "Limit must be a number from 1 to 50.",
                    ),
                )
            })?,
    };
    let category = query_param(req, "category")?.filter(|c| kb::is_valid_slug(c));
    let started = js_sys::Date::now();
    let resp = run_search(ctx, &q, limit, category.as_deref()).await?;
    // Time inside the Worker for the search itself (text processing + both D1 round trips),
    // for benchmarks and browser dev tools; the clock only moves across I/O here.
    let search_ms = js_sys::Date::now() - started;
    let folded: String = search::fold(q.trim())
        .chars()
        .take(search::LOG_QUERY_MAX)
        .collect();
    // Ticket-form suggestions are deflection events (`suggested`), never searches.
    let from_form = query_param(req, "source")?.as_deref() == Some("ticket_form");
    if !folded.is_empty() && query_param(req, "log")?.as_deref() != Some("0") {
        let source = if from_form { "ticket_form" } else { "kb" };
        let sid = session_param(query_param(req, "sid")?);
        let caller = auth::caller(&ctx.db, req).await.ok().flatten();
        let stamp = db_time(now());
        // Over the per-IP limit the search is answered but not logged.
        let log = public_write_allowed(ctx, req, caller.as_ref(), "search").await;
        // A failed log write must not fail the search.
        let logged = match log {
            Ok(true) => {
                repo::log_search(
                    &ctx.db,
                    &repo::SearchLog {
                        query: &folded,
                        results: resp.total,
                        source,
                        session_id: sid.as_deref(),
                        user_id: caller.as_ref().map(|c| c.id.as_str()),
                        now: &stamp,
                    },
                )
                .await
            }
            _ => Ok(()),
        };
        if let Err(e) = logged {
            worker::console_error!("kb search log: {e}");
        }
    }
    let mut out = ok(&resp)?;
    out.headers_mut()
        .set("Server-Timing", &format!("search;dur={search_ms:.1}"))?;
    Ok(out)
}

// ---------- reading ----------

fn office_time(cal: &domain::calendar::BusinessCalendar, stored: &str) -> String {
    crate::util::parse_db_time(stored)
        .map(|t| super::calendar::office_time(cal, t))
        .unwrap_or_else(|| stored.to_string())
}

fn kb_crumb() -> Breadcrumb {
    Breadcrumb {
        name: "Base de conocimiento".into(),
        name_en: "Knowledge base".into(),
        url: "/kb".into(),
    }
}

/// A published article (or any article for staff), with related articles and breadcrumbs.
pub async fn load_article(ctx: &Ctx, slug: &str, staff: bool) -> ApiResult<Option<Article>> {
    let Some(a) = repo::article(&ctx.db, slug).await? else {
        return Ok(None);
    };
    if a.status != "published" && !staff {
        return Ok(None);
    }
    let related = repo::related(&ctx.db, a.id, &a.category, 5).await?;
    let cal = super::calendar::calendar(ctx).await?;
    Ok(Some(Article {
        url: kb::article_url(&a.category, &a.slug),
        breadcrumbs: vec![
            kb_crumb(),
            Breadcrumb {
                name: a.category_name.clone(),
                name_en: a.category_name_en.clone(),
                url: kb::category_url(&a.category),
            },
        ],
        related: refs(related),
        updated_at: office_time(&cal, &a.updated_at),
        status: article_status(&a.status),
        slug: a.slug,
        title: a.title,
        title_en: a.title_en,
        summary: a.summary,
        body_html: a.body_html,
        category: a.category,
        category_name: a.category_name,
        category_name_en: a.category_name_en,
        helpful_yes: a.yes.max(0) as u32,
        helpful_no: a.no.max(0) as u32,
    }))
}

#[utoipa::path(get, path = "/api/kb/articles/{slug}", tag = "kb",
    params(("slug" = String, Path, description = "Article slug")),
    responses((status = 200, description = "Published article (staff also see drafts): slug, title, body_html (sanitized), category, updated_at, summary, title_en, status, category_name(_en), url, breadcrumbs, related, helpful_yes/no", body = Article),
              (status = 301, description = "Old slug: `Location` is the current article's API path", body = ArticleRedirect),
              (status = 404, description = "Unknown, or a draft and you are not staff")))]
pub async fn article(req: &Request, ctx: &Ctx, slug: &str) -> ApiResult<Response> {
    if !kb::is_valid_slug(slug) {
        return Err(ApiError::NotFound);
    }
    // Only a draft needs the caller: public reads cost no session lookup.
    let found = match load_article(ctx, slug, false).await? {
        Some(a) => Some(a),
        None => {
            let staff = auth::caller(&ctx.db, req)
                .await?
                .is_some_and(|c| c.role.is_staff());
            if staff {
                load_article(ctx, slug, true).await?
            } else {
                None
            }
        }
    };
    if let Some(a) = found {
        let mut resp = ok(&a)?;
        if a.status == ArticleStatus::Published {
            resp.headers_mut()
                .set("Cache-Control", "public, max-age=60")?;
        }
        return Ok(resp);
    }
    match repo::redirect(&ctx.db, slug).await? {
        Some(r) if r.status == "published" => {
            let location = format!("/api/kb/articles/{}", r.slug);
            let mut resp = json(
                301,
                &ArticleRedirect {
                    url: kb::article_url(&r.category, &r.slug),
                    redirect: r.slug,
                },
            )?;
            resp.headers_mut().set("Location", &location)?;
            Ok(resp)
        }
        _ => Err(ApiError::NotFound),
    }
}

fn category_view(c: repo::CategoryRow) -> Category {
    Category {
        url: kb::category_url(&c.slug),
        slug: c.slug,
        name: c.name,
        name_en: c.name_en,
        description: c.description,
        description_en: c.description_en,
        article_count: c.article_count.max(0) as u32,
    }
}

fn refs(rows: Vec<repo::RefRow>) -> Vec<ArticleRef> {
    rows.into_iter()
        .map(|r| ArticleRef {
            url: kb::article_url(&r.category, &r.slug),
            slug: r.slug,
            title: r.title,
            category: r.category,
            summary: r.summary,
        })
        .collect()
}

pub async fn popular(ctx: &Ctx, limit: u32) -> ApiResult<Vec<ArticleRef>> {
    let since = db_time(now() - Duration::days(30));
    Ok(refs(repo::popular(&ctx.db, &since, limit).await?))
}

#[utoipa::path(get, path = "/api/kb/categories", tag = "kb",
    responses((status = 200, description = "The KB home: categories and the most viewed articles", body = KbHome)))]
pub async fn categories(ctx: &Ctx) -> ApiResult<Response> {
    let cats: Vec<Category> = repo::categories(&ctx.db)
        .await?
        .into_iter()
        .map(category_view)
        .collect();
    ok(&KbHome {
        categories: cats,
        popular: popular(ctx, 6).await?,
    })
}

pub async fn load_category(
    ctx: &Ctx,
    slug: &str,
) -> ApiResult<Option<(Category, Vec<repo::ListRow>)>> {
    let Some(c) = repo::categories(&ctx.db)
        .await?
        .into_iter()
        .find(|c| c.slug == slug)
    else {
        return Ok(None);
    };
    let list = repo::category_articles(&ctx.db, slug).await?;
    Ok(Some((category_view(c), list)))
}

#[utoipa::path(get, path = "/api/kb/categories/{slug}", tag = "kb",
    params(("slug" = String, Path, description = "Category slug")),
    responses((status = 200, description = "A category with its published articles", body = KbCategoryPage),
              (status = 404, description = "Unknown category")))]
pub async fn category(ctx: &Ctx, slug: &str) -> ApiResult<Response> {
    let (cat, list) = load_category(ctx, slug).await?.ok_or(ApiError::NotFound)?;
    let cal = super::calendar::calendar(ctx).await?;
    let articles = list
        .into_iter()
        .map(|a| KbListItem {
            url: kb::article_url(&a.category, &a.slug),
            updated_at: office_time(&cal, &a.updated_at),
            slug: a.slug,
            title: a.title,
            category: a.category,
            summary: a.summary,
        })
        .collect();
    ok(&KbCategoryPage {
        category: cat,
        breadcrumbs: vec![kb_crumb()],
        articles,
    })
}

// ---------- feedback and deflection events ----------

fn ip_voter(req: &Request) -> String {
    format!("ip:{}", &sha256_hex(client_ip(req).as_bytes())[..32])
}

/// `id.mac` of a reader id signed with the database's key.
fn signed_reader(key: &str, id: &str) -> String {
    format!(
        "{id}.{}",
        &hmac_sha256_hex(key.as_bytes(), id.as_bytes())[..32]
    )
}

/// Who votes: the signed-in user; else the reader id of a server-signed `mds_reader` cookie;
/// else a new reader id (issued in the answer, at most a few per address and minute); else
/// the client IP (hashed). The `session` a client sends is never an identity: anyone can send
/// 600 random ones. Returns the voter and the cookie to set, if a new id was issued.
async fn voter(
    ctx: &Ctx,
    req: &Request,
    caller: Option<&Caller>,
) -> ApiResult<(String, Option<String>)> {
    if let Some(c) = caller {
        return Ok((format!("u:{}", c.id), None));
    }
    let Some(key) = repo::reader_key(&ctx.db).await? else {
        return Ok((ip_voter(req), None));
    };
    if let Some(value) = cookie(req, READER_COOKIE) {
        if let Some((id, _)) = value.split_once('.') {
            if signed_reader(&key, id) == value {
                return Ok((format!("r:{id}"), None));
            }
        }
    }
    let issue = ctx.env.rate_limiter("KB_READER_LIMITER")?;
    if issue.limit(format!("ip:{}", client_ip(req))).await?.success {
        let id = new_id()?;
        return Ok((format!("r:{id}"), Some(signed_reader(&key, &id))));
    }
    Ok((ip_voter(req), None))
}

/// Anonymous public writes (feedback, events, logged searches) per client IP; signed-in
/// callers are limited per user. `false` = over the limit.
async fn public_write_allowed(
    ctx: &Ctx,
    req: &Request,
    caller: Option<&Caller>,
    what: &str,
) -> ApiResult<bool> {
    let key = match caller {
        Some(c) => format!("{what}:u:{}", c.id),
        None => format!("{what}:ip:{}", client_ip(req)),
    };
    Ok(ctx
        .env
        .rate_limiter("KB_WRITE_LIMITER")?
        .limit(key)
        .await?
        .success)
}

#[utoipa::path(post, path = "/api/kb/articles/{slug}/feedback", tag = "kb",
    params(("slug" = String, Path, description = "Article slug")),
    request_body(content = FeedbackRequest, description = "One vote per reader (the signed-in user, else the server-signed `mds_reader` cookie this answer sets, else the client IP — `session` is not an identity); a new vote replaces it"),
    responses((status = 200, description = "The article's vote counts", body = Votes), (status = 404, description = "Not a published article"),
              (status = 422, description = "Bad comment or session"),
              (status = 429, description = "Too many votes from this address; see Retry-After")))]
pub async fn feedback(req: &mut Request, ctx: &Ctx, slug: &str) -> ApiResult<Response> {
    let input: FeedbackRequest = read_json(req).await?;
    let id = repo::published_id(&ctx.db, slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let comment = match &input.comment {
        Some(c) => domain::validation::optional_text("comment", c, 1000).map_err(field_error)?,
        None => None,
    };
    if let Some(s) = &input.session {
        if !valid_session(s) {
            return Err(ApiError::invalid(
                "invalid_session",
                "session",
                ("Identificador de sesión no válido.", "Invalid session id."),
            ));
        }
    }
    let caller = auth::caller(&ctx.db, req).await?;
    if !public_write_allowed(ctx, req, caller.as_ref(), "vote").await? {
        return Err(ApiError::RateLimited { retry_after: 60 });
    }
    let (who, issued) = voter(ctx, req, caller.as_ref()).await?;
    let votes = repo::vote(
        &ctx.db,
        id,
        &who,
        input.helpful,
        comment.as_deref(),
        &db_time(now()),
    )
    .await?;
    let mut resp = ok(&Votes {
        helpful_yes: votes.helpful_yes.max(0) as u32,
        helpful_no: votes.helpful_no.max(0) as u32,
    })?;
    if let Some(value) = issued {
        resp.headers_mut()
            .set("Set-Cookie", &reader_cookie(req, &value))?;
    }
    Ok(resp)
}

#[utoipa::path(post, path = "/api/kb/events", tag = "kb",
    request_body(content = KbEventRequest, description = "The P11 deflection journey of one ticket-form session (article views and settled searches from the KB pages too)"),
    responses((status = 204, description = "Recorded"), (status = 422, description = "Unknown kind, bad session, unknown article"),
              (status = 429, description = "Too many events from this address; see Retry-After")))]
pub async fn event(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let input: KbEventRequest = read_json(req).await?;
    if !matches!(
        input.kind.as_str(),
        "suggested" | "article_view" | "ticket_submitted" | "searched"
    ) {
        return Err(ApiError::invalid(
            "invalid_kind",
            "kind",
            ("Tipo de evento desconocido.", "Unknown event kind."),
        ));
    }
    if !valid_session(&input.session) {
        return Err(ApiError::invalid(
            "invalid_session",
            "session",
            ("Identificador de sesión no válido.", "Invalid session id."),
        ));
    }
    let article_id = match (&input.kind[..], input.slug.as_deref()) {
        ("article_view", None) => {
            return Err(ApiError::invalid(
                "required",
                "slug",
                ("Falta el artículo.", "The article is missing."),
            ))
        }
        (_, Some(slug)) => Some(repo::published_id(&ctx.db, slug).await?.ok_or_else(|| {
            ApiError::invalid(
                "unknown_article",
                "slug",
                ("Ese artículo no existe.", "No such article."),
            )
        })?),
        _ => None,
    };
    let query: Option<String> = input.query.as_deref().map(|q| {
        search::fold(q.trim())
            .chars()
            .take(search::LOG_QUERY_MAX)
            .collect()
    });
    let ticket: Option<String> = input
        .ticket_id
        .as_deref()
        .map(|t| t.chars().take(64).collect());
    let caller = auth::caller(&ctx.db, req).await?;
    if !public_write_allowed(ctx, req, caller.as_ref(), "event").await? {
        return Err(ApiError::RateLimited { retry_after: 60 });
    }
    if input.kind == "searched" {
        // The query a KB reader settled on: one search-log row, counted by the server.
        let Some(q) = query.filter(|q| !q.is_empty()) else {
            return Err(ApiError::invalid(
                "required",
                "query",
                ("Falta la búsqueda.", "The query is missing."),
            ));
        };
        let results = run_search(ctx, &q, 1, None).await?.total;
        repo::log_search(
            &ctx.db,
            &repo::SearchLog {
                query: &q,
                results,
                source: "kb",
                session_id: Some(&input.session),
                user_id: caller.as_ref().map(|c| c.id.as_str()),
                now: &db_time(now()),
            },
        )
        .await?;
        return no_content();
    }
    let stmt = repo::event_stmt(
        &ctx.db,
        &input.session,
        &input.kind,
        article_id,
        query.as_deref(),
        ticket.as_deref(),
        caller.as_ref().map(|c| c.id.as_str()),
        &db_time(now()),
    )?;
    repo::batch(&ctx.db, vec![stmt]).await?;
    no_content()
}

// ---------- authoring (staff) ----------

fn field_error(e: domain::validation::FieldError) -> ApiError {
    e.into()
}

async fn staff(req: &Request, ctx: &Ctx) -> ApiResult<Caller> {
    let c = auth::require(&ctx.db, req).await?;
    c.require_staff()?;
    Ok(c)
}

#[utoipa::path(get, path = "/api/kb/admin/articles", tag = "kb-admin",
    params(("status" = Option<String>, Query, description = "draft | published"), ("category" = Option<String>, Query, description = "Category slug")),
    responses((status = 200, description = "Every article incl. drafts, newest first", body = AdminArticleList),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not staff")))]
pub async fn admin_list(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    staff(req, ctx).await?;
    let status = query_param(req, "status")?.filter(|s| s == "draft" || s == "published");
    let category = query_param(req, "category")?.filter(|c| kb::is_valid_slug(c));
    let list = repo::admin_list(&ctx.db, status.as_deref(), category.as_deref()).await?;
    let articles = list
        .into_iter()
        .map(|a| AdminArticleItem {
            status: article_status(&a.status),
            slug: a.slug,
            title: a.title,
            category: a.category,
            origin: a.origin,
            updated_at: a.updated_at,
            helpful_yes: a.helpful_yes,
            helpful_no: a.helpful_no,
        })
        .collect();
    ok(&AdminArticleList { articles })
}

fn article_status(stored: &str) -> ArticleStatus {
    if stored == "published" {
        ArticleStatus::Published
    } else {
        ArticleStatus::Draft
    }
}

async fn admin_view(ctx: &Ctx, slug: &str) -> ApiResult<ArticleSource> {
    let a = repo::source(&ctx.db, slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let related = repo::related_slugs(&ctx.db, a.id).await?;
    let old_slugs = repo::old_slugs(&ctx.db, a.id).await?;
    Ok(ArticleSource {
        url: kb::article_url(&a.category, &a.slug),
        status: article_status(&a.status),
        slug: a.slug,
        title: a.title,
        title_en: a.title_en,
        summary: a.summary,
        category: a.category,
        body_md: a.body_md,
        body_html: a.body_html,
        origin: a.origin,
        created_at: a.created_at,
        updated_at: a.updated_at,
        published_at: a.published_at,
        related,
        old_slugs,
    })
}

#[utoipa::path(get, path = "/api/kb/admin/articles/{slug}", tag = "kb-admin",
    params(("slug" = String, Path, description = "Article slug")),
    responses((status = 200, description = "Editable source of the article", body = ArticleSource),
              (status = 404, description = "Unknown")))]
pub async fn admin_get(req: &Request, ctx: &Ctx, slug: &str) -> ApiResult<Response> {
    staff(req, ctx).await?;
    ok(&admin_view(ctx, slug).await?)
}

struct Prepared {
    valid: kb::ValidArticle,
    html: String,
    text: String,
    index: kb::IndexText,
    vocab: String,
}

async fn prepare(ctx: &Ctx, input: &ArticleInput, current: Option<&str>) -> ApiResult<Prepared> {
    let valid = input.validate(current).map_err(field_error)?;
    if !repo::category_exists(&ctx.db, &valid.category).await? {
        return Err(ApiError::invalid(
            "unknown_category",
            "category",
            ("Esa categoría no existe.", "No such category."),
        ));
    }
    let found = repo::existing_slugs(&ctx.db, &valid.related).await?;
    if let Some(missing) = valid.related.iter().find(|r| !found.contains(r)) {
        return Err(ApiError::invalid(
            "unknown_related",
            "related",
            (
                format!("No existe el artículo relacionado «{missing}»."),
                format!("Related article “{missing}” does not exist."),
            ),
        ));
    }
    let html = kb::render_html(&valid.body_md);
    let text = kb::plain_text(&valid.body_md);
    let index = kb::index_text(
        &valid.title,
        valid.title_en.as_deref(),
        &valid.summary,
        &text,
    );
    let vocab = kb::vocabulary_json(&index.vocabulary);
    Ok(Prepared {
        valid,
        html,
        text,
        index,
        vocab,
    })
}

fn write<'a>(p: &'a Prepared, author: &'a str, now: &'a str) -> ArticleWrite<'a> {
    ArticleWrite {
        slug: &p.valid.slug,
        title: &p.valid.title,
        title_en: p.valid.title_en.as_deref(),
        summary: &p.valid.summary,
        category: &p.valid.category,
        body_md: &p.valid.body_md,
        body_html: &p.html,
        body_text: &p.text,
        status: p.valid.status.as_str(),
        title_terms: &p.index.title_terms,
        keyword_terms: &p.index.keyword_terms,
        body_terms: &p.index.body_terms,
        vocabulary_json: &p.vocab,
        related: &p.valid.related,
        author_id: author,
        now,
    }
}

fn slug_taken(slug: &str) -> ApiError {
    ApiError::Conflict(
        "slug_taken",
        (
            format!("Ya existe un artículo con el identificador «{slug}»."),
            format!("An article with slug “{slug}” already exists."),
        )
            .into(),
    )
}

#[utoipa::path(post, path = "/api/kb/admin/articles", tag = "kb-admin", request_body = ArticleInput,
    responses((status = 201, description = "Created; Markdown rendered and sanitized on save", body = ArticleSource),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not staff"),
              (status = 409, description = "Slug taken"), (status = 422, description = "Invalid field (with `field`)")))]
pub async fn admin_create(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = staff(req, ctx).await?;
    let input: ArticleInput = read_json(req).await?;
    let p = prepare(ctx, &input, None).await?;
    if repo::source(&ctx.db, &p.valid.slug).await?.is_some() {
        return Err(slug_taken(&p.valid.slug));
    }
    let stamp = db_time(now());
    repo::create(&ctx.db, &write(&p, &caller.id, &stamp)).await?;
    json(201, &admin_view(ctx, &p.valid.slug).await?)
}

#[utoipa::path(put, path = "/api/kb/admin/articles/{slug}", tag = "kb-admin", request_body = ArticleInput,
    params(("slug" = String, Path, description = "Current slug")),
    responses((status = 200, description = "Updated; a new `slug` renames it and the old one redirects", body = ArticleSource),
              (status = 404, description = "Unknown"), (status = 409, description = "Slug taken, or `expected_updated_at` is stale"),
              (status = 422, description = "Invalid field (with `field`)")))]
pub async fn admin_update(req: &mut Request, ctx: &Ctx, slug: &str) -> ApiResult<Response> {
    let caller = staff(req, ctx).await?;
    let input: ArticleInput = read_json(req).await?;
    let current = repo::source(&ctx.db, slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(expected) = &input.expected_updated_at {
        if *expected != current.updated_at {
            return Err(ApiError::Conflict(
                "stale_article",
                (
                    "Alguien más guardó este artículo; recarga antes de guardar.",
                    "Someone else saved this article; reload first.",
                )
                    .into(),
            ));
        }
    }
    let p = prepare(ctx, &input, Some(slug)).await?;
    if p.valid.slug != current.slug && repo::source(&ctx.db, &p.valid.slug).await?.is_some() {
        return Err(slug_taken(&p.valid.slug));
    }
    let stamp = db_time(now());
    repo::update(
        &ctx.db,
        current.id,
        &current.slug,
        &write(&p, &caller.id, &stamp),
    )
    .await?;
    ok(&admin_view(ctx, &p.valid.slug).await?)
}

#[utoipa::path(delete, path = "/api/kb/admin/articles/{slug}", tag = "kb-admin",
    params(("slug" = String, Path, description = "Article slug")),
    responses((status = 204, description = "Deleted with its feedback and redirects"), (status = 403, description = "Not an admin"), (status = 404, description = "Unknown")))]
pub async fn admin_delete(req: &Request, ctx: &Ctx, slug: &str) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let a = repo::source(&ctx.db, slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    repo::delete(&ctx.db, a.id).await?;
    no_content()
}

#[utoipa::path(post, path = "/api/kb/preview", tag = "kb-admin",
    request_body(content = PreviewRequest, description = "Markdown, ≤ 60,000 characters"),
    responses((status = 200, description = "Rendered and sanitized exactly as on save", body = PreviewResponse),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not staff"), (status = 413, description = "Too large")))]
pub async fn preview(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    staff(req, ctx).await?;
    let input: PreviewRequest = read_json(req).await?;
    if input.body_md.chars().count() > kb::BODY_MAX {
        return Err(ApiError::TooLarge(
            (
                "El artículo es demasiado largo.",
                "The article is too long.",
            )
                .into(),
        ));
    }
    ok(&PreviewResponse {
        body_html: kb::render_html(&input.body_md),
    })
}

#[utoipa::path(put, path = "/api/kb/admin/categories", tag = "kb-admin",
    request_body(content = CategoryRequest, description = "Create or update by slug"),
    responses((status = 200, description = "Stored (trimmed texts)", body = CategoryStored), (status = 403, description = "Not an admin"), (status = 422, description = "Invalid field")))]
pub async fn admin_put_category(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    auth::require(&ctx.db, req).await?.require_admin()?;
    let c: CategoryRequest = read_json(req).await?;
    if !kb::is_valid_slug(&c.slug) {
        return Err(ApiError::invalid(
            "invalid_slug",
            "slug",
            ("Identificador no válido.", "Invalid slug."),
        ));
    }
    use domain::validation::{optional_text, required_text};
    let name = required_text("name", &c.name, 80).map_err(field_error)?;
    let name_en = optional_text("name_en", &c.name_en, 80)
        .map_err(field_error)?
        .unwrap_or_default();
    let description = optional_text("description", &c.description, 400)
        .map_err(field_error)?
        .unwrap_or_default();
    let description_en = optional_text("description_en", &c.description_en, 400)
        .map_err(field_error)?
        .unwrap_or_default();
    repo::put_category(
        &ctx.db,
        &repo::CategoryWrite {
            slug: &c.slug,
            name: &name,
            name_en: &name_en,
            description: &description,
            description_en: &description_en,
            position: c.position.clamp(0, 10_000),
        },
    )
    .await?;
    ok(&CategoryStored {
        slug: c.slug,
        name,
        name_en,
        description,
        description_en,
    })
}

#[utoipa::path(get, path = "/api/kb/admin/stats", tag = "kb-admin",
    params(("days" = Option<u32>, Query, description = "Window, 1–365, default 30")),
    responses((status = 200, description = "Search, feedback and P11 deflection statistics of the window", body = KbStats),
              (status = 403, description = "Not staff")))]
pub async fn stats(req: &Request, ctx: &Ctx) -> ApiResult<Response> {
    staff(req, ctx).await?;
    let days = query_param(req, "days")?
        .and_then(|d| d.trim().parse::<i64>().ok())
        .unwrap_or(30)
        .clamp(1, 365);
    let since = db_time(now() - Duration::days(days));
    let cal = super::calendar::calendar(ctx).await?;
    let offset = format!("{} minutes", cal.settings().offset_minutes);
    let st = repo::stats(&ctx.db, &since, &offset).await?;
    let (sessions, submitted) = st
        .deflection
        .iter()
        .fold((0, 0), |(a, b), d| (a + d.sessions, b + d.submitted));
    let by_day = st
        .deflection
        .into_iter()
        .map(|d| DeflectionDay {
            rate: Deflection::rate_of(d.sessions, d.submitted),
            deflected: d.sessions - d.submitted,
            date: d.date,
            sessions: d.sessions,
            viewed_article: d.viewed_article,
            submitted: d.submitted,
        })
        .collect();
    let queries = |list: Vec<repo::QueryStat>| -> Vec<QueryStat> {
        list.into_iter()
            .map(|q| QueryStat {
                query: q.query,
                count: q.count,
                avg_results: q.avg_results,
                last_at: q.last_at,
            })
            .collect()
    };
    let helpful = |list: Vec<repo::HelpfulStat>| -> Vec<HelpfulStat> {
        list.into_iter()
            .map(|h| HelpfulStat {
                slug: h.slug,
                title: h.title,
                helpful_yes: h.helpful_yes,
                helpful_no: h.helpful_no,
            })
            .collect()
    };
    ok(&KbStats {
        days,
        top_searches: queries(st.top),
        no_result_searches: queries(st.no_results),
        most_helpful: helpful(st.most_helpful),
        least_helpful: helpful(st.least_helpful),
        deflection: Deflection {
            sessions,
            submitted,
            deflected: sessions - submitted,
            rate: Deflection::rate_of(sessions, submitted),
            by_day,
        },
    })
}

/// `text/html` answer (used by the SSR shell).
pub fn html_response(status: u16, body: String, cache: &str) -> ApiResult<Response> {
    let mut resp = ResponseBuilder::new()
        .with_status(status)
        .fixed(body.into_bytes());
    resp.headers_mut()
        .set("Content-Type", "text/html; charset=utf-8")?;
    resp.headers_mut().set("Cache-Control", cache)?;
    Ok(resp)
}

// ---------- images ----------

#[utoipa::path(post, path = "/api/kb/images", tag = "kb-admin",
    request_body(content_type = "multipart/form-data", description = "`file`: a PNG or JPEG image (checked by content), up to 10 MB"),
    responses((status = 201, description = "Stored; `markdown` is ready to paste into an article", body = kb::ImageView),
              (status = 401, description = "Not signed in"), (status = 403, description = "Not staff"),
              (status = 413, description = "Larger than 10 MB"), (status = 415, description = "Not PNG/JPEG by content (or empty)"),
              (status = 422, description = "Missing `file`")))]
pub async fn upload_image(req: &mut Request, ctx: &Ctx) -> ApiResult<Response> {
    let caller = staff(req, ctx).await?;
    let image = super::attachments::checked_image(req).await?;
    let name = domain::workflow::attachment_name(&image.file_name, image.kind);
    let id = crate::util::new_id()?;
    let key = format!("kb/{id}");
    let size = image.bytes.len() as i64;
    super::attachments::put_image(ctx, &key, image.kind, image.bytes).await?;
    repo::insert_image(
        &ctx.db,
        &repo::NewImage {
            id: &id,
            name: &name,
            content_type: image.kind.content_type(),
            size,
            r2_key: &key,
            uploader_id: &caller.id,
            now: &db_time(now()),
        },
    )
    .await?;
    let url = format!("/api/kb/images/{id}");
    json(
        201,
        &kb::ImageView {
            markdown: kb::image_markdown(&name, &url),
            id,
            name,
            size,
            content_type: image.kind.content_type().into(),
            url,
        },
    )
}

#[utoipa::path(get, path = "/api/kb/images/{id}", tag = "kb",
    params(("id" = String, Path, description = "Image id")),
    responses((status = 200, description = "The image, with its checked Content-Type, nosniff and Content-Disposition; public and cacheable", content_type = "image/png"),
              (status = 404, description = "No such image")))]
pub async fn image(ctx: &Ctx, id: &str) -> ApiResult<Response> {
    let row = repo::image(&ctx.db, id).await?.ok_or(ApiError::NotFound)?;
    // Ids are random and the bytes never change: cache for a year.
    super::attachments::image_response(
        ctx,
        &row.r2_key,
        &row.content_type,
        &row.name,
        "public, max-age=31536000, immutable",
    )
    .await
}
