-- Expand only: a nullable-safe column with a default, so the version still serving keeps working.
ALTER TABLE items ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS idx_items_created_at ON items (created_at);
