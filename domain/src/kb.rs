//! Knowledge-base articles: front matter of `content/kb/*.md`, slugs, authoring input
//! validation, the text that goes into the search index, the JSON types of `/api/kb/*`
//! (shared with the app) and, behind the `markdown` feature, Markdown → sanitized HTML.
use serde::{Deserialize, Serialize};

use crate::search;
use crate::validation::{optional_text, required_text, FieldError};

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 400;
pub const BODY_MAX: usize = 60_000;
pub const SLUG_MAX: usize = 100;
pub const RELATED_MAX: usize = 8;

/// An article file: front matter (`key: value` lines between `---`) and a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleFile {
    pub slug: String,
    pub title: String,
    pub title_en: Option<String>,
    pub category: String,
    pub summary: String,
    pub related: Vec<String>,
    pub body_md: String,
}

/// Parses one content file; `slug` comes from the file name.
pub fn parse_article_file(slug: &str, text: &str) -> Result<ArticleFile, String> {
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---")
        .ok_or_else(|| format!("{slug}: missing front matter"))?;
    let end = rest
        .find("\n---")
        .ok_or_else(|| format!("{slug}: unterminated front matter"))?;
    let (head, body) = (&rest[..end], &rest[end + 4..]);
    let mut a = ArticleFile {
        slug: slug.to_string(),
        body_md: body.trim_start_matches(['\r', '\n']).trim_end().to_string(),
        ..Default::default()
    };
    for line in head.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("{slug}: bad front matter line {line:?}"))?;
        let v = v.trim().trim_matches('"').to_string();
        match k.trim() {
            "title" => a.title = v,
            "title_en" => a.title_en = Some(v).filter(|s| !s.is_empty()),
            "category" => a.category = v,
            "summary" => a.summary = v,
            "related" => {
                a.related = v
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            other => return Err(format!("{slug}: unknown front matter key {other:?}")),
        }
    }
    if !is_valid_slug(slug) {
        return Err(format!("{slug}: invalid slug"));
    }
    if a.title.is_empty() || a.category.is_empty() || a.summary.is_empty() {
        return Err(format!("{slug}: title, category and summary are required"));
    }
    Ok(a)
}

/// `a-z`, `0-9` and single inner hyphens; 3..=100 characters.
pub fn is_valid_slug(s: &str) -> bool {
    (3..=SLUG_MAX).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// A slug from a title: folded, non-alphanumerics to single hyphens, cut at a word boundary.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for w in search::words(title) {
        let w: String = w.chars().filter(char::is_ascii_alphanumeric).collect();
        if w.is_empty() {
            continue;
        }
        if out.len() + w.len() + 1 > 80 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out
}

/// Publication state of an article.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    #[default]
    Draft,
    Published,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
        }
    }
}

/// Body of `POST /api/kb/admin/articles` and `PUT /api/kb/admin/articles/{slug}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ArticleInput {
    /// Optional on create (derived from the title); a new value on update renames the article
    /// and the old slug redirects.
    #[serde(default)]
    pub slug: Option<String>,
    pub title: String,
    #[serde(default)]
    pub title_en: Option<String>,
    pub category: String,
    #[serde(default)]
    pub summary: String,
    pub body_md: String,
    #[serde(default)]
    pub status: ArticleStatus,
    #[serde(default)]
    pub related: Vec<String>,
    /// Optimistic concurrency on update: the `updated_at` the editor loaded.
    #[serde(default)]
    pub expected_updated_at: Option<String>,
}

/// Validated authoring input (trimmed; slug decided).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidArticle {
    pub slug: String,
    pub title: String,
    pub title_en: Option<String>,
    pub category: String,
    pub summary: String,
    pub body_md: String,
    pub status: ArticleStatus,
    pub related: Vec<String>,
}

fn field(field: &'static str, code: &'static str, es: &str, en: &str) -> FieldError {
    FieldError::new(field, code, es, en)
}

impl ArticleInput {
    /// Checks every field; `current_slug` is the slug being edited (None on create).
    pub fn validate(&self, current_slug: Option<&str>) -> Result<ValidArticle, FieldError> {
        let title = required_text("title", &self.title, TITLE_MAX)?;
        if title.contains(['\n', '\r']) {
            return Err(field(
                "title",
                "invalid_characters",
                "El título debe ser de una sola línea.",
                "The title must be a single line.",
            ));
        }
        let title_en = match &self.title_en {
            Some(t) => optional_text("title_en", t, TITLE_MAX)?,
            None => None,
        };
        let summary = optional_text("summary", &self.summary, SUMMARY_MAX)?.unwrap_or_default();
        let body_md = required_text("body_md", &self.body_md, BODY_MAX)?;
        let category = self.category.trim().to_string();
        if !is_valid_slug(&category) {
            return Err(field(
                "category",
                "invalid_category",
                "Elige una categoría válida.",
                "Choose a valid category.",
            ));
        }
        let slug = match self
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => s.to_string(),
            None => match current_slug {
                Some(c) => c.to_string(),
                None => slugify(&title),
            },
        };
        if !is_valid_slug(&slug) {
            return Err(field(
                "slug",
                "invalid_slug",
                "El identificador solo admite minúsculas sin acentos, números y guiones (3 a 100).",
                "The slug allows lowercase letters, digits and hyphens only (3 to 100).",
            ));
        }
        let mut related: Vec<String> = Vec::new();
        for r in &self.related {
            let r = r.trim().to_string();
            if !is_valid_slug(&r) || r == slug {
                return Err(field(
                    "related",
                    "invalid_related",
                    "Un artículo relacionado no es válido.",
                    "A related article is not valid.",
                ));
            }
            if !related.contains(&r) {
                related.push(r);
            }
        }
        if related.len() > RELATED_MAX {
            return Err(field(
                "related",
                "too_many",
                "Elige hasta 8 artículos relacionados.",
                "Choose up to 8 related articles.",
            ));
        }
        Ok(ValidArticle {
            slug,
            title,
            title_en,
            category,
            summary,
            body_md,
            status: self.status,
            related,
        })
    }
}

/// What the search index stores for an article: stems per weighted column and the
/// (word, stem) vocabulary for typo/prefix lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexText {
    pub title_terms: String,
    pub keyword_terms: String,
    pub body_terms: String,
    pub vocabulary: Vec<(String, String)>,
}

/// `body_text` is the article's plain text (see `plain_text`).
pub fn index_text(
    title: &str,
    title_en: Option<&str>,
    summary: &str,
    body_text: &str,
) -> IndexText {
    let keywords = format!("{summary} {}", title_en.unwrap_or(""));
    IndexText {
        title_terms: search::index_terms(title),
        keyword_terms: search::index_terms(&keywords),
        body_terms: search::index_terms(body_text),
        vocabulary: search::vocabulary([title, keywords.as_str(), body_text]),
    }
}

/// The vocabulary as the JSON array of `[word, stem]` pairs the database loads with `json_each`.
pub fn vocabulary_json(v: &[(String, String)]) -> String {
    let mut out = String::from("[");
    for (i, (w, s)) in v.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Folded words are alphanumeric: no JSON escaping needed beyond quotes.
        out.push_str(&format!(
            "[\"{}\",\"{}\"]",
            w.replace(['"', '\\'], ""),
            s.replace(['"', '\\'], "")
        ));
    }
    out.push(']');
    out
}

// ---------- JSON of /api/kb/* (shared with the app) ----------

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub slug: String,
    pub title: String,
    /// HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
    pub category: String,
    #[serde(default)]
    pub summary: String,
    /// Path of the article page, e.g. `/kb/correo/correo-iphone`.
    #[serde(default)]
    pub url: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub results: Vec<SearchResult>,
    pub total: u32,
}

/// An image uploaded for articles: `markdown` is ready to paste into the body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageView {
    pub id: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub url: String,
    pub markdown: String,
}

/// The Markdown of an uploaded image: alt text from the file name, without characters
/// that would end the `![alt](url)` syntax early.
pub fn image_markdown(name: &str, url: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let alt: String = stem
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | '(' | ')' | '\\' | '!') {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("![{}]({url})", alt.trim())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    pub slug: String,
    pub title: String,
    pub category: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub url: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breadcrumb {
    pub name: String,
    pub name_en: String,
    pub url: String,
}

// Named `KbCategory` in the OpenAPI document: `contract::Category` (a ticket's kind) is `Category`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = KbCategory))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub article_count: u32,
    pub url: String,
}

/// `GET /api/kb/articles/{slug}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub slug: String,
    pub title: String,
    pub body_html: String,
    pub category: String,
    /// RFC 3339 in the office offset.
    pub updated_at: String,
    pub title_en: Option<String>,
    pub summary: String,
    pub status: ArticleStatus,
    pub category_name: String,
    pub category_name_en: String,
    pub url: String,
    pub breadcrumbs: Vec<Breadcrumb>,
    pub related: Vec<ArticleRef>,
    pub helpful_yes: u32,
    pub helpful_no: u32,
}

/// Canonical page path of an article.
pub fn article_url(category: &str, slug: &str) -> String {
    format!("/kb/{category}/{slug}")
}

pub fn category_url(category: &str) -> String {
    format!("/kb/{category}")
}

#[cfg(feature = "markdown")]
pub use render::{plain_text, render_html, sanitize_html};

#[cfg(feature = "markdown")]
mod render {
    use pulldown_cmark::{html, Event, Options, Parser, TagEnd};

    fn options() -> Options {
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
    }

    /// Markdown → HTML, then sanitized: only harmless tags and attributes survive; no script,
    /// style, event handlers, `javascript:`/`data:` URLs; links get `rel="noopener noreferrer"`.
    pub fn render_html(md: &str) -> String {
        let mut raw = String::with_capacity(md.len() * 3 / 2);
        html::push_html(&mut raw, Parser::new_ext(md, options()));
        sanitize_html(&raw)
    }

    pub fn sanitize_html(html: &str) -> String {
        ammonia::Builder::default()
            .link_rel(Some("noopener noreferrer nofollow"))
            .add_tag_attributes("td", ["align"])
            .add_tag_attributes("th", ["align"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tags(["input"])
            .attribute_filter(|el, attr, value| {
                if el == "input" && attr == "type" && value != "checkbox" {
                    return None;
                }
                Some(value.into())
            })
            .clean(html)
            .to_string()
    }

    /// The readable text of a Markdown document (for search and snippets): text and code,
    /// blocks separated by new lines, no markup.
    pub fn plain_text(md: &str) -> String {
        let mut out = String::with_capacity(md.len());
        for ev in Parser::new_ext(md, options()) {
            match ev {
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak => out.push(' '),
                Event::End(TagEnd::TableCell) if !out.ends_with(['\n', ' ']) => out.push(' '),
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::TableRow
                    | TagEnd::CodeBlock,
                ) if !out.ends_with(['\n', ' ']) => out.push('\n'),
                _ => {}
            }
        }
        out.trim().to_string()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const XSS: &[&str] = &[
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "[clic](JaVaScRiPt:alert(1))",
            "[clic](  javascript:alert(1))",
            "<a href=\"javascript&colon;alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "![x](javascript:alert(1))",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<details open ontoggle=alert(1)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<object data=\"javascript:alert(1)\"></object>",
            "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        ];

        #[test]
        fn xss_never_survives() {
            for p in XSS {
                let h = render_html(p).to_ascii_lowercase();
                for bad in [
                    "<script",
                    "onerror",
                    "onload",
                    "ontoggle",
                    "javascript:",
                    "<iframe",
                    "style=",
                    "<object",
                    "<form",
                    "data:text",
                ] {
                    assert!(!h.contains(bad), "{p:?} → {h:?}");
                }
            }
        }

        #[test]
        fn normal_markdown_renders() {
            let h = render_html("## Pasos\n\n1. Abre **Ajustes**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[ayuda](https://ejemplo.mx) `code`");
            assert!(
                h.contains("<h2>Pasos</h2>") && h.contains("<strong>Ajustes</strong>"),
                "{h}"
            );
            assert!(
                h.contains("<table>") && h.contains("<code>code</code>"),
                "{h}"
            );
            assert!(h.contains("rel=\"noopener noreferrer nofollow\""), "{h}");
        }

        #[test]
        fn plain_text_has_no_markup() {
            let t = plain_text(
                "## Título\n\nTexto con **negritas** y `mail.tudominio.com`.\n\n- uno\n- dos",
            );
            assert_eq!(
                t,
                "Título\nTexto con negritas y mail.tudominio.com.\nuno\ndos"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_parses() {
        let a = parse_article_file(
            "correo-iphone",
            "---\ntitle: Configurar tu correo en iPhone\ncategory: correo\nsummary: Pasos.\ntitle_en: Set up\nrelated: correo-android, correo-outlook\n---\n## Hola\n\nTexto\n",
        )
        .unwrap();
        assert_eq!(a.title, "Configurar tu correo en iPhone");
        assert_eq!(a.related, ["correo-android", "correo-outlook"]);
        assert_eq!(a.body_md, "## Hola\n\nTexto");
        assert!(parse_article_file("x-y", "no front matter").is_err());
    }

    #[test]
    fn image_markdown_is_safe() {
        assert_eq!(
            image_markdown("panel-dns.png", "/api/kb/images/ab"),
            "![panel-dns](/api/kb/images/ab)"
        );
        assert_eq!(
            image_markdown("a](javascript:x).png", "/api/kb/images/ab"),
            "![a  javascript:x](/api/kb/images/ab)"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("¿Cómo configuro mi correo en el iPhone?"),
            "como-configuro-mi-correo-en-el-iphone"
        );
        assert!(is_valid_slug("correo-iphone"));
        for bad in ["", "ab", "-a-b", "a--b", "Correo", "a b c", "ñandu", "abc-"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn input_validation() {
        let mut input = ArticleInput {
            title: "  Nuevo artículo  ".into(),
            category: "correo".into(),
            body_md: "Texto".into(),
            ..Default::default()
        };
        let v = input.validate(None).unwrap();
        assert_eq!(
            (v.slug.as_str(), v.title.as_str()),
            ("nuevo-articulo", "Nuevo artículo")
        );
        assert_eq!(input.validate(Some("viejo")).unwrap().slug, "viejo");
        input.slug = Some("Mal Slug".into());
        assert_eq!(input.validate(None).unwrap_err().field, "slug");
        input.slug = None;
        input.body_md = "   ".into();
        assert_eq!(input.validate(None).unwrap_err().field, "body_md");
    }
}
