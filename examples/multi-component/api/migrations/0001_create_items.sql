-- The items the API lists, with a few rows so a fresh database has something to show.
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
INSERT INTO items (name) VALUES ('teapot'), ('kettle'), ('mug');
