-- SafeTill schema, version 3 (PostgreSQL): what the sync endpoints of the central server need
-- (docs/sync-protocol.md); the same objects as resources/sql/sqlite/003_sync.sql.

-- The pull's ETag: a random id of this database plus a revision that every change to the cashiers
-- or the catalog advances (statement triggers below), so an unchanged pull costs one row read, and
-- a restored or replaced database never answers "unchanged" to a terminal that synced with another.
CREATE TABLE sync_catalog_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    database_id TEXT NOT NULL CHECK (length(database_id) = 32),
    revision BIGINT NOT NULL CHECK (revision >= 1)
);
INSERT INTO sync_catalog_state (id, database_id, revision) VALUES (1, md5(random()::text || clock_timestamp()::text), 1);

CREATE FUNCTION sync_catalog_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER sync_catalog_cashiers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cashiers
    FOR EACH STATEMENT EXECUTE FUNCTION sync_catalog_changed();

CREATE TRIGGER sync_catalog_products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION sync_catalog_changed();

-- Each device's receipt prefix ("T" and digits), assigned by its first pull. Unique, so the
-- receipt numbers of two terminals never collide; locally made prefixes are hex and never start
-- with "T".
ALTER TABLE devices ADD COLUMN receipt_prefix TEXT
    CHECK (receipt_prefix IS NULL OR (length(receipt_prefix) BETWEEN 2 AND 8 AND receipt_prefix LIKE 'T%'));
CREATE UNIQUE INDEX devices_one_receipt_prefix ON devices (receipt_prefix)
    WHERE receipt_prefix IS NOT NULL;
