-- Schema v1 of Mesa de Soporte. Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sortable); dates 'YYYY-MM-DD'.
PRAGMA foreign_keys = ON;

CREATE TABLE companies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  only_own_tickets INTEGER NOT NULL DEFAULT 0 CHECK (only_own_tickets IN (0, 1)),
  suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('client', 'agent', 'admin')),
  company_id TEXT REFERENCES companies(id),
  password_hash TEXT NOT NULL,
  suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
  created_at TEXT NOT NULL,
  CHECK ((role = 'client') = (company_id IS NOT NULL))
);
CREATE INDEX users_company ON users(company_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE services (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id),
  kind TEXT NOT NULL CHECK (kind IN ('hosting', 'email', 'domain', 'developed_system', 'web_site', 'softlik')),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'ended', 'end_of_life')),
  special_contract INTEGER NOT NULL DEFAULT 0 CHECK (special_contract IN (0, 1)),
  created_at TEXT NOT NULL
);
CREATE INDEX services_company ON services(company_id);

CREATE TABLE contracts (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id),
  plan TEXT NOT NULL CHECK (plan IN ('basica', 'basica_plus', 'empresarial', 'empresarial_plus')),
  hours_total INTEGER NOT NULL CHECK (hours_total > 0),
  hours_used INTEGER NOT NULL DEFAULT 0 CHECK (hours_used >= 0),
  starts_on TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX contracts_company ON contracts(company_id, starts_on);

CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id),
  ticket_id TEXT REFERENCES tickets(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  delivered_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  paid_on TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX invoices_unpaid ON invoices(company_id, due_on) WHERE paid_on IS NULL;

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  service_id TEXT NOT NULL REFERENCES services(id),
  requester_id TEXT NOT NULL REFERENCES users(id),
  assignee_id TEXT REFERENCES users(id),
  category TEXT NOT NULL CHECK (category IN ('question', 'incident', 'support_case', 'remote_assistance', 'phone_advice')),
  priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high')),
  status TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting_client', 'waiting_third_party', 'waiting_release', 'awaiting_authorization', 'resolved', 'closed')),
  coverage TEXT NOT NULL CHECK (coverage IN ('free', 'contract', 'per_event')),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  steps TEXT,
  client_info TEXT,
  due_at TEXT,
  paused_reason TEXT CHECK (paused_reason IN ('waiting_client', 'waiting_third_party', 'waiting_release')),
  paused_since TEXT,
  auto_close_at TEXT,
  resolved_at TEXT,
  reopen_until TEXT,
  merged_into TEXT REFERENCES tickets(id),
  linked_to TEXT REFERENCES tickets(id),
  idempotency_key TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((priority = 'high') = (category IN ('support_case', 'remote_assistance', 'phone_advice')))
);
CREATE INDEX tickets_arrival ON tickets(created_at, id);
CREATE INDEX tickets_company_arrival ON tickets(company_id, created_at);
CREATE INDEX tickets_status_arrival ON tickets(status, created_at);
CREATE INDEX tickets_due_open ON tickets(due_at) WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_auto_close ON tickets(auto_close_at) WHERE auto_close_at IS NOT NULL;
CREATE UNIQUE INDEX tickets_idempotency ON tickets(requester_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  author_id TEXT REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('client', 'reply', 'awaiting_client', 'resolved_confirm', 'note', 'system')),
  internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
  body TEXT NOT NULL,
  flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
  created_at TEXT NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id, created_at, id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  actor_id TEXT REFERENCES users(id),
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('client', 'agent', 'admin', 'sweep')),
  kind TEXT NOT NULL,
  data TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX events_ticket ON events(ticket_id, id);

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  message_id TEXT REFERENCES messages(id),
  uploader_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
  size INTEGER NOT NULL CHECK (size > 0),
  r2_key TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id);

-- Admin changes to the statutory calendar: 'add' a closure day or 'remove' a statutory holiday.
CREATE TABLE holidays (
  date TEXT PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
  name TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sweep_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cron TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  counts TEXT
);
CREATE INDEX sweep_runs_started ON sweep_runs(started_at);
