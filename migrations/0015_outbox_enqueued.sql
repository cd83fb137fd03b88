-- Issue 11: when a row was last put on the queue. A dispatch takes only rows not queued in
-- the last two minutes (one guarded UPDATE … RETURNING, so concurrent dispatches split them),
-- instead of re-sending every due row that is still waiting in the queue (the benchmark
-- saw each back-to-back cron run queue the same 100 rows again). Sending, handing back for a
-- retry or giving up clears it.
ALTER TABLE outbox ADD COLUMN enqueued_at TEXT;
