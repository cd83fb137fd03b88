-- Administration and accounts (issue 12): company and person details, suspensions with
-- reason and date (P27), service status events, append-only póliza corrections,
-- one-time account tokens and the append-only audit trail.

ALTER TABLE companies ADD COLUMN tax_id TEXT;
ALTER TABLE companies ADD COLUMN suspended_reason TEXT;
ALTER TABLE companies ADD COLUMN suspended_at TEXT;
-- The admin list pages in name order.
CREATE INDEX companies_name ON companies(name COLLATE NOCASE, id);
CREATE INDEX companies_tax_id ON companies(tax_id) WHERE tax_id IS NOT NULL;

-- Company search: word prefixes, accents folded (`Comer` finds «Alfa Comercial»).
CREATE VIRTUAL TABLE companies_fts USING fts5(
  name, tax_id, content = 'companies', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO companies_fts (rowid, name, tax_id) SELECT rowid, name, COALESCE(tax_id, '') FROM companies;
CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
  INSERT INTO companies_fts (rowid, name, tax_id) VALUES (new.rowid, new.name, COALESCE(new.tax_id, ''));
END;
CREATE TRIGGER companies_fts_update AFTER UPDATE OF name, tax_id ON companies BEGIN
  INSERT INTO companies_fts (companies_fts, rowid, name, tax_id) VALUES ('delete', old.rowid, old.name, COALESCE(old.tax_id, ''));
  INSERT INTO companies_fts (rowid, name, tax_id) VALUES (new.rowid, new.name, COALESCE(new.tax_id, ''));
END;

-- People: phone, deactivation (history kept, sessions end), suspension reason and date.
-- An invited person has password_hash '!' (never verifies) until they activate.
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
ALTER TABLE users ADD COLUMN suspended_reason TEXT;
ALTER TABLE users ADD COLUMN suspended_at TEXT;

-- Services: the special contract's optional end date; every status change is an event.
ALTER TABLE services ADD COLUMN special_contract_until TEXT;
CREATE TABLE service_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL REFERENCES services(id),
  actor_id TEXT REFERENCES users(id),
  from_status TEXT,
  to_status TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX service_events_service ON service_events(service_id, id);

-- Pólizas are never edited to correct them: a correction is a new entry that names the
-- one it replaces; the replaced entry stays as history and no longer counts.
ALTER TABLE contracts ADD COLUMN replaces_id TEXT REFERENCES contracts(id);
ALTER TABLE contracts ADD COLUMN created_by TEXT REFERENCES users(id);
CREATE UNIQUE INDEX contracts_replaces ON contracts(replaces_id) WHERE replaces_id IS NOT NULL;

-- Invitation (72 h) and password-reset (1 h) tokens: random, stored as SHA-256, single use.
CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

-- Every admin action: who, when, what, before → after (JSON), from which IP.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  actor_id TEXT,
  actor_email TEXT,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  before TEXT,
  after TEXT,
  ip TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX audit_created ON audit_log(created_at, id);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_actor ON audit_log(actor_id, id);
CREATE INDEX audit_action ON audit_log(action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
