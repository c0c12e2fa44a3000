-- SafeTill schema, version 11 (SQLite): the shop's own settings (name, address, tax number,
-- footer, currency, prices with or without tax, cash rounding) and taxes (issue 14).
--
-- shop_settings keeps its rows; the names and values are now checked by their one writer,
-- model/ShopSettings.cpp (a fixed list there, documented in `safetill-cli shop show`), so that a
-- new setting needs no schema change. Values up to 500 characters (address lines, footer).

CREATE TABLE shop_settings_v10 (
    name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    value TEXT NOT NULL CHECK (length(value) <= 500),
    updated_at TEXT NOT NULL
);
INSERT INTO shop_settings_v10 (name, value, updated_at)
    SELECT name, value, updated_at FROM shop_settings;
DROP TABLE shop_settings;
ALTER TABLE shop_settings_v10 RENAME TO shop_settings;

-- Tax rates by code (STD, RED, ZERO, ...), a rate in basis points (2000 = 20 %, 550 = 5.5 %).
-- Written by model/CatalogService.cpp only. A rate is never deleted while a product uses it.
CREATE TABLE tax_rates (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 16),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    updated_at TEXT NOT NULL
);

-- Each product has at most one rate (none: untaxed); model/CatalogService.cpp checks the code is
-- one of tax_rates (no foreign key: a till pulls products and rates from its server in one step).
ALTER TABLE products ADD COLUMN tax_code TEXT CHECK (tax_code IS NULL OR length(tax_code) BETWEEN 1 AND 16);

-- The tax that applied to a line when it was added, kept with the line: changing a rate or the
-- shop's prices-include-tax setting later never changes an order already rung up, nor a past
-- receipt. tax_code '' is an untaxed line. Lines of earlier versions were untaxed, tax-inclusive.

ALTER TABLE order_lines ADD COLUMN tax_code TEXT NOT NULL DEFAULT '' CHECK (length(tax_code) <= 16);
ALTER TABLE order_lines ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 0
    CHECK (tax_rate_bp BETWEEN 0 AND 10000);
ALTER TABLE order_lines ADD COLUMN price_includes_tax INTEGER NOT NULL DEFAULT 1
    CHECK (price_includes_tax IN (0, 1));

-- A synced till pulls the tax rates and the shop's settings with the catalog (server/SyncApi.cpp):
-- a change to either is a new revision, so a new ETag.
CREATE TRIGGER sync_catalog_tax_insert AFTER INSERT ON tax_rates
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER sync_catalog_tax_update AFTER UPDATE ON tax_rates
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER sync_catalog_tax_delete AFTER DELETE ON tax_rates
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER sync_catalog_shop_insert AFTER INSERT ON shop_settings
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER sync_catalog_shop_update AFTER UPDATE ON shop_settings
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;
CREATE TRIGGER sync_catalog_shop_delete AFTER DELETE ON shop_settings
BEGIN
    UPDATE sync_catalog_state SET revision = revision + 1 WHERE id = 1;
END;
