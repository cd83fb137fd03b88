-- Issue 13: paid service in the ticket (P15, P19–P26). Quotes and hour estimates ("offers")
-- with the client's authorization, the remote-session checklist, sealed credentials, time
-- entries, the append-only hours ledger of a póliza, and paid invoices.

-- An offer is a per-event quote (P23) or an estimate of póliza hours (P24). At most one is
-- waiting for the client per ticket; a new one supersedes it. The client's decision (who,
-- when, from which IP, on exactly this offer) is written once and never changes.
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  company_id TEXT NOT NULL REFERENCES companies(id),
  kind TEXT NOT NULL CHECK (kind IN ('quote', 'estimate')),
  state TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'rejected', 'superseded')),
  -- JSON array of the lines as priced when the offer was made (domain::billing::QuoteLine).
  lines TEXT NOT NULL,
  hours INTEGER NOT NULL CHECK (hours >= 0),
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  payment_terms TEXT,
  invoicing_data TEXT,
  note TEXT,
  -- The póliza an estimate would be deducted from.
  contract_id TEXT REFERENCES contracts(id),
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  decided_by TEXT REFERENCES users(id),
  decided_at TEXT,
  decided_ip TEXT,
  terms_accepted INTEGER CHECK (terms_accepted IN (0, 1)),
  -- Set when the per-event work it priced was invoiced.
  invoice_id TEXT REFERENCES invoices(id),
  CHECK ((state IN ('accepted', 'rejected')) = (decided_at IS NOT NULL)),
  CHECK (kind = 'quote' OR contract_id IS NOT NULL)
);
CREATE INDEX offers_ticket ON offers(ticket_id, created_at);
CREATE UNIQUE INDEX offers_one_waiting ON offers(ticket_id) WHERE state = 'sent';
-- A decided offer is final; only an accepted quote's invoice link is written afterwards.
CREATE TRIGGER offers_decided_are_final BEFORE UPDATE ON offers
  WHEN OLD.state <> 'sent' AND NOT (
    OLD.state = 'accepted' AND OLD.kind = 'quote' AND OLD.invoice_id IS NULL
    AND NEW.invoice_id IS NOT NULL AND NEW.state = OLD.state
    AND NEW.decided_at IS OLD.decided_at AND NEW.total_cents = OLD.total_cents
  )
BEGIN SELECT RAISE(ABORT, 'a decided offer is final'); END;
CREATE TRIGGER offers_never_deleted BEFORE DELETE ON offers
BEGIN SELECT RAISE(ABORT, 'offers are kept'); END;

-- The client's confirmations before a paid remote session (P25, P15), one per ticket.
CREATE TABLE remote_checklists (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets(id),
  data TEXT NOT NULL,
  complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
  updated_by TEXT NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL
);

-- Remote-access credentials (P15): AES-GCM sealed (base64 of iv ‖ ciphertext), readable only
-- by staff through an explicit reveal; the sealed text is erased when the ticket is resolved.
CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  label TEXT NOT NULL,
  sealed TEXT,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  purged_at TEXT,
  CHECK ((sealed IS NULL) = (purged_at IS NOT NULL))
);
CREATE INDEX credentials_ticket ON credentials(ticket_id, created_at);
CREATE INDEX credentials_live ON credentials(ticket_id) WHERE purged_at IS NULL;
CREATE TABLE credential_reveals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  credential_id TEXT NOT NULL REFERENCES credentials(id),
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  ip TEXT,
  at TEXT NOT NULL
);
CREATE INDEX credential_reveals_ticket ON credential_reveals(ticket_id, at);

-- Work recorded in minutes (who, when, what); each entry is a service report charged in whole
-- hours (P22): `charged_hours` is what it cost (0 under the warranty or on per-event work,
-- which is invoiced by its quote).
CREATE TABLE time_entries (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  offer_id TEXT NOT NULL REFERENCES offers(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  charged_hours INTEGER NOT NULL CHECK (charged_hours >= 0),
  warranty INTEGER NOT NULL DEFAULT 0 CHECK (warranty IN (0, 1)),
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX time_entries_ticket ON time_entries(ticket_id, created_at);

-- The hours of a póliza, append-only: a grant when it starts, a (negative) charge per service
-- report, and an admin's compensating corrections with a reason. `contracts.hours_used`
-- follows it (trigger below), so the balance is never written by hand.
CREATE TABLE ledger_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  company_id TEXT NOT NULL REFERENCES companies(id),
  kind TEXT NOT NULL CHECK (kind IN ('grant', 'charge', 'correction')),
  hours INTEGER NOT NULL,
  ticket_id TEXT REFERENCES tickets(id),
  time_entry_id TEXT,
  reason TEXT,
  created_by TEXT REFERENCES users(id),
  created_at TEXT NOT NULL,
  CHECK (kind <> 'charge' OR hours < 0),
  CHECK (kind <> 'grant' OR hours > 0),
  CHECK (kind <> 'correction' OR (reason IS NOT NULL AND hours <> 0))
);
CREATE INDEX ledger_contract ON ledger_entries(contract_id, id);
CREATE INDEX ledger_company ON ledger_entries(company_id, id);
CREATE INDEX ledger_ticket ON ledger_entries(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_time_entry ON ledger_entries(time_entry_id) WHERE time_entry_id IS NOT NULL;
CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- The opening balance of the pólizas that exist already: their grant and what was used.
INSERT INTO ledger_entries (contract_id, company_id, kind, hours, reason, created_at)
  SELECT id, company_id, 'grant', hours_total, NULL, created_at FROM contracts;
INSERT INTO ledger_entries (contract_id, company_id, kind, hours, reason, created_at)
  SELECT id, company_id, 'correction', -hours_used, 'saldo inicial / opening balance', created_at
  FROM contracts WHERE hours_used > 0;

-- From now on: a new póliza gets its grant, and every other entry moves `hours_used`
-- (whose CHECK keeps it at 0 or more; a charge's insert is guarded by the balance).
-- A póliza inserted with hours already used (an admin's replacement of a wrong one keeps the
-- consumed hours, P26) gets them as a correction entry, so the ledger alone explains them.
CREATE TRIGGER contracts_grant AFTER INSERT ON contracts
BEGIN
  INSERT INTO ledger_entries (contract_id, company_id, kind, hours, created_by, created_at)
  VALUES (NEW.id, NEW.company_id, 'grant', NEW.hours_total, NEW.created_by, NEW.created_at);
  UPDATE contracts SET hours_used = 0 WHERE id = NEW.id AND NEW.hours_used > 0;
  INSERT INTO ledger_entries (contract_id, company_id, kind, hours, reason, created_by, created_at)
  SELECT NEW.id, NEW.company_id, 'correction', -NEW.hours_used,
    'Horas ya usadas al registrar la póliza / Hours already used when the póliza was recorded',
    NEW.created_by, NEW.created_at
  WHERE NEW.hours_used > 0;
END;
CREATE TRIGGER ledger_moves_hours_used AFTER INSERT ON ledger_entries
  WHEN NEW.kind <> 'grant'
BEGIN
  UPDATE contracts SET hours_used = hours_used - NEW.hours WHERE id = NEW.contract_id;
END;

-- Invoices (P26): the reference and who recorded the payment.
ALTER TABLE invoices ADD COLUMN paid_reference TEXT;
ALTER TABLE invoices ADD COLUMN paid_by TEXT REFERENCES users(id);
ALTER TABLE invoices ADD COLUMN summary TEXT;
CREATE INDEX invoices_company ON invoices(company_id, delivered_on);
CREATE INDEX invoices_ticket ON invoices(ticket_id) WHERE ticket_id IS NOT NULL;

-- The first time the paid service of a ticket was completed (its summary sent): work after a
-- reopening inside the warranty charges nothing more (P18).
ALTER TABLE tickets ADD COLUMN service_completed_at TEXT;
