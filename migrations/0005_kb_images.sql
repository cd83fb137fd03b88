-- Images of knowledge-base articles (issue #6): PNG/JPEG checked by content like ticket
-- screenshots, bytes in R2 under kb/<id>, served to anyone (articles are public) by an
-- unguessable id.
CREATE TABLE kb_images (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
  size         INTEGER NOT NULL CHECK (size > 0),
  r2_key       TEXT NOT NULL UNIQUE,
  uploader_id  TEXT NOT NULL REFERENCES users(id),
  created_at   TEXT NOT NULL
);
