-- SafeTill schema, version 3 (SQLite): what the sync endpoints of the central server need
-- (docs/sync-protocol.md). The same migration runs on terminals, where these objects are idle.

-- The pull's ETag: a random id of this database plus a revision that every change to the cashiers
-- or the catalog advances (triggers below), so an unchanged pull costs one row read, and a restored
-- or replaced database never answers "unchanged" to a terminal that synced with another one.
CREATE TABLE sync_catalog_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    database_id TEXT NOT NULL CHECK (length(database_id) = 32),
    revision INTEGER NOT NULL CHECK (revision >= 1)
);
INSERT INTO sync_catalog_state (id, database_id, revision) VALUES (1, lower(hex(randomblob(16))), 1);

CREATE TRIGGER sync_catalog_cashier_insert AFTER INSERT ON cashiers
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_cashier_update AFTER UPDATE ON cashiers
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_cashier_delete AFTER DELETE ON cashiers
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_product_insert AFTER INSERT ON products
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_product_update AFTER UPDATE ON products
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_product_delete AFTER DELETE ON products
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

-- Each device's receipt prefix ("T" and digits), assigned by its first pull. Unique, so the
-- receipt numbers of two terminals never collide; locally made prefixes are hex and never start
-- with "T".
ALTER TABLE devices ADD COLUMN receipt_prefix TEXT
    CHECK (receipt_prefix IS NULL OR (length(receipt_prefix) BETWEEN 2 AND 8 AND receipt_prefix LIKE 'T%'));
CREATE UNIQUE INDEX devices_one_receipt_prefix ON devices (receipt_prefix)
    WHERE receipt_prefix IS NOT NULL;
