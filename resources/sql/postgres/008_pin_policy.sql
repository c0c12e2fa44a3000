-- SafeTill schema, version 8 (PostgreSQL): which cashiers' PIN hashes a till receives, and the
-- shop's PIN policy; the same objects as resources/sql/sqlite/008_pin_policy.sql.

-- A device gets every active cashier by default; `safetill-server device cashiers DEVICE --set`
-- restricts it to the cashiers listed in device_cashiers (written by server/AuthStore.cpp only).
ALTER TABLE devices ADD COLUMN cashiers_restricted INTEGER NOT NULL DEFAULT 0
    CHECK (cashiers_restricted IN (0, 1));
CREATE TABLE device_cashiers (
    device_id TEXT NOT NULL REFERENCES devices (id),
    cashier_id TEXT NOT NULL REFERENCES cashiers (id),
    PRIMARY KEY (device_id, cashier_id)
);

-- A device's list is part of its pull's ETag: every change advances the revision.
CREATE TRIGGER sync_catalog_device_cashiers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON device_cashiers FOR EACH STATEMENT EXECUTE FUNCTION sync_catalog_changed();
CREATE TRIGGER sync_catalog_device_restricted AFTER UPDATE OF cashiers_restricted ON devices
    FOR EACH STATEMENT EXECUTE FUNCTION sync_catalog_changed();

-- The number of digits of the PIN behind pin_hash (NULL: set before this version, or pulled).
ALTER TABLE cashiers ADD COLUMN pin_digits INTEGER
    CHECK (pin_digits IS NULL OR pin_digits BETWEEN 4 AND 12);

-- Settings every server process shares (written by model/ShopSettings.cpp only).
CREATE TABLE shop_settings (
    name TEXT PRIMARY KEY CHECK (name IN ('min_pin_digits')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
    updated_at TEXT NOT NULL
);
