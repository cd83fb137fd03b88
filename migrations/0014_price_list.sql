-- Issue 13: the price list ("tabulador", P20). An item keeps its id; every price change is a
-- new row of `price_versions` and the earlier ones stay (a quote keeps the prices it was made
-- with; the history shows when each price held). Versions are append-only.
CREATE TABLE price_items (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- 0: no longer offered (kept for the quotes that name it).
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE price_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id TEXT NOT NULL REFERENCES price_items(id),
  standard_hours INTEGER NOT NULL CHECK (standard_hours BETWEEN 1 AND 1000),
  standard_cents INTEGER NOT NULL CHECK (standard_cents BETWEEN 0 AND 100000000),
  preferential_cents INTEGER NOT NULL
    CHECK (preferential_cents BETWEEN 0 AND 100000000 AND preferential_cents <= standard_cents),
  valid_from TEXT NOT NULL,
  created_by TEXT REFERENCES users(id)
);
CREATE INDEX price_versions_item ON price_versions(item_id, id);
CREATE TRIGGER price_versions_append_only_update BEFORE UPDATE ON price_versions
BEGIN SELECT RAISE(ABORT, 'price versions are append-only'); END;
CREATE TRIGGER price_versions_append_only_delete BEFORE DELETE ON price_versions
BEGIN SELECT RAISE(ABORT, 'price versions are append-only'); END;
