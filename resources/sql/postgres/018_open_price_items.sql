-- SafeTill schema, version 18 (PostgreSQL): open-price products on the till (issue 16).
-- The server-side add function (005, last changed in 012) prices catalog items the way
-- OrderService::addProduct does (017's safetill_replace_items_each has the same rules for
-- OrderService::replaceLines, and its batch sends open-price products there):
-- - a product with products.open_price = 1 is sold at the price the cashier entered (the
--   request's unit_price_cents, 0..Limits::maxPriceCents, checked by the caller): without one
--   the outcome is 'price_needed'; a price given for a fixed-price product is 'fixed_price' (a
--   different price is a price override, which needs a manager). detail: the SKU (a replace's
--   first such item). The line keeps the SKU, name and tax rate, and is no override (no
--   list_price_cents, no price_reason);
-- - an add of an open-price product joins only a line of that SKU at the same price, so two
--   prices make two lines;
-- - a retired product (016, products.retired_at) is an unknown SKU, as in the C++ paths.

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
    v_open INTEGER;
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
        v_open := NULL;

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
                -- v_price is the entered price of an open-price product (NULL when none was
                -- given); a fixed-price product's is the catalog's. An open-price product joins
                -- only a line of the same price.
                SELECT p.name, COALESCE(v_price, p.price_cents), p.open_price, l.line_no,
                       l.quantity, l.line_id
                    INTO v_name, v_price, v_open, v_line_no, v_line_qty, v_line_id
                    FROM products p
                    LEFT JOIN LATERAL (SELECT x.line_no, x.quantity, x.line_id FROM order_lines x
                                       WHERE x.order_id = v_order.id AND x.sku = p.sku
                                         AND (p.open_price = 0
                                              OR x.unit_price_cents = v_price)
                                       ORDER BY x.line_no LIMIT 1) l ON TRUE
                    WHERE p.sku = v_sku AND p.retired_at IS NULL;
                IF NOT FOUND THEN
                    outcome := 'unknown_sku'; EXIT one_add;
                END IF;
                IF v_open = 1 AND request->>'unit_price_cents' IS NULL THEN
                    outcome := 'price_needed'; EXIT one_add;
                END IF;
                IF v_open = 0 AND request->>'unit_price_cents' IS NOT NULL THEN
                    outcome := 'fixed_price'; EXIT one_add;
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

