-- Notifications (issue 11): e-mail outbox, in-app notifications, per-user preferences,
-- SLA marks per target, and the dev-only mailbox and clock.

-- Every e-mail is written here in the same batch as the change that causes it and
-- delivered later by `notify::drain` (after the request, and by every cron run).
-- Claiming a row moves `next_attempt_at` forward (a lease) and bumps `attempts` in one
-- guarded UPDATE … RETURNING, so two drains never take the same row; a drain that dies
-- mid-way leaves the row `pending`, to be taken again when the lease ends.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT REFERENCES users(id),
  to_email TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_user ON outbox(user_id, id);

-- What the dev transport "sent" (only under `cargo xtask dev` / `test`).
CREATE TABLE dev_mailbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  outbox_id INTEGER,
  to_email TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX dev_mailbox_to ON dev_mailbox(to_email, id);

-- Dev-only knobs shared by every isolate: 'clock_offset_ms', 'mail_failures'.
CREATE TABLE dev_state (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

-- In-app notifications: always written, whatever the e-mail preferences.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  ticket_id TEXT REFERENCES tickets(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  dedupe_key TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

-- Per-user language and e-mail mutes (a JSON array of notification kinds).
CREATE TABLE user_preferences (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  lang TEXT NOT NULL DEFAULT 'es' CHECK (lang IN ('es', 'en')),
  muted TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);

-- SLA marks of the current target (P7: a new client message starts a new target and
-- clears them). `sla_target_at` is when the current target started.
ALTER TABLE tickets ADD COLUMN sla_target_at TEXT;
ALTER TABLE tickets ADD COLUMN sla_at_risk_at TEXT;
ALTER TABLE tickets ADD COLUMN sla_breached_at TEXT;
ALTER TABLE tickets ADD COLUMN sla_breach_reason TEXT;
ALTER TABLE tickets ADD COLUMN reminder_sent_at TEXT;
CREATE INDEX tickets_sla_open ON tickets(due_at) WHERE sla_breached_at IS NULL AND due_at IS NOT NULL AND paused_since IS NULL;
