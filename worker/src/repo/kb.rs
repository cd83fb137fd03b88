//! Knowledge base: articles, categories, search index lookups, feedback, logs and stats.
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{all, first, n, opt, run, s, stmt};
use crate::error::{ApiError, ApiResult};

/// Index column weights for bm25(): title, keywords (summary + English title), body.
const BM25: &str = "bm25(kb_fts, 10.0, 4.0, 1.0)";

pub use super::{batch, rows};

// ---------- search ----------

#[derive(Deserialize)]
pub struct WordRow {
    pub word: String,
    pub stem: String,
}

#[derive(Deserialize)]
pub struct StemRow {
    pub stem: String,
}

/// Does any indexed word have this stem?
pub fn stem_exists(db: &D1Database, stem: &str) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "SELECT stem FROM kb_words WHERE stem = ?1 LIMIT 1",
        &[s(stem)],
    )
}

/// Words that may be one edit away from `word` (same length ±1, sharing the first letter or
/// the last two); the edit distance itself is checked in Rust. Nothing when `stem` is
/// already a known stem (a correctly spelled word needs no candidates).
pub fn typo_candidates(db: &D1Database, word: &str, stem: &str) -> ApiResult<D1PreparedStatement> {
    let len = word.chars().count() as i64;
    let first: String = word.chars().take(1).collect();
    let last2: String = {
        let c: Vec<char> = word.chars().collect();
        c[c.len().saturating_sub(2)..].iter().collect()
    };
    stmt(
        db,
        "SELECT word, stem FROM kb_words WHERE len BETWEEN ?1 AND ?2 \
         AND (substr(word, 1, 1) = ?3 OR substr(word, -2) = ?4) \
         AND NOT EXISTS (SELECT 1 FROM kb_words WHERE stem = ?5) LIMIT 2000",
        &[n(len - 1), n(len + 1), s(&first), s(&last2), s(stem)],
    )
}

/// Stems of the words that start with `prefix` (shortest words first).
pub fn prefix_stems(db: &D1Database, prefix: &str) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        &completions("?1", "?2"),
        &[s(prefix), s(&format!("{prefix}\u{10ffff}"))],
    )
}

/// The stems of up to 40 vocabulary words in `[lo, hi)`, shortest words first.
fn completions(lo: &str, hi: &str) -> String {
    format!(
        "SELECT DISTINCT stem FROM (SELECT stem FROM kb_words WHERE word >= {lo} AND word < {hi} \
         ORDER BY len, word LIMIT 40)"
    )
}

#[derive(Deserialize)]
pub struct HitRow {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub body_text: String,
}

#[derive(Deserialize)]
pub struct CountRow {
    pub n: i64,
}

/// An FTS5 MATCH expression: ready (`domain::search::match_expression`), or the words as
/// typed plus the last word's group completed from the vocabulary inside the statement
/// itself, so a search without typos needs a single round trip.
pub enum Expr {
    Ready(String),
    Completed {
        /// The other words' groups, already an expression (None when the prefix word is alone).
        fixed: Option<String>,
        /// AND (all words) or OR (any word).
        all: bool,
        /// The prefix word's own stem and the word as typed.
        stem: String,
        prefix: String,
    },
}

/// Positional parameters of one statement, numbered as they are added.
#[derive(Default)]
struct Params(Vec<JsValue>);

impl Params {
    fn add(&mut self, v: JsValue) -> String {
        self.0.push(v);
        format!("?{}", self.0.len())
    }
}

/// The SQL value of `e`. The completed group is the same as `prefix_stems` gives to
/// `match_expression`: `("stem" OR "completion" …)`; stems are folded letters and digits.
fn expr_sql(p: &mut Params, e: &Expr) -> String {
    match e {
        Expr::Ready(x) => p.add(s(x)),
        Expr::Completed {
            fixed,
            all,
            stem,
            prefix,
        } => {
            let own = p.add(s(stem));
            let lo = p.add(s(prefix));
            let hi = p.add(s(&format!("{prefix}\u{10ffff}")));
            let group = format!(
                "('(\"' || {own} || '\"' || COALESCE((SELECT ' OR ' || group_concat('\"' || stem || '\"', ' OR ') \
                 FROM ({})), '') || ')')",
                completions(&lo, &hi)
            );
            match fixed {
                Some(f) => format!(
                    "({} || '{}' || {group})",
                    p.add(s(f)),
                    if *all { " AND " } else { " OR " }
                ),
                None => group,
            }
        }
    }
}

/// The best `limit` published articles for `expr`: ranked on the FTS index alone, then
/// only the winners are joined to their rows (a join before the sort would read every
/// matching article). With `unless_full`, nothing is returned when that expression alone
/// already fills the page (the "any word" fallback after "all words").
pub fn hits(
    db: &D1Database,
    expr: &Expr,
    category: Option<&str>,
    limit: u32,
    unless_full: Option<&Expr>,
) -> ApiResult<D1PreparedStatement> {
    let mut p = Params::default();
    let m = expr_sql(&mut p, expr);
    let lim = p.add(n(limit as i64));
    let in_category = match category {
        Some(c) => format!(
            " AND rowid IN (SELECT id FROM kb_articles WHERE category = {})",
            p.add(s(c))
        ),
        None => String::new(),
    };
    let guard = match unless_full {
        Some(g) => format!(
            " AND (SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH {} LIMIT {lim})) < {lim}",
            expr_sql(&mut p, g)
        ),
        None => String::new(),
    };
    stmt(
        db,
        &format!(
            "SELECT a.slug, a.title, a.category, a.summary, a.body_text FROM ( \
               SELECT rowid, {BM25} AS score FROM kb_fts \
               WHERE kb_fts MATCH {m}{in_category}{guard} ORDER BY score LIMIT {lim}) f \
             JOIN kb_articles a ON a.id = f.rowid ORDER BY f.score"
        ),
        &p.0,
    )
}

/// How many published articles match (counted on the index alone without a category).
pub fn count(
    db: &D1Database,
    expr: &Expr,
    category: Option<&str>,
) -> ApiResult<D1PreparedStatement> {
    let mut p = Params::default();
    let m = expr_sql(&mut p, expr);
    let sql = match category {
        Some(c) => format!(
            "SELECT count(*) AS n FROM kb_fts WHERE kb_fts MATCH {m} \
             AND rowid IN (SELECT id FROM kb_articles WHERE category = {})",
            p.add(s(c))
        ),
        None => format!("SELECT count(*) AS n FROM kb_fts WHERE kb_fts MATCH {m}"),
    };
    stmt(db, &sql, &p.0)
}

pub struct SearchLog<'a> {
    pub query: &'a str,
    pub results: u32,
    pub source: &'a str,
    pub session_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub now: &'a str,
}

/// Records a settled KB search; from the ticket form (with its visit id) only the deflection
/// event `suggested` — suggestions are not searches and stay out of the search statistics.
pub async fn log_search(db: &D1Database, l: &SearchLog<'_>) -> ApiResult<()> {
    let mut stmts = Vec::new();
    if l.source != "ticket_form" {
        stmts.push(stmt(
            db,
            "INSERT INTO kb_search_log (query, results, source, session_id, user_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                s(l.query),
                n(l.results as i64),
                s(l.source),
                opt(l.session_id),
                opt(l.user_id),
                s(l.now),
            ],
        )?);
    }
    if let (Some(sid), "ticket_form") = (l.session_id, l.source) {
        stmts.push(event_stmt(
            db,
            sid,
            "suggested",
            None,
            Some(l.query),
            None,
            l.user_id,
            l.now,
        )?);
    }
    if !stmts.is_empty() {
        batch(db, stmts).await?;
    }
    Ok(())
}

// ---------- reading ----------

#[derive(Deserialize, Clone)]
pub struct ArticleRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub title_en: Option<String>,
    pub summary: String,
    pub category: String,
    pub body_html: String,
    pub status: String,
    pub updated_at: String,
    pub category_name: String,
    pub category_name_en: String,
    pub yes: i64,
    pub no: i64,
}

const ARTICLE_SELECT: &str =
    "SELECT a.id, a.slug, a.title, a.title_en, a.summary, a.category, a.body_html, \
    a.status, a.updated_at, c.name AS category_name, c.name_en AS category_name_en, \
    (SELECT count(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 1) AS yes, \
    (SELECT count(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 0) AS no \
    FROM kb_articles a JOIN kb_categories c ON c.slug = a.category";

pub async fn article(db: &D1Database, slug: &str) -> ApiResult<Option<ArticleRow>> {
    first(
        db,
        &format!("{ARTICLE_SELECT} WHERE a.slug = ?1"),
        &[s(slug)],
    )
    .await
}

#[derive(Deserialize)]
pub struct RedirectRow {
    pub slug: String,
    pub category: String,
    pub status: String,
}

/// The current slug of an article that used to be called `old`.
pub async fn redirect(db: &D1Database, old: &str) -> ApiResult<Option<RedirectRow>> {
    first(
        db,
        "SELECT a.slug, a.category, a.status FROM kb_slug_redirects r \
         JOIN kb_articles a ON a.id = r.article_id WHERE r.old_slug = ?1",
        &[s(old)],
    )
    .await
}

#[derive(Deserialize, Clone)]
pub struct RefRow {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub summary: String,
}

/// Related articles chosen by the author, then others of the same category, up to `max`.
pub async fn related(db: &D1Database, id: i64, category: &str, max: u32) -> ApiResult<Vec<RefRow>> {
    all(
        db,
        "SELECT slug, title, category, summary FROM ( \
           SELECT b.slug, b.title, b.category, b.summary, 0 AS k, r.position AS p FROM kb_related r \
           JOIN kb_articles b ON b.id = r.related_id WHERE r.article_id = ?1 AND b.status = 'published' \
           UNION ALL \
           SELECT b.slug, b.title, b.category, b.summary, 1 AS k, 0 AS p FROM kb_articles b \
           WHERE b.category = ?2 AND b.id <> ?1 AND b.status = 'published' \
             AND b.id NOT IN (SELECT related_id FROM kb_related WHERE article_id = ?1) \
         ) ORDER BY k, p, title LIMIT ?3",
        &[n(id), s(category), n(max as i64)],
    )
    .await
}

#[derive(Deserialize, Clone)]
pub struct CategoryRow {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub article_count: i64,
}

pub async fn categories(db: &D1Database) -> ApiResult<Vec<CategoryRow>> {
    all(
        db,
        "SELECT c.slug, c.name, c.name_en, c.description, c.description_en, count(a.id) AS article_count \
         FROM kb_categories c LEFT JOIN kb_articles a ON a.category = c.slug AND a.status = 'published' \
         GROUP BY c.slug ORDER BY c.position, c.name",
        &[],
    )
    .await
}

pub async fn category_exists(db: &D1Database, slug: &str) -> ApiResult<bool> {
    Ok(first::<CountRow>(
        db,
        "SELECT count(*) AS n FROM kb_categories WHERE slug = ?1",
        &[s(slug)],
    )
    .await?
    .is_some_and(|r| r.n > 0))
}

#[derive(Deserialize, Clone)]
pub struct ListRow {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub updated_at: String,
}

pub async fn category_articles(db: &D1Database, category: &str) -> ApiResult<Vec<ListRow>> {
    all(
        db,
        "SELECT slug, title, category, summary, updated_at FROM kb_articles \
         WHERE category = ?1 AND status = 'published' ORDER BY title",
        &[s(category)],
    )
    .await
}

pub async fn published(db: &D1Database) -> ApiResult<Vec<ListRow>> {
    all(
        db,
        "SELECT slug, title, category, summary, updated_at FROM kb_articles \
         WHERE status = 'published' ORDER BY category, title",
        &[],
    )
    .await
}

/// Most viewed (since `since`) and most helpful published articles.
pub async fn popular(db: &D1Database, since: &str, limit: u32) -> ApiResult<Vec<RefRow>> {
    all(
        db,
        "SELECT a.slug, a.title, a.category, a.summary FROM kb_articles a WHERE a.status = 'published' \
         ORDER BY (SELECT count(*) FROM kb_events e WHERE e.article_id = a.id AND e.kind = 'article_view' AND e.created_at >= ?1) \
           + 3 * (SELECT count(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 1) \
           - 2 * (SELECT count(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 0) DESC, \
           a.published_at DESC, a.title LIMIT ?2",
        &[s(since), n(limit as i64)],
    )
    .await
}

// ---------- feedback and events ----------

#[derive(Deserialize)]
pub struct IdRow {
    pub id: i64,
}

pub async fn published_id(db: &D1Database, slug: &str) -> ApiResult<Option<i64>> {
    Ok(first::<IdRow>(
        db,
        "SELECT id FROM kb_articles WHERE slug = ?1 AND status = 'published'",
        &[s(slug)],
    )
    .await?
    .map(|r| r.id))
}

/// The per-database key that signs anonymous reader ids (migration 0009).
pub async fn reader_key(db: &D1Database) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct Key {
        value: String,
    }
    Ok(first::<Key>(
        db,
        "SELECT value FROM app_keys WHERE name = 'kb_reader'",
        &[],
    )
    .await?
    .map(|k| k.value))
}

#[derive(Deserialize)]
pub struct Votes {
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

pub async fn vote(
    db: &D1Database,
    id: i64,
    voter: &str,
    helpful: bool,
    comment: Option<&str>,
    now: &str,
) -> ApiResult<Votes> {
    run(
        db,
        "INSERT INTO kb_feedback (article_id, voter, helpful, comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(article_id, voter) DO UPDATE SET helpful = excluded.helpful, \
         comment = coalesce(excluded.comment, kb_feedback.comment), created_at = excluded.created_at",
        &[n(id), s(voter), n(helpful as i64), opt(comment), s(now)],
    )
    .await?;
    first(
        db,
        "SELECT coalesce(sum(helpful), 0) AS helpful_yes, coalesce(sum(1 - helpful), 0) AS helpful_no \
         FROM kb_feedback WHERE article_id = ?1",
        &[n(id)],
    )
    .await?
    .ok_or_else(|| ApiError::Internal("no vote totals".into()))
}

#[allow(clippy::too_many_arguments)]
pub fn event_stmt(
    db: &D1Database,
    session: &str,
    kind: &str,
    article_id: Option<i64>,
    query: Option<&str>,
    ticket_id: Option<&str>,
    user_id: Option<&str>,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT INTO kb_events (session_id, kind, article_id, query, ticket_id, user_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            s(session),
            s(kind),
            article_id.map(n).unwrap_or(JsValue::NULL),
            opt(query),
            opt(ticket_id),
            opt(user_id),
            s(now),
        ],
    )
}

// ---------- authoring ----------

#[derive(Deserialize)]
pub struct AdminListRow {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub status: String,
    pub origin: String,
    pub updated_at: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

pub async fn admin_list(
    db: &D1Database,
    status: Option<&str>,
    category: Option<&str>,
) -> ApiResult<Vec<AdminListRow>> {
    all(
        db,
        "SELECT a.slug, a.title, a.category, a.status, a.origin, a.updated_at, \
           (SELECT count(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 1) AS helpful_yes, \
           (SELECT count(*) FROM kb_feedback f WHERE f.article_id = a.id AND f.helpful = 0) AS helpful_no \
         FROM kb_articles a WHERE (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR a.category = ?2) \
         ORDER BY a.updated_at DESC, a.slug",
        &[opt(status), opt(category)],
    )
    .await
}

#[derive(Deserialize, Clone)]
pub struct SourceRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub title_en: Option<String>,
    pub summary: String,
    pub category: String,
    pub body_md: String,
    pub body_html: String,
    pub status: String,
    pub origin: String,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
}

pub async fn source(db: &D1Database, slug: &str) -> ApiResult<Option<SourceRow>> {
    first(
        db,
        "SELECT id, slug, title, title_en, summary, category, body_md, body_html, status, origin, \
         created_at, updated_at, published_at FROM kb_articles WHERE slug = ?1",
        &[s(slug)],
    )
    .await
}

#[derive(Deserialize)]
pub struct SlugRow {
    pub slug: String,
}

pub async fn related_slugs(db: &D1Database, id: i64) -> ApiResult<Vec<String>> {
    Ok(all::<SlugRow>(
        db,
        "SELECT b.slug FROM kb_related r JOIN kb_articles b ON b.id = r.related_id \
         WHERE r.article_id = ?1 ORDER BY r.position",
        &[n(id)],
    )
    .await?
    .into_iter()
    .map(|r| r.slug)
    .collect())
}

pub async fn old_slugs(db: &D1Database, id: i64) -> ApiResult<Vec<String>> {
    #[derive(Deserialize)]
    struct R {
        old_slug: String,
    }
    Ok(all::<R>(
        db,
        "SELECT old_slug FROM kb_slug_redirects WHERE article_id = ?1 ORDER BY created_at",
        &[n(id)],
    )
    .await?
    .into_iter()
    .map(|r| r.old_slug)
    .collect())
}

pub async fn existing_slugs(db: &D1Database, slugs: &[String]) -> ApiResult<Vec<String>> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::to_string(slugs)?;
    Ok(all::<SlugRow>(
        db,
        "SELECT slug FROM kb_articles WHERE slug IN (SELECT value FROM json_each(?1))",
        &[s(&json)],
    )
    .await?
    .into_iter()
    .map(|r| r.slug)
    .collect())
}

/// Everything stored for one article version (already validated, rendered and indexed).
pub struct ArticleWrite<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub summary: &'a str,
    pub category: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub status: &'a str,
    pub title_terms: &'a str,
    pub keyword_terms: &'a str,
    pub body_terms: &'a str,
    pub vocabulary_json: &'a str,
    pub related: &'a [String],
    pub author_id: &'a str,
    pub now: &'a str,
}

fn words_stmt(db: &D1Database, w: &ArticleWrite<'_>) -> ApiResult<D1PreparedStatement> {
    stmt(
        db,
        "INSERT OR IGNORE INTO kb_words (word, stem, len) SELECT json_extract(j.value, '$[0]'), \
         json_extract(j.value, '$[1]'), length(json_extract(j.value, '$[0]')) FROM json_each(?1) j \
         WHERE ?2 = 'published'",
        &[s(w.vocabulary_json), s(w.status)],
    )
}

fn related_stmts(db: &D1Database, w: &ArticleWrite<'_>) -> ApiResult<Vec<D1PreparedStatement>> {
    let mut out = vec![stmt(
        db,
        "DELETE FROM kb_related WHERE article_id = (SELECT id FROM kb_articles WHERE slug = ?1)",
        &[s(w.slug)],
    )?];
    for (i, r) in w.related.iter().enumerate() {
        out.push(stmt(
            db,
            "INSERT OR IGNORE INTO kb_related (article_id, related_id, position) \
             SELECT a.id, b.id, ?3 FROM kb_articles a JOIN kb_articles b ON b.slug = ?2 WHERE a.slug = ?1",
            &[s(w.slug), s(r), n(i as i64)],
        )?);
    }
    Ok(out)
}

/// An article's written values in column order: slug, title, title_en, summary, category,
/// body_md, body_html, body_text, status, title/keyword/body terms, author_id, now.
fn article_values(w: &ArticleWrite<'_>) -> Vec<JsValue> {
    vec![
        s(w.slug),
        s(w.title),
        opt(w.title_en),
        s(w.summary),
        s(w.category),
        s(w.body_md),
        s(w.body_html),
        s(w.body_text),
        s(w.status),
        s(w.title_terms),
        s(w.keyword_terms),
        s(w.body_terms),
        s(w.author_id),
        s(w.now),
    ]
}

/// Creates an article; a redirect that used the same slug is dropped (the new article wins).
pub async fn create(db: &D1Database, w: &ArticleWrite<'_>) -> ApiResult<()> {
    let mut stmts = vec![
        stmt(db, "DELETE FROM kb_slug_redirects WHERE old_slug = ?1", &[s(w.slug)])?,
        stmt(
            db,
            "INSERT INTO kb_articles (slug, title, title_en, summary, category, body_md, body_html, body_text, \
             status, title_terms, keyword_terms, body_terms, origin, author_id, created_at, updated_at, published_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'app', ?13, ?14, ?14, \
             CASE WHEN ?9 = 'published' THEN ?14 END)",
            &article_values(w),
        )?,
        words_stmt(db, w)?,
    ];
    stmts.extend(related_stmts(db, w)?);
    batch(db, stmts).await?;
    Ok(())
}

/// Updates article `id` (currently `old_slug`); a new slug leaves a redirect behind.
pub async fn update(
    db: &D1Database,
    id: i64,
    old_slug: &str,
    w: &ArticleWrite<'_>,
) -> ApiResult<()> {
    let mut stmts = Vec::new();
    if old_slug != w.slug {
        stmts.push(stmt(
            db,
            "DELETE FROM kb_slug_redirects WHERE old_slug = ?1",
            &[s(w.slug)],
        )?);
    }
    stmts.push(stmt(
        db,
        "UPDATE kb_articles SET slug = ?2, title = ?3, title_en = ?4, summary = ?5, category = ?6, \
         body_md = ?7, body_html = ?8, body_text = ?9, status = ?10, title_terms = ?11, keyword_terms = ?12, \
         body_terms = ?13, origin = 'app', author_id = ?14, updated_at = ?15, \
         published_at = CASE WHEN ?10 = 'published' THEN coalesce(published_at, ?15) ELSE published_at END \
         WHERE id = ?1",
        &[vec![n(id)], article_values(w)].concat(),
    )?);
    if old_slug != w.slug {
        stmts.push(stmt(
            db,
            "INSERT INTO kb_slug_redirects (old_slug, article_id, created_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT(old_slug) DO UPDATE SET article_id = excluded.article_id",
            &[s(old_slug), n(id), s(w.now)],
        )?);
    }
    stmts.push(words_stmt(db, w)?);
    stmts.extend(related_stmts(db, w)?);
    batch(db, stmts).await?;
    Ok(())
}

pub async fn delete(db: &D1Database, id: i64) -> ApiResult<()> {
    batch(
        db,
        vec![
            stmt(
                db,
                "UPDATE kb_events SET article_id = NULL WHERE article_id = ?1",
                &[n(id)],
            )?,
            stmt(
                db,
                "DELETE FROM kb_related WHERE article_id = ?1 OR related_id = ?1",
                &[n(id)],
            )?,
            stmt(
                db,
                "DELETE FROM kb_feedback WHERE article_id = ?1",
                &[n(id)],
            )?,
            stmt(
                db,
                "DELETE FROM kb_slug_redirects WHERE article_id = ?1",
                &[n(id)],
            )?,
            stmt(db, "DELETE FROM kb_articles WHERE id = ?1", &[n(id)])?,
        ],
    )
    .await?;
    Ok(())
}

pub struct CategoryWrite<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub description: &'a str,
    pub description_en: &'a str,
    pub position: i64,
}

pub async fn put_category(db: &D1Database, c: &CategoryWrite<'_>) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO kb_categories (slug, name, name_en, description, description_en, position) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(slug) DO UPDATE SET name = excluded.name, \
         name_en = excluded.name_en, description = excluded.description, \
         description_en = excluded.description_en, position = excluded.position",
        &[
            s(c.slug),
            s(c.name),
            s(c.name_en),
            s(c.description),
            s(c.description_en),
            n(c.position),
        ],
    )
    .await?;
    Ok(())
}

// ---------- stats ----------

#[derive(Deserialize)]
pub struct QueryStat {
    pub query: String,
    pub count: i64,
    pub avg_results: f64,
    pub last_at: String,
}

#[derive(Deserialize)]
pub struct HelpfulStat {
    pub slug: String,
    pub title: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

#[derive(Deserialize)]
pub struct DeflectionDay {
    pub date: String,
    pub sessions: i64,
    pub viewed_article: i64,
    pub submitted: i64,
}

pub struct Stats {
    pub top: Vec<QueryStat>,
    pub no_results: Vec<QueryStat>,
    pub most_helpful: Vec<HelpfulStat>,
    pub least_helpful: Vec<HelpfulStat>,
    pub deflection: Vec<DeflectionDay>,
}

/// `offset` is the office offset as an SQLite modifier, e.g. "-360 minutes".
pub async fn stats(db: &D1Database, since: &str, offset: &str) -> ApiResult<Stats> {
    let q = |extra: &str| {
        format!(
            "SELECT query, count(*) AS count, avg(results) AS avg_results, max(created_at) AS last_at \
             FROM kb_search_log WHERE created_at >= ?1 {extra} GROUP BY query ORDER BY count DESC, last_at DESC LIMIT 20"
        )
    };
    let helpful = |order: &str| {
        format!(
            "SELECT a.slug, a.title, sum(f.helpful) AS helpful_yes, sum(1 - f.helpful) AS helpful_no \
             FROM kb_feedback f JOIN kb_articles a ON a.id = f.article_id \
             GROUP BY a.id HAVING count(*) > 0 ORDER BY {order} LIMIT 10"
        )
    };
    let res = batch(
        db,
        vec![
            stmt(db, &q(""), &[s(since)])?,
            stmt(db, &q("AND results = 0"), &[s(since)])?,
            stmt(db, &helpful("sum(f.helpful) * 1.0 / count(*) DESC, count(*) DESC, a.title"), &[])?,
            stmt(db, &helpful("sum(1 - f.helpful) * 1.0 / count(*) DESC, count(*) DESC, a.title"), &[])?,
            stmt(
                db,
                "SELECT substr(datetime(first_at, ?2), 1, 10) AS date, count(*) AS sessions, \
                   sum(viewed) AS viewed_article, sum(submitted) AS submitted FROM ( \
                   SELECT session_id, min(created_at) AS first_at, max(kind = 'article_view') AS viewed, \
                     max(kind = 'ticket_submitted') AS submitted \
                   FROM kb_events WHERE created_at >= ?1 GROUP BY session_id \
                   HAVING max(kind = 'suggested') = 1) GROUP BY date ORDER BY date",
                &[s(since), s(offset)],
            )?,
        ],
    )
    .await?;
    Ok(Stats {
        top: rows(&res[0])?,
        no_results: rows(&res[1])?,
        most_helpful: rows(&res[2])?,
        least_helpful: rows(&res[3])?,
        deflection: rows(&res[4])?,
    })
}

// ---------- images ----------

#[derive(Deserialize)]
pub struct ImageRow {
    pub name: String,
    pub content_type: String,
    pub r2_key: String,
}

pub struct NewImage<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub r2_key: &'a str,
    pub uploader_id: &'a str,
    pub now: &'a str,
}

pub async fn insert_image(db: &D1Database, i: &NewImage<'_>) -> ApiResult<()> {
    run(
        db,
        "INSERT INTO kb_images (id, name, content_type, size, r2_key, uploader_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            s(i.id),
            s(i.name),
            s(i.content_type),
            n(i.size),
            s(i.r2_key),
            s(i.uploader_id),
            s(i.now),
        ],
    )
    .await?;
    Ok(())
}

pub async fn image(db: &D1Database, id: &str) -> ApiResult<Option<ImageRow>> {
    first(
        db,
        "SELECT name, content_type, r2_key FROM kb_images WHERE id = ?1",
        &[s(id)],
    )
    .await
}
