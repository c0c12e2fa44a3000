-- SafeTill schema, version 16 (SQLite): the back office (issue 16, "First start and back office").
-- - products.retired_at: a product taken off the till (UTC storage time), NULL while it is sold.
--   A product is never deleted by the back office: order lines name it by SKU, and its old
--   receipts keep showing it (they print the name and price stored on the line).
-- - products.open_price: 1 when the till asks for the price each time it is sold (the catalog
--   price is then a suggestion).
-- - product_categories: the order of the categories on the till (position, smallest first).
--   A category that products name but that has no row here comes after those that have one.
--   Written by model/CatalogService only.
-- - backoffice_history: who changed what in the catalog and the cashiers, and when (one row per
--   change, in the same transaction as the change). actor_id is NULL for a change made without a
--   signed-in person (the command line, the first-start set-up before a manager exists);
--   approved_by names the manager who approved a cashier's change. Written by
--   model/BackOfficeHistory only.

ALTER TABLE products ADD COLUMN retired_at TEXT;
ALTER TABLE products ADD COLUMN open_price INTEGER NOT NULL DEFAULT 0 CHECK (open_price IN (0, 1));

CREATE TABLE product_categories (
    name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    position INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE backoffice_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id TEXT,
    approved_by TEXT,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('product', 'category', 'catalog', 'cashier')),
    subject TEXT NOT NULL,
    action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX backoffice_history_subject ON backoffice_history (subject_kind, subject, id);
