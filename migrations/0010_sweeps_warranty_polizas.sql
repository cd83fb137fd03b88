-- Issue 11, sweeps 3 and 4 and the breach reason: the warranty end (P18), póliza notices
-- (P19, P22), overdue invoices (P26), and the queue's at-risk / breached filter (P9).

-- Warranty end: the `reopen_until` the ticket was declared final for (a ticket reopened by
-- staff and resolved again gets a new window and is declared final again for it).
ALTER TABLE tickets ADD COLUMN warranty_ended_for TEXT;
-- Only the windows not declared final yet, soonest first: a no-op run reads nothing.
CREATE INDEX tickets_warranty_due ON tickets(reopen_until)
  WHERE reopen_until IS NOT NULL AND status IN ('resolved', 'closed')
    AND warranty_ended_for IS NOT reopen_until;

-- Póliza notices, once each per póliza (the instant it was sent).
ALTER TABLE contracts ADD COLUMN notice_expiring_at TEXT;
ALTER TABLE contracts ADD COLUMN notice_hours_at TEXT;
ALTER TABLE contracts ADD COLUMN notice_expired_at TEXT;
CREATE INDEX contracts_notice_pending ON contracts(starts_on)
  WHERE notice_expired_at IS NULL;

-- Overdue invoice notice, once per invoice.
ALTER TABLE invoices ADD COLUMN overdue_notified_at TEXT;
CREATE INDEX invoices_overdue_pending ON invoices(due_on)
  WHERE paid_on IS NULL AND overdue_notified_at IS NULL;

-- The SLA sweep looks only at targets not marked breached yet (the 0007 index also held the
-- breached ones, which stay open and were read again by every run).
CREATE INDEX tickets_sla_unmarked ON tickets(due_at)
  WHERE status IN ('new', 'open') AND paused_since IS NULL AND due_at IS NOT NULL
    AND sla_breach_for IS NOT due_at;
DROP INDEX tickets_sla_running;

-- Breach reason (P9): `sla_breach_reason` (0007) holds the code of a fixed list, this the
-- staff's free text; both apply to the target `sla_breach_for`.
ALTER TABLE tickets ADD COLUMN sla_breach_note TEXT;
-- The queue's `sla=at_risk` / `sla=breached` filters, in arrival order.
CREATE INDEX tickets_sla_breached_arrival ON tickets(created_at, id)
  WHERE status IN ('new', 'open') AND sla_breach_for = due_at;
CREATE INDEX tickets_sla_at_risk_arrival ON tickets(created_at, id)
  WHERE status IN ('new', 'open') AND sla_risk_for = due_at AND sla_breach_for IS NOT due_at;
