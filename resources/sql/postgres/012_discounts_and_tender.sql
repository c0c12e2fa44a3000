-- SafeTill schema, version 12 (PostgreSQL): discounts, price overrides and split tender (issue 14).
-- The same as on SQLite (resources/sql/sqlite/012_discounts_and_tender.sql, which explains each
-- column); PostgreSQL changes the payments' constraints in place.

ALTER TABLE order_lines
    ADD COLUMN discount_kind TEXT NOT NULL DEFAULT ''
        CHECK (discount_kind IN ('', 'percent', 'amount')),
    ADD COLUMN discount_value BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN discount_reason TEXT NOT NULL DEFAULT '' CHECK (length(discount_reason) <= 200),
    ADD COLUMN discount_by TEXT,
    ADD COLUMN list_price_cents BIGINT
        CHECK (list_price_cents IS NULL OR list_price_cents BETWEEN 0 AND 99999999),
    ADD COLUMN price_reason TEXT NOT NULL DEFAULT '' CHECK (length(price_reason) <= 200),
    ADD CONSTRAINT order_lines_discount_value CHECK (
        discount_value >= 0 AND (discount_kind <> 'percent' OR discount_value <= 10000)
        AND (discount_kind <> '' OR discount_value = 0));

ALTER TABLE order_sessions
    ADD COLUMN discount_kind TEXT NOT NULL DEFAULT ''
        CHECK (discount_kind IN ('', 'percent', 'amount')),
    ADD COLUMN discount_value BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN discount_reason TEXT NOT NULL DEFAULT '' CHECK (length(discount_reason) <= 200),
    ADD COLUMN discount_by TEXT,
    ADD COLUMN paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    ADD CONSTRAINT order_sessions_discount_value CHECK (
        discount_value >= 0 AND (discount_kind <> 'percent' OR discount_value <= 10000)
        AND (discount_kind <> '' OR discount_value = 0));
UPDATE order_sessions o SET paid_cents = s.paid
    FROM (SELECT order_id, SUM(amount_cents)::BIGINT AS paid FROM payments
          WHERE order_id IS NOT NULL AND kind = 'sale' GROUP BY order_id) s
    WHERE o.id = s.order_id;

ALTER TABLE tabs ADD COLUMN paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0);
UPDATE tabs t SET paid_cents = s.paid
    FROM (SELECT tab_id, SUM(amount_cents)::BIGINT AS paid FROM payments
          WHERE tab_id IS NOT NULL AND kind = 'sale' GROUP BY tab_id) s
    WHERE t.id = s.tab_id;


-- The checks that rounding changes, found by what they say (PostgreSQL named them in 006 after
-- the table they were created on; a multi-column check gets a numbered name).
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'payments'::regclass AND contype = 'c'
               AND (pg_get_constraintdef(oid) LIKE '%method = ANY%'
                    OR pg_get_constraintdef(oid) = 'CHECK ((tendered_cents >= amount_cents))'
                    OR pg_get_constraintdef(oid) =
                       'CHECK ((change_cents = (tendered_cents - amount_cents)))')
    LOOP
        EXECUTE format('ALTER TABLE payments DROP CONSTRAINT %I', c.conname);
    END LOOP;
END;
$$;
ALTER TABLE payments
    ALTER COLUMN receipt_no DROP NOT NULL,
    ADD COLUMN label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 60),
    ADD COLUMN rounding_cents BIGINT NOT NULL DEFAULT 0
        CHECK (rounding_cents BETWEEN -10000 AND 10000),
    ADD CONSTRAINT payments_method CHECK (method IN ('cash', 'card', 'other')),
    ADD CONSTRAINT payments_tendered CHECK (tendered_cents >= amount_cents + rounding_cents),
    ADD CONSTRAINT payments_change
        CHECK (change_cents = tendered_cents - amount_cents - rounding_cents),
    ADD CONSTRAINT payments_rounding_is_cash CHECK (method = 'cash' OR rounding_cents = 0),
    ADD CONSTRAINT payments_label_is_other CHECK ((method = 'other') = (label <> ''));

-- The receipts list lists the payment that carries the receipt number (the last of a split
-- tender; due_cents is its order's total).
DROP INDEX payments_sales_by_time;
DROP INDEX payments_sales_by_amount;
CREATE INDEX payments_sales_by_time ON payments (paid_at, receipt_no)
    WHERE kind = 'sale' AND receipt_no IS NOT NULL;
CREATE INDEX payments_sales_by_amount ON payments (due_cents, paid_at, receipt_no)
    WHERE kind = 'sale' AND receipt_no IS NOT NULL;

-- An order's lines as the result JSON shows them and its total, as model/Json.cpp and
-- model/Tax.cpp make them: one function for safetill_add_items and safetill_replace_items.
CREATE OR REPLACE FUNCTION safetill_order_lines_total(p_order_id TEXT, p_discount_kind TEXT,
                                                      p_discount_value BIGINT,
                                                      OUT o_lines JSONB, OUT o_total BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    v_discount BIGINT;
BEGIN
    SELECT jsonb_agg(jsonb_build_object(
               'line', l.line_no, 'sku', l.sku, 'name', l.name,
               'unit_price_cents', l.unit_price_cents, 'qty', l.quantity,
               'total_cents', l.amount - l.off, 'line_id', l.line_id,
               'tax_code', l.tax_code, 'tax_rate_bp', l.tax_rate_bp,
               'price_includes_tax', l.price_includes_tax = 1)
               || CASE WHEN l.discount_kind = '' THEN '{}'::JSONB
                       ELSE jsonb_build_object(
                           'discount', jsonb_build_object(
                               'kind', l.discount_kind, 'value', l.discount_value,
                               'reason', l.discount_reason, 'by', l.discount_by),
                           'discount_cents', l.off) END
               || CASE WHEN l.list_price_cents IS NULL THEN '{}'::JSONB
                       ELSE jsonb_build_object('list_price_cents', l.list_price_cents,
                                               'price_reason', l.price_reason) END
               ORDER BY l.line_no),
           COALESCE(SUM(l.amount - l.off), 0)::BIGINT
        INTO o_lines, o_total
        FROM (SELECT x.*, x.unit_price_cents * x.quantity AS amount,
                     CASE x.discount_kind
                         WHEN 'percent' THEN (x.unit_price_cents * x.quantity
                                              * x.discount_value + 5000) / 10000
                         WHEN 'amount' THEN LEAST(x.discount_value,
                                                  x.unit_price_cents * x.quantity)
                         ELSE 0 END AS off
              FROM order_lines x WHERE x.order_id = p_order_id) l;
    -- The order's total as model/Tax.cpp taxTable() makes it: the order discount (of
    -- the lines' total, o_total here) shared across the groups of one tax code, rate
    -- and pricing mode in proportion, the cents left over going to the largest
    -- remainders (ties in the groups' key order: code, rate, mode); then each group's
    -- tax added when its prices exclude it, rounded half away from zero.
    v_discount := CASE p_discount_kind
        WHEN 'percent' THEN (o_total * p_discount_value + 5000) / 10000
        WHEN 'amount' THEN LEAST(p_discount_value, o_total)
        ELSE 0 END;
    SELECT COALESCE(SUM(x.amount + CASE WHEN x.tax_code <> '' AND x.price_includes_tax = 0
                                       THEN (x.amount * x.tax_rate_bp + 5000) / 10000
                                       ELSE 0 END), 0)::BIGINT
        INTO o_total
        FROM (SELECT g.tax_code, g.tax_rate_bp, g.price_includes_tax,
                     g.amount - g.share
                     - CASE WHEN ROW_NUMBER() OVER (
                                     ORDER BY g.remainder DESC, g.tax_code COLLATE "C",
                                              g.tax_rate_bp, g.price_includes_tax)
                                 <= v_discount - SUM(g.share) OVER ()
                            THEN 1 ELSE 0 END AS amount
              FROM (SELECT s.*,
                           CASE WHEN o_total > 0 THEN s.amount * v_discount / o_total
                                ELSE 0 END AS share,
                           CASE WHEN o_total > 0 THEN s.amount * v_discount % o_total
                                ELSE 0 END AS remainder
                    FROM (SELECT l.tax_code, l.tax_rate_bp, l.price_includes_tax,
                                 SUM(l.unit_price_cents * l.quantity - CASE l.discount_kind
                                     WHEN 'percent' THEN (l.unit_price_cents * l.quantity
                                                          * l.discount_value + 5000) / 10000
                                     WHEN 'amount' THEN LEAST(l.discount_value,
                                                              l.unit_price_cents * l.quantity)
                                     ELSE 0 END)::BIGINT AS amount
                          FROM order_lines l WHERE l.order_id = p_order_id
                          GROUP BY l.tax_code, l.tax_rate_bp, l.price_includes_tax) s) g) x;
END;
$$;

-- The batched write functions of 011, now also: an order that took money (paid_cents > 0) is
-- refused like OrderStore::bumpUnpaid refuses it; a replace refuses an order with a discounted
-- or re-priced line (outcome 'discounted', detail its line number) as OrderService::replaceLines
-- does; the result carries the lines' and the order's discounts and overrides as model/Json.cpp
-- toJson(Order) does (tst_orderservice and tst_taxes compare them on PostgreSQL).
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
    v_lines_json JSONB;
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
                   o.logout_time, o.completed_at, o.terminal_id, o.line_seq, o.paid_cents,
                   o.discount_kind, o.discount_value, o.discount_reason, o.discount_by, c.name AS cashier_name,
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
            -- Once money was taken the items are locked (OrderStore::bumpUnpaid): the caller's
            -- refusal() explains it.
            IF v_order.status <> 'active' OR v_order.paid_cents > 0 THEN
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
            -- A line's "discount" and "discount_cents" only when it has one, "list_price_cents" and
            -- "price_reason" only when its price was overridden, its total after its discount
            -- (Discount::of: a percent rounded half away from zero, an amount at most all).
            SELECT t.o_lines, t.o_total INTO v_lines_json, v_total
                FROM safetill_order_lines_total(v_order.id, v_order.discount_kind,
                                                v_order.discount_value) t;
            result := (jsonb_build_object(
                'id', v_order.id, 'cashier_id', v_cashier_id, 'cashier', v_order.cashier_name,
                'status', 'active', 'version', v_order.version + 1,
                'lines', COALESCE(v_lines_json, '[]'::JSONB), 'total_cents', v_total,
                'tab_id', v_order.tab_id, 'tab', v_order.tab_name,
                'receipt_no', v_order.receipt_no, 'created_at', v_order.created_at,
                'updated_at', p_now, 'logout_time', v_order.logout_time,
                'completed_at', v_order.completed_at, 'payment', NULL,
                'payments', '[]'::JSONB, 'terminal_id', v_order.terminal_id)
                || CASE WHEN v_order.discount_kind = '' THEN '{}'::JSONB
                        ELSE jsonb_build_object('discount', jsonb_build_object(
                            'kind', v_order.discount_kind, 'value', v_order.discount_value,
                            'reason', v_order.discount_reason, 'by', v_order.discount_by)) END
                )::TEXT;
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
    v_lines_json JSONB;
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
                   o.logout_time, o.completed_at, o.terminal_id, o.line_seq, o.paid_cents,
                   o.discount_kind, o.discount_value, o.discount_reason, o.discount_by,
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
            IF v_order.status <> 'active' OR v_order.version <> v_expected
               OR v_order.paid_cents > 0 THEN
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

            -- A replace makes new lines: it would silently drop a discount or a changed price
            -- (OrderService::replaceLines refuses it the same way; detail: the first such line).
            SELECT l.line_no::TEXT INTO detail FROM order_lines l
                WHERE l.order_id = v_order.id
                  AND (l.discount_kind <> '' OR l.list_price_cents IS NOT NULL)
                ORDER BY l.line_no LIMIT 1;
            IF detail IS NOT NULL THEN
                outcome := 'discounted'; EXIT one_replace;
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
            -- A line's "discount" and "discount_cents" only when it has one, "list_price_cents" and
            -- "price_reason" only when its price was overridden, its total after its discount
            -- (Discount::of: a percent rounded half away from zero, an amount at most all).
            SELECT t.o_lines, t.o_total INTO v_lines_json, v_total
                FROM safetill_order_lines_total(v_order.id, v_order.discount_kind,
                                                v_order.discount_value) t;
            result := (jsonb_build_object(
                'id', v_order.id, 'cashier_id', v_cashier_id, 'cashier', v_order.cashier_name,
                'status', 'active', 'version', v_order.version + 1,
                'lines', COALESCE(v_lines_json, '[]'::JSONB), 'total_cents', v_total,
                'tab_id', v_order.tab_id, 'tab', v_order.tab_name,
                'receipt_no', v_order.receipt_no, 'created_at', v_order.created_at,
                'updated_at', p_now, 'logout_time', v_order.logout_time,
                'completed_at', v_order.completed_at, 'payment', NULL,
                'payments', '[]'::JSONB, 'terminal_id', v_order.terminal_id)
                || CASE WHEN v_order.discount_kind = '' THEN '{}'::JSONB
                        ELSE jsonb_build_object('discount', jsonb_build_object(
                            'kind', v_order.discount_kind, 'value', v_order.discount_value,
                            'reason', v_order.discount_reason, 'by', v_order.discount_by)) END
                )::TEXT;
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
