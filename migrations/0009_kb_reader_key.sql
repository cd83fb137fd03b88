-- Issue 16: the key that signs the anonymous knowledge-base reader id (the `mds_reader`
-- cookie a vote is bound to). Generated inside each database, never sent to a client.
CREATE TABLE IF NOT EXISTS app_keys (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT OR IGNORE INTO app_keys (name, value) VALUES ('kb_reader', lower(hex(randomblob(32))));
