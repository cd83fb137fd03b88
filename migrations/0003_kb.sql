-- Knowledge base (issue #6): categories, articles (Markdown + sanitized HTML), slug redirects,
-- related articles, feedback, search log, deflection events and the search index.
-- The FTS5 index holds Spanish *stems* computed in Rust (domain::search), one row per
-- published article, kept in step with kb_articles by the triggers below.

CREATE TABLE kb_categories (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE kb_articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  title_en TEXT,
  summary TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL REFERENCES kb_categories(slug),
  body_md TEXT NOT NULL,
  body_html TEXT NOT NULL,
  body_text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  -- Stems per weighted index column (title, summary + English title, body).
  title_terms TEXT NOT NULL DEFAULT '',
  keyword_terms TEXT NOT NULL DEFAULT '',
  body_terms TEXT NOT NULL DEFAULT '',
  -- 'content' = loaded from content/kb; 'app' = created or edited by staff (the loader keeps it).
  origin TEXT NOT NULL DEFAULT 'app' CHECK (origin IN ('content', 'app')),
  content_hash TEXT,
  author_id TEXT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX kb_articles_category ON kb_articles(category, status, title);
CREATE INDEX kb_articles_status_updated ON kb_articles(status, updated_at);

-- Old slugs keep working after a rename (answered with a 301 to the current slug).
CREATE TABLE kb_slug_redirects (
  old_slug TEXT PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
);

CREATE TABLE kb_related (
  article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  related_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (article_id, related_id),
  CHECK (article_id <> related_id)
);

-- "¿Te ayudó este artículo?" One vote per reader (session/anonymous id) and article; a new
-- vote replaces the old one.
CREATE TABLE kb_feedback (
  article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  voter TEXT NOT NULL,
  helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
  comment TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (article_id, voter)
);
CREATE INDEX kb_feedback_created ON kb_feedback(created_at);

-- Every logged search (the ticket form's suggestions and the KB search box).
CREATE TABLE kb_search_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  query TEXT NOT NULL,          -- folded and trimmed, at most 200 characters
  results INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT 'kb' CHECK (source IN ('kb', 'ticket_form')),
  session_id TEXT,
  user_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX kb_search_log_created ON kb_search_log(created_at);
CREATE INDEX kb_search_log_query ON kb_search_log(query, created_at);

-- Deflection journey (P11): the ticket form showed suggestions ('suggested'), the reader opened
-- an article ('article_view'), and a ticket was submitted ('ticket_submitted') or not.
CREATE TABLE kb_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('suggested', 'article_view', 'ticket_submitted', 'helpful', 'not_helpful')),
  article_id INTEGER REFERENCES kb_articles(id) ON DELETE SET NULL,
  query TEXT,
  ticket_id TEXT,
  user_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX kb_events_session ON kb_events(session_id, kind);
CREATE INDEX kb_events_created ON kb_events(created_at, kind);

-- Search index: stems only, weighted by column in bm25(). rowid = kb_articles.id.
CREATE VIRTUAL TABLE kb_fts USING fts5(
  title, keywords, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Surface words of published content → their stem: typo (one edit) and prefix lookups.
-- Grows only; a stale word just maps to a stem that matches nothing.
CREATE TABLE kb_words (
  word TEXT PRIMARY KEY,
  stem TEXT NOT NULL,
  len INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX kb_words_stem ON kb_words(stem);
CREATE INDEX kb_words_len ON kb_words(len, word);

CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles
WHEN new.status = 'published'
BEGIN
  INSERT INTO kb_fts (rowid, title, keywords, body)
  VALUES (new.id, new.title_terms, new.keyword_terms, new.body_terms);
END;

CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles
BEGIN
  DELETE FROM kb_fts WHERE rowid = old.id;
END;

CREATE TRIGGER kb_articles_fts_update AFTER UPDATE ON kb_articles
BEGIN
  DELETE FROM kb_fts WHERE rowid = old.id;
  INSERT INTO kb_fts (rowid, title, keywords, body)
  SELECT new.id, new.title_terms, new.keyword_terms, new.body_terms WHERE new.status = 'published';
END;
