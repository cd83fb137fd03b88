-- Tickets (issue 5): global arrival order of messages, the FIFO line and query indexes.

-- Messages are shown in arrival order: `seq` is assigned MAX(seq)+1 inside the INSERT
-- (D1 serialises writes), so concurrent replies keep a total order even within a second.
ALTER TABLE messages ADD COLUMN seq INTEGER;
UPDATE messages SET seq = rowid WHERE seq IS NULL;
CREATE UNIQUE INDEX messages_seq ON messages(seq);
CREATE INDEX messages_ticket_seq ON messages(ticket_id, seq);
CREATE INDEX messages_flagged_author ON messages(author_id) WHERE flagged = 1;

-- The display number is assigned in arrival order, so it is the FIFO key (P8).
-- The line = tickets waiting for staff (new, open).
CREATE INDEX tickets_line ON tickets(number) WHERE status IN ('new', 'open');
CREATE INDEX tickets_company_number ON tickets(company_id, number);
CREATE INDEX tickets_requester_number ON tickets(requester_id, number);
CREATE INDEX tickets_assignee_number ON tickets(assignee_id, number);
CREATE INDEX tickets_service_number ON tickets(service_id, number);
CREATE INDEX tickets_status_number ON tickets(status, number);
CREATE INDEX tickets_merged_into ON tickets(merged_into) WHERE merged_into IS NOT NULL;

CREATE INDEX attachments_message ON attachments(message_id);
CREATE INDEX events_kind ON events(kind, created_at);
