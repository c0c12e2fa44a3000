-- SafeTill schema, version 8 (SQLite): which cashiers' PIN hashes a till receives, and the shop's
-- PIN policy (README, "What a stolen till reveals"). The same objects as
-- resources/sql/postgres/008_pin_policy.sql.

-- A device gets every active cashier by default; `safetill-server device cashiers DEVICE --set`
-- restricts it to the cashiers listed in device_cashiers (written by server/AuthStore.cpp only).
-- An empty restricted list is not offered: a till nobody may use is revoked instead.
ALTER TABLE devices ADD COLUMN cashiers_restricted INTEGER NOT NULL DEFAULT 0
    CHECK (cashiers_restricted IN (0, 1));
CREATE TABLE device_cashiers (
    device_id TEXT NOT NULL REFERENCES devices (id),
    cashier_id TEXT NOT NULL REFERENCES cashiers (id),
    PRIMARY KEY (device_id, cashier_id)
);

-- A device's list is part of what its pull answers, so of its ETag: every change advances the
-- revision, as a change to the cashiers does.
CREATE TRIGGER sync_catalog_device_cashier_insert AFTER INSERT ON device_cashiers
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_device_cashier_delete AFTER DELETE ON device_cashiers
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER sync_catalog_device_restricted AFTER UPDATE OF cashiers_restricted ON devices
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;

-- The number of digits of the PIN behind pin_hash, so `user list` can flag PINs shorter than the
-- policy; NULL for a PIN set before this version or pulled from a server (a pull never sends it).
ALTER TABLE cashiers ADD COLUMN pin_digits INTEGER
    CHECK (pin_digits IS NULL OR pin_digits BETWEEN 4 AND 12);

-- Settings every process on this database shares (written by model/ShopSettings.cpp only).
-- min_pin_digits: the fewest digits a new PIN may have (4 to 12; absent: 4).
CREATE TABLE shop_settings (
    name TEXT PRIMARY KEY CHECK (name IN ('min_pin_digits')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
    updated_at TEXT NOT NULL
);
