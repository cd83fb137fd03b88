-- Issue 16 (6): a retry with an Idempotency-Key replays the ticket only for the same body.
-- SHA-256 of the request body as the API parsed it; NULL for tickets created before this
-- column (their key keeps replaying, as before).
ALTER TABLE tickets ADD COLUMN idempotency_fingerprint TEXT;
