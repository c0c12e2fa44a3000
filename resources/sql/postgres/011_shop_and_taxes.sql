-- SafeTill schema, version 11 (PostgreSQL): the shop's own settings (name, address, tax number,
-- footer, currency, prices with or without tax, cash rounding) and taxes (issue 14).
--
-- shop_settings keeps its rows; the names and values are now checked by their one writer,
-- model/ShopSettings.cpp (a fixed list there, documented in `safetill-cli shop show`), so that a
-- new setting needs no schema change. Values up to 500 characters (address lines, footer).

ALTER TABLE shop_settings DROP CONSTRAINT shop_settings_name_check;
ALTER TABLE shop_settings DROP CONSTRAINT shop_settings_value_check;
ALTER TABLE shop_settings ADD CONSTRAINT shop_settings_name_check
    CHECK (length(name) BETWEEN 1 AND 64);
ALTER TABLE shop_settings ADD CONSTRAINT shop_settings_value_check CHECK (length(value) <= 500);

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
-- Every writer names a new line's tax: OrderStore::insertLine (its snapshot from
-- OrderStore::withCurrentTax()), and the two server-side functions below, which take the same
-- snapshot in SQL (the product's rate, the shop's default-tax for an open-price item, the shop's
-- prices-include-tax; the shop's settings read once per call). tst_taxes compares the functions'
-- lines with OrderStore's. The defaults above are for the rows of earlier versions, as on SQLite.

-- The batched write functions of 006 and 009, unchanged but for each new line's tax (above) and
-- the lines of their result, which carry it as model/Json.cpp toJson(OrderLine) does.
CREATE OR REPLACE FUNCTION safetill_add_items(p_requests TEXT, p_now TEXT, p_max_qty INTEGER,
                                   p_max_lines INTEGER)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    v_included INTEGER;
    v_default_tax TEXT;
    v_tax_code TEXT;
    v_tax_rate INTEGER;
    request JSON;
    v_request_id TEXT;
    v_action TEXT;
    v_fingerprint TEXT;
    v_cashier_id TEXT;
    v_sku TEXT;
    v_qty INTEGER;
    stored RECORD;
    v_order RECORD;
    v_name TEXT;
    v_price BIGINT;
    v_line_no INTEGER;
    v_line_qty INTEGER;
    v_line_id TEXT;
    v_terminal_id TEXT;
    v_lines INTEGER;
    v_lines_json JSON;
    v_total BIGINT;
BEGIN
    SELECT terminal_id INTO v_terminal_id FROM terminal WHERE id = 1;
    v_included := COALESCE((SELECT CASE s.value WHEN 'no' THEN 0 ELSE 1 END FROM shop_settings s
                            WHERE s.name = 'prices_include_tax'), 1);
    v_default_tax := (SELECT s.value FROM shop_settings s WHERE s.name = 'default_tax');
    ordinal := -1;
    FOR request IN SELECT value FROM json_array_elements(p_requests::JSON) LOOP
        ordinal := ordinal + 1;
        outcome := NULL; order_id := NULL; detail := NULL; result := NULL;
        v_request_id := request->>'request_id';
        v_action := request->>'action';
        v_fingerprint := request->>'fingerprint';
        v_cashier_id := request->>'cashier_id';
        v_sku := request->>'sku';
        v_qty := (request->>'qty')::INTEGER;
        v_name := request->>'name';
        v_price := (request->>'unit_price_cents')::BIGINT;
        v_line_no := NULL;
        v_line_qty := NULL;
        v_line_id := NULL;

        <<one_add>>
        BEGIN
            SELECT i.action, i.fingerprint, i.result INTO stored
                FROM idempotency i WHERE i.request_id = v_request_id;
            IF FOUND THEN
                IF stored.action <> v_action OR stored.fingerprint <> v_fingerprint THEN
                    outcome := 'reused'; detail := stored.action; EXIT one_add;
                END IF;
                outcome := 'replay'; result := stored.result; EXIT one_add;
            END IF;

            -- The cashier's open order, locked: a concurrent edit is waited for, and then the
            -- row is read again (READ COMMITTED), so a commit that closed the order makes it not
            -- found here. Adding never opens an order.
            SELECT o.id, o.status, o.version, o.tab_id, o.receipt_no, o.created_at,
                   o.logout_time, o.completed_at, o.terminal_id, o.line_seq, c.name AS cashier_name,
                   t.name AS tab_name
                INTO v_order
                FROM order_sessions o
                JOIN cashiers c ON c.id = o.cashier_id
                LEFT JOIN tabs t ON t.id = o.tab_id
                WHERE o.terminal_id = v_terminal_id AND o.cashier_id = v_cashier_id
                  AND o.status IN ('active', 'pending_logout')
                FOR UPDATE OF o;
            IF NOT FOUND THEN
                outcome := 'no_order'; EXIT one_add;
            END IF;
            order_id := v_order.id;
            IF v_order.status <> 'active' THEN
                outcome := 'refused'; EXIT one_add;
            END IF;

            IF v_sku IS NOT NULL THEN
                SELECT p.name, p.price_cents, l.line_no, l.quantity, l.line_id
                    INTO v_name, v_price, v_line_no, v_line_qty, v_line_id
                    FROM products p
                    LEFT JOIN LATERAL (SELECT x.line_no, x.quantity, x.line_id FROM order_lines x
                                       WHERE x.order_id = v_order.id AND x.sku = p.sku
                                       ORDER BY x.line_no LIMIT 1) l ON TRUE
                    WHERE p.sku = v_sku;
                IF NOT FOUND THEN
                    outcome := 'unknown_sku'; EXIT one_add;
                END IF;
            END IF;

            IF v_line_no IS NOT NULL THEN
                IF v_line_qty + v_qty > p_max_qty THEN
                    outcome := 'line_full'; EXIT one_add;
                END IF;
                UPDATE order_lines l SET quantity = l.quantity + v_qty
                    WHERE l.order_id = v_order.id AND l.line_id = v_line_id;
                detail := format('line %s: %s +%s', v_line_no, v_sku, v_qty);
            ELSE
                SELECT COUNT(*) INTO v_lines FROM order_lines l WHERE l.order_id = v_order.id;
                IF v_lines >= p_max_lines THEN
                    outcome := 'order_full'; EXIT one_add;
                END IF;
                -- Line numbers are never reused: the order's line_seq, not MAX(line_no). The row
                -- is locked (FOR UPDATE above); line_seq is written with the version below.
                v_line_no := v_order.line_seq + 1;
                SELECT COALESCE(r.code, ''), COALESCE(r.rate_bp, 0) INTO v_tax_code, v_tax_rate
                    FROM (SELECT 1) AS one
                    LEFT JOIN tax_rates r ON r.code = CASE
                        WHEN v_sku IS NULL THEN v_default_tax
                        ELSE (SELECT p.tax_code FROM products p WHERE p.sku = v_sku) END;
                INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents,
                                         quantity, tax_code, tax_rate_bp, price_includes_tax)
                    VALUES (v_order.id, v_line_no, gen_random_uuid()::TEXT, v_sku, v_name,
                            v_price, v_qty, v_tax_code, v_tax_rate, v_included);
                IF v_sku IS NOT NULL THEN
                    detail := format('line %s: %s x%s', v_line_no, v_sku, v_qty);
                ELSE
                    detail := format('line %s: %s x%s at %s', v_line_no, v_name, v_qty, v_price);
                END IF;
            END IF;

            -- The result, in the shape of model/Json.cpp toJson(Order) (an active order has no
            -- payment; tst_server_pg compares the two).
            SELECT json_agg(json_build_object(
                       'line', l.line_no, 'sku', l.sku, 'name', l.name,
                       'unit_price_cents', l.unit_price_cents, 'qty', l.quantity,
                       'total_cents', l.unit_price_cents * l.quantity, 'line_id', l.line_id,
                       'tax_code', l.tax_code, 'tax_rate_bp', l.tax_rate_bp,
                       'price_includes_tax', l.price_includes_tax = 1)
                       ORDER BY l.line_no),
                   COALESCE(SUM(l.unit_price_cents * l.quantity), 0)::BIGINT
                INTO v_lines_json, v_total
                FROM order_lines l WHERE l.order_id = v_order.id;
            result := json_build_object(
                'id', v_order.id, 'cashier_id', v_cashier_id, 'cashier', v_order.cashier_name,
                'status', 'active', 'version', v_order.version + 1,
                'lines', COALESCE(v_lines_json, '[]'::JSON), 'total_cents', v_total,
                'tab_id', v_order.tab_id, 'tab', v_order.tab_name,
                'receipt_no', v_order.receipt_no, 'created_at', v_order.created_at,
                'updated_at', p_now, 'logout_time', v_order.logout_time,
                'completed_at', v_order.completed_at, 'payment', NULL,
                'payments', '[]'::JSON, 'terminal_id', v_order.terminal_id)::TEXT;
            -- The new version, its history entry and the stored result: one statement (each
            -- statement costs an executor of its own). A twin that committed meanwhile makes the
            -- last insert a unique violation: the caller rolls back and runs the add again, and
            -- the run again replays the twin's result.
            WITH bumped AS (
                UPDATE order_sessions o SET version = o.version + 1, updated_at = p_now,
                                            line_seq = GREATEST(o.line_seq, v_line_no)
                    WHERE o.id = v_order.id RETURNING o.id
            ), logged AS (
                INSERT INTO order_history (order_id, at, cashier_id, action, from_version,
                                           to_version, from_status, to_status, detail,
                                           request_id)
                    SELECT bumped.id, p_now, v_cashier_id, v_action, v_order.version,
                           v_order.version + 1, 'active', 'active', detail, v_request_id
                    FROM bumped
            )
            INSERT INTO idempotency (request_id, action, fingerprint, result, created_at)
                VALUES (v_request_id, v_action, v_fingerprint, result, p_now);
            outcome := 'ok';
        END one_add;
        RETURN NEXT;
    END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION safetill_replace_items(p_requests TEXT, p_now TEXT)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    v_included INTEGER;
    v_default_tax TEXT;
    v_tax_code TEXT;
    v_tax_rate INTEGER;
    request JSON;
    v_request_id TEXT;
    v_action TEXT;
    v_fingerprint TEXT;
    v_cashier_id TEXT;
    v_expected INTEGER;
    v_items JSON;
    v_count INTEGER;
    stored RECORD;
    v_order RECORD;
    v_terminal_id TEXT;
    v_lines_json JSON;
    v_total BIGINT;
BEGIN
    SELECT terminal_id INTO v_terminal_id FROM terminal WHERE id = 1;
    v_included := COALESCE((SELECT CASE s.value WHEN 'no' THEN 0 ELSE 1 END FROM shop_settings s
                            WHERE s.name = 'prices_include_tax'), 1);
    v_default_tax := (SELECT s.value FROM shop_settings s WHERE s.name = 'default_tax');
    ordinal := -1;
    FOR request IN SELECT value FROM json_array_elements(p_requests::JSON) LOOP
        ordinal := ordinal + 1;
        outcome := NULL; order_id := NULL; detail := NULL; result := NULL;
        v_request_id := request->>'request_id';
        v_action := request->>'action';
        v_fingerprint := request->>'fingerprint';
        v_cashier_id := request->>'cashier_id';
        v_expected := (request->>'expected_version')::INTEGER;
        v_items := request->'items';
        v_count := json_array_length(v_items);

        <<one_replace>>
        BEGIN
            SELECT i.action, i.fingerprint, i.result INTO stored
                FROM idempotency i WHERE i.request_id = v_request_id;
            IF FOUND THEN
                IF stored.action <> v_action OR stored.fingerprint <> v_fingerprint THEN
                    outcome := 'reused'; detail := stored.action; EXIT one_replace;
                END IF;
                outcome := 'replay'; result := stored.result; EXIT one_replace;
            END IF;

            -- The cashier's open order of this terminal, locked (OrderService::resolve, then the
            -- conditional version bump).
            SELECT o.id, o.status, o.version, o.tab_id, o.receipt_no, o.created_at,
                   o.logout_time, o.completed_at, o.terminal_id, o.line_seq,
                   c.name AS cashier_name, t.name AS tab_name
                INTO v_order
                FROM order_sessions o
                JOIN cashiers c ON c.id = o.cashier_id
                LEFT JOIN tabs t ON t.id = o.tab_id
                WHERE o.terminal_id = v_terminal_id AND o.cashier_id = v_cashier_id
                  AND o.status IN ('active', 'pending_logout')
                FOR UPDATE OF o;
            IF NOT FOUND THEN
                PERFORM 1 FROM cashiers c WHERE c.id = v_cashier_id;
                outcome := CASE WHEN FOUND THEN 'no_order' ELSE 'no_cashier' END;
                EXIT one_replace;
            END IF;
            order_id := v_order.id;
            IF v_order.status <> 'active' OR v_order.version <> v_expected THEN
                -- A twin with this id may have committed while this one waited for the lock:
                -- run serially, this request would have replayed it.
                SELECT i.action, i.fingerprint, i.result INTO stored
                    FROM idempotency i WHERE i.request_id = v_request_id;
                IF FOUND THEN
                    IF stored.action <> v_action OR stored.fingerprint <> v_fingerprint THEN
                        outcome := 'reused'; detail := stored.action; EXIT one_replace;
                    END IF;
                    outcome := 'replay'; result := stored.result; EXIT one_replace;
                END IF;
                outcome := 'refused'; EXIT one_replace;
            END IF;

            SELECT e.value->>'sku' INTO detail
                FROM json_array_elements(v_items) WITH ORDINALITY AS e(value, n)
                LEFT JOIN products p ON p.sku = e.value->>'sku'
                WHERE e.value->>'sku' IS NOT NULL AND p.sku IS NULL
                ORDER BY e.n LIMIT 1;
            IF detail IS NOT NULL THEN
                outcome := 'unknown_sku'; EXIT one_replace;
            END IF;

            -- The new lines: numbers after the order's line_seq (never reused), in the order
            -- given, a fresh id each; name and price from the catalog for a catalog item.
            WITH removed AS (
                DELETE FROM order_lines l WHERE l.order_id = v_order.id
            )
            INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents,
                                     quantity, tax_code, tax_rate_bp, price_includes_tax)
                SELECT v_order.id, v_order.line_seq + e.n::INTEGER, gen_random_uuid()::TEXT,
                       e.value->>'sku', COALESCE(p.name, e.value->>'name'),
                       COALESCE(p.price_cents, (e.value->>'unit_price_cents')::BIGINT),
                       (e.value->>'qty')::INTEGER, COALESCE(r.code, ''), COALESCE(r.rate_bp, 0),
                       v_included
                FROM json_array_elements(v_items) WITH ORDINALITY AS e(value, n)
                LEFT JOIN products p ON p.sku = e.value->>'sku'
                LEFT JOIN tax_rates r ON r.code = CASE
                    WHEN e.value->>'sku' IS NULL THEN v_default_tax ELSE p.tax_code END
                ORDER BY e.n;
            detail := format('%s lines', v_count);

            -- The result, in the shape of model/Json.cpp toJson(Order) (an active order has no
            -- payment; tst_orderservice compares the two).
            SELECT json_agg(json_build_object(
                       'line', l.line_no, 'sku', l.sku, 'name', l.name,
                       'unit_price_cents', l.unit_price_cents, 'qty', l.quantity,
                       'total_cents', l.unit_price_cents * l.quantity, 'line_id', l.line_id,
                       'tax_code', l.tax_code, 'tax_rate_bp', l.tax_rate_bp,
                       'price_includes_tax', l.price_includes_tax = 1)
                       ORDER BY l.line_no),
                   COALESCE(SUM(l.unit_price_cents * l.quantity), 0)::BIGINT
                INTO v_lines_json, v_total
                FROM order_lines l WHERE l.order_id = v_order.id;
            result := json_build_object(
                'id', v_order.id, 'cashier_id', v_cashier_id, 'cashier', v_order.cashier_name,
                'status', 'active', 'version', v_order.version + 1,
                'lines', COALESCE(v_lines_json, '[]'::JSON), 'total_cents', v_total,
                'tab_id', v_order.tab_id, 'tab', v_order.tab_name,
                'receipt_no', v_order.receipt_no, 'created_at', v_order.created_at,
                'updated_at', p_now, 'logout_time', v_order.logout_time,
                'completed_at', v_order.completed_at, 'payment', NULL,
                'payments', '[]'::JSON, 'terminal_id', v_order.terminal_id)::TEXT;
            -- The new version and line_seq, the history entry and the stored result: one
            -- statement. A twin that committed meanwhile makes the last insert a unique
            -- violation: the caller rolls back and runs the replace again, which replays it.
            WITH bumped AS (
                UPDATE order_sessions o SET version = o.version + 1, updated_at = p_now,
                                            line_seq = o.line_seq + v_count
                    WHERE o.id = v_order.id RETURNING o.id
            ), logged AS (
                INSERT INTO order_history (order_id, at, cashier_id, action, from_version,
                                           to_version, from_status, to_status, detail,
                                           request_id)
                    SELECT bumped.id, p_now, v_cashier_id, v_action, v_order.version,
                           v_order.version + 1, 'active', 'active', detail, v_request_id
                    FROM bumped
            )
            INSERT INTO idempotency (request_id, action, fingerprint, result, created_at)
                VALUES (v_request_id, v_action, v_fingerprint, result, p_now);
            outcome := 'ok';
        END one_replace;
        RETURN NEXT;
    END LOOP;
END;
$$;

-- A synced till pulls the tax rates and the shop's settings with the catalog (server/SyncApi.cpp):
-- a change to either is a new revision, so a new ETag.
CREATE TRIGGER sync_catalog_tax_rates_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON tax_rates FOR EACH STATEMENT EXECUTE FUNCTION sync_catalog_changed();
CREATE TRIGGER sync_catalog_shop_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON shop_settings FOR EACH STATEMENT EXECUTE FUNCTION sync_catalog_changed();
