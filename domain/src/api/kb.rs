//! JSON bodies of the knowledge base (`/api/kb/*`, issue 6, SPEC P11): reading, feedback,
//! deflection events, staff authoring and statistics. The reading types that the SSR pages
//! share (`Article`, `Category`, `SearchResponse`, …) live in [`crate::kb`] and are re-exported.
use serde::{Deserialize, Serialize};

pub use crate::kb::{
    Article, ArticleInput, ArticleRef, ArticleStatus, Breadcrumb, Category, ImageView,
    SearchResponse, SearchResult,
};

/// `GET /api/kb/categories`: the KB home.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbHome {
    pub categories: Vec<Category>,
    /// Most viewed published articles of the last 30 days.
    #[serde(default)]
    pub popular: Vec<ArticleRef>,
}

/// One published article of a category page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbListItem {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    /// RFC 3339 in the office offset.
    pub updated_at: String,
    /// Path of the article page.
    pub url: String,
}

/// `GET /api/kb/categories/{slug}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbCategoryPage {
    pub category: Category,
    pub breadcrumbs: Vec<Breadcrumb>,
    pub articles: Vec<KbListItem>,
}

/// `301` answer of `GET /api/kb/articles/{slug}` for an old slug.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRedirect {
    /// The current slug.
    pub redirect: String,
    /// Path of the current article page.
    pub url: String,
}

/// Body of `POST /api/kb/articles/{slug}/feedback`: one vote per reader, a new one replaces it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRequest {
    pub helpful: bool,
    /// ≤ 1000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Anonymous session id of the reader (8–64 of `[A-Za-z0-9_-]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

/// Answer of the feedback endpoint: the article's vote counts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    pub helpful_yes: u32,
    pub helpful_no: u32,
}

/// Body of `POST /api/kb/events`: one step of a reader's P11 deflection journey.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbEventRequest {
    /// `suggested` | `article_view` | `ticket_submitted` | `searched` (checked by the server,
    /// which answers `422 invalid_kind` otherwise).
    pub kind: String,
    pub session: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub ticket_id: Option<String>,
}

/// One row of `GET /api/kb/admin/articles` (drafts included).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminArticleItem {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub status: ArticleStatus,
    /// `seed` (from `content/kb`) or `admin`.
    pub origin: String,
    /// As stored (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub updated_at: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

/// `GET /api/kb/admin/articles`, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminArticleList {
    pub articles: Vec<AdminArticleItem>,
}

/// The editable source of an article (`GET`/`POST`/`PUT /api/kb/admin/articles…`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSource {
    pub slug: String,
    pub title: String,
    pub title_en: Option<String>,
    pub summary: String,
    pub category: String,
    pub body_md: String,
    /// Rendered and sanitized on save.
    pub body_html: String,
    pub status: ArticleStatus,
    pub origin: String,
    /// As stored (UTC, `YYYY-MM-DD HH:MM:SS`); `updated_at` is the `expected_updated_at`
    /// of the next save.
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
    /// Slugs of the related articles, in order.
    pub related: Vec<String>,
    /// Former slugs that redirect here.
    pub old_slugs: Vec<String>,
    /// Path of the article page.
    pub url: String,
}

/// Body of `POST /api/kb/preview` (≤ 60,000 characters).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRequest {
    pub body_md: String,
}

/// Answer of `POST /api/kb/preview`: rendered and sanitized exactly as on save.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewResponse {
    pub body_html: String,
}

/// Body of `PUT /api/kb/admin/categories` (create or update by slug).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRequest {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub description_en: String,
    /// Order on the KB home (0–10,000).
    #[serde(default)]
    pub position: i64,
}

/// Answer of `PUT /api/kb/admin/categories`: the stored (trimmed) texts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryStored {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
}

/// A (folded) query of the search log with how often it was searched.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryStat {
    pub query: String,
    pub count: i64,
    pub avg_results: f64,
    /// Last time searched, as stored (UTC).
    pub last_at: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpfulStat {
    pub slug: String,
    pub title: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
}

/// Ticket-form sessions of one office-calendar day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeflectionDay {
    /// `YYYY-MM-DD` in the office offset.
    pub date: String,
    pub sessions: i64,
    pub viewed_article: i64,
    pub submitted: i64,
    pub deflected: i64,
    /// `deflected / sessions` rounded to 3 decimals; `null` without sessions.
    pub rate: Option<f64>,
}

/// P11 deflection over the window.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deflection {
    pub sessions: i64,
    pub submitted: i64,
    pub deflected: i64,
    /// `deflected / sessions` rounded to 3 decimals; `null` without sessions.
    pub rate: Option<f64>,
    pub by_day: Vec<DeflectionDay>,
}

impl Deflection {
    /// Share of sessions that did not end in a ticket, rounded to 3 decimals.
    pub fn rate_of(sessions: i64, submitted: i64) -> Option<f64> {
        (sessions != 0)
            .then(|| ((sessions - submitted) as f64 / sessions as f64 * 1000.0).round() / 1000.0)
    }
}

/// `GET /api/kb/admin/stats?days=`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbStats {
    pub days: i64,
    pub top_searches: Vec<QueryStat>,
    pub no_result_searches: Vec<QueryStat>,
    pub most_helpful: Vec<HelpfulStat>,
    pub least_helpful: Vec<HelpfulStat>,
    pub deflection: Deflection,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deflection_rate_is_rounded_and_null_without_sessions() {
        assert_eq!(Deflection::rate_of(0, 0), None);
        assert_eq!(Deflection::rate_of(3, 1), Some(0.667));
        assert_eq!(Deflection::rate_of(4, 4), Some(0.0));
    }

    #[test]
    fn stats_serialize_a_missing_rate_as_null() {
        let d = DeflectionDay {
            date: "2026-12-01".into(),
            sessions: 0,
            viewed_article: 0,
            submitted: 0,
            deflected: 0,
            rate: None,
        };
        let v = serde_json::to_value(&d).unwrap();
        assert!(v["rate"].is_null());
        assert_eq!(serde_json::from_value::<DeflectionDay>(v).unwrap(), d);
    }

    #[test]
    fn source_keeps_null_optionals_on_the_wire() {
        let s = ArticleSource {
            slug: "a-b".into(),
            title: "T".into(),
            title_en: None,
            summary: String::new(),
            category: "correo".into(),
            body_md: "x".into(),
            body_html: "<p>x</p>".into(),
            status: ArticleStatus::Draft,
            origin: "admin".into(),
            created_at: "2026-12-01 10:00:00".into(),
            updated_at: "2026-12-01 10:00:00".into(),
            published_at: None,
            related: vec![],
            old_slugs: vec![],
            url: "/kb/correo/a-b".into(),
        };
        let v = serde_json::to_value(&s).unwrap();
        assert!(v.get("title_en").is_some_and(|t| t.is_null()));
        assert!(v.get("published_at").is_some_and(|t| t.is_null()));
        assert_eq!(v["status"], "draft");
    }
}
