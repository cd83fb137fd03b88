-- Live chat inside a ticket (issue 15): a chat is a request for real-time attention on a
-- ticket; its messages are the ticket's own messages. One chat per ticket.
CREATE TABLE chats (
  ticket_id    TEXT PRIMARY KEY REFERENCES tickets(id),
  requester_id TEXT NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL,
  taken_by     TEXT REFERENCES users(id),
  taken_at     TEXT
);
-- The agents' live queue: waiting chats first, oldest first.
CREATE INDEX chats_queue ON chats (taken_by, requested_at);
