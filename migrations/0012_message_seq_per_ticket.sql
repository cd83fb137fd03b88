-- Issue 16 (6): a message's `seq` is its place within its ticket (1, 2, …), no longer a
-- number shared by every ticket of every company (whose gaps told a client how busy the
-- desk was). Still assigned MAX(seq)+1 inside the guarded INSERT, now per ticket, and unique
-- per ticket so two concurrent writers can never share one.
DROP INDEX messages_seq;
DROP INDEX messages_ticket_seq;
CREATE TABLE message_seq_renumber AS
  SELECT id, ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY seq) AS n FROM messages;
UPDATE messages SET seq = (SELECT n FROM message_seq_renumber r WHERE r.id = messages.id);
DROP TABLE message_seq_renumber;
CREATE UNIQUE INDEX messages_ticket_seq ON messages(ticket_id, seq);
