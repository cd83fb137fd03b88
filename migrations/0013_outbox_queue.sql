-- Issue 11: delivery through Cloudflare Queues. The outbox stays the record (written in the
-- change's own batch); the queue carries row ids to the consumer, which claims each row with
-- the same guarded UPDATE … RETURNING as before. `claimed_at`: when the row was last taken
-- (cleared when it is sent or handed back for a retry), so "in flight" is visible.
ALTER TABLE outbox ADD COLUMN claimed_at TEXT;
-- How the dev transport got the message: 'queue' (the consumer) or 'drain' (no queue bound).
ALTER TABLE dev_mailbox ADD COLUMN via TEXT;
