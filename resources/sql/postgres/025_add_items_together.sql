-- SafeTill schema, version 25 (PostgreSQL): POST /current/items as one statement over the batch,
-- as 017 made PUT /current (issue 4's target of 4,000 item adds a second on PostgreSQL, which
-- the add function's later features had pushed down to about 2,800).
--
-- Why: safetill_add_items (005, last changed in 018) runs each add on its own: the stored
-- result, the order locked, the product and its line, the line updated or inserted, its tax
-- rate, the lines and total through safetill_order_lines_total (two statements more), the
-- result built with jsonb_build_object, and the version, history entry and stored result; each
-- statement with an executor of its own. Counted with callgrind on a single-user backend, a
-- batch of 12 one-item adds cost 26.8 M instructions, 2.2 M per add, where a replace costs 0.7 M.
--
-- Now the usual add of a batch (the first of its cashier and of its request id in the batch, no
-- stored result, a catalog product at its catalog price, the cashier's order active with nothing
-- paid and no discount or changed price on it or its lines, and room on the product's line or
-- for a new line) is done together with the others in one statement: one UPDATE of the lines
-- that grow, one INSERT of the new ones, one UPDATE of the orders, one INSERT of their history
-- entries and one of their stored results. Every other request (a replay, a reused key, a
-- refusal, an unknown or open-price product, an entered price, an open item, a full line or
-- order, a second request of one cashier, a discounted order) runs after it, in the batch's
-- order, through safetill_add_items_each: 018's function, renamed, unchanged. The rows written,
-- the outcomes and the results are the same as 018's (tst_orderservice compares them with
-- OrderStore's, one add at a time and in mixed batches); the result is written as JSON text
-- (023's way: every string through to_json), so its keys come in model/Json.cpp's order. As in
-- 017, the history entries of a batch's usual requests come before the others' (each order's own
-- entries stay in the order they were made).

-- 018's function keeps its body and settings under the new name (once: run again, the name is
-- taken and the function below is left alone).
DO $$
BEGIN
    IF to_regprocedure('safetill_add_items_each(text, text, integer, integer)') IS NULL THEN
        ALTER FUNCTION safetill_add_items(TEXT, TEXT, INTEGER, INTEGER)
            RENAME TO safetill_add_items_each;
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION safetill_add_items(p_requests TEXT, p_now TEXT, p_max_qty INTEGER,
                                              p_max_lines INTEGER)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    v_terminal_id TEXT;
    v_included INTEGER;
    v_requests JSONB := p_requests::JSONB;
    v_now_json TEXT := to_json(p_now)::TEXT;
    v_terminal_json TEXT;
    v_done INTEGER[];
    v_order_ids TEXT[];
    v_details TEXT[];
    v_results TEXT[];
    v_bumped INTEGER;
    v_rest JSONB;
    v_rest_ordinals INTEGER[];
    one RECORD;
BEGIN
    SELECT t.terminal_id INTO v_terminal_id FROM terminal t WHERE t.id = 1;
    v_terminal_json := to_json(v_terminal_id)::TEXT;
    v_included := COALESCE((SELECT CASE s.value WHEN 'no' THEN 0 ELSE 1 END FROM shop_settings s
                            WHERE s.name = 'prices_include_tax'), 1);

    -- Every open order of the batch's cashiers locked first, in one order (id), as in 023.
    PERFORM 1 FROM order_sessions o
        WHERE o.terminal_id = v_terminal_id
          AND o.cashier_id IN (SELECT r->>'cashier_id' FROM jsonb_array_elements(v_requests) r)
          AND o.status IN ('active', 'pending_logout')
        ORDER BY o.id
        FOR UPDATE OF o;

    -- The usual requests, all in one statement. Each CTE runs once for the whole batch.
    WITH requests AS (
        SELECT (r.n - 1)::INTEGER AS ordinal, r.value->>'request_id' AS request_id,
               r.value->>'action' AS action, r.value->>'fingerprint' AS fingerprint,
               r.value->>'cashier_id' AS cashier_id, r.value->>'sku' AS sku,
               (r.value->>'qty')::INTEGER AS qty, r.value ? 'unit_price_cents' AS priced,
               ROW_NUMBER() OVER (PARTITION BY r.value->>'cashier_id' ORDER BY r.n) AS nth,
               ROW_NUMBER() OVER (PARTITION BY r.value->>'request_id' ORDER BY r.n) AS nth_id
        FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS r(value, n)
    ), usual AS (
        -- The product's first line on the order (018: a fixed-price product joins it), or none;
        -- a new line takes the catalog's name, price and tax rate.
        SELECT q.ordinal, q.request_id, q.action, q.fingerprint, q.cashier_id, q.sku, q.qty,
               o.id, o.version, o.line_seq, o.tab_id, o.receipt_no, o.created_at,
               c.name AS cashier_name, t.name AS tab_name, p.name AS product_name,
               p.price_cents, COALESCE(r.code, '') AS tax_code, COALESCE(r.rate_bp, 0) AS rate_bp,
               x.line_no AS old_line_no, x.line_id AS old_line_id
        FROM requests q
        JOIN order_sessions o ON o.terminal_id = v_terminal_id AND o.cashier_id = q.cashier_id
                             AND o.status = 'active'
        JOIN cashiers c ON c.id = o.cashier_id
        LEFT JOIN tabs t ON t.id = o.tab_id
        JOIN products p ON p.sku = q.sku AND p.retired_at IS NULL AND p.open_price = 0
        LEFT JOIN tax_rates r ON r.code = p.tax_code
        LEFT JOIN LATERAL (SELECT l.line_no, l.line_id, l.quantity FROM order_lines l
                           WHERE l.order_id = o.id AND l.sku = p.sku
                           ORDER BY l.line_no LIMIT 1) x ON TRUE
        WHERE q.nth = 1 AND q.nth_id = 1 AND q.action = 'add_item' AND NOT q.priced
          AND q.qty IS NOT NULL AND o.paid_cents = 0 AND o.discount_kind = ''
          AND NOT EXISTS (SELECT 1 FROM idempotency i WHERE i.request_id = q.request_id)
          AND NOT EXISTS (SELECT 1 FROM order_lines l
                          WHERE l.order_id = o.id
                            AND (l.discount_kind <> '' OR l.list_price_cents IS NOT NULL))
          AND CASE WHEN x.line_no IS NOT NULL THEN x.quantity + q.qty <= p_max_qty
                   ELSE (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id)
                        < p_max_lines END
    ), grown AS (
        UPDATE order_lines l SET quantity = l.quantity + u.qty
            FROM usual u
            WHERE u.old_line_no IS NOT NULL AND l.order_id = u.id AND l.line_id = u.old_line_id
            RETURNING l.order_id, l.line_no, l.line_id, l.sku, l.name, l.unit_price_cents,
                      l.quantity, l.tax_code, l.tax_rate_bp, l.price_includes_tax
    ), added AS (
        -- A new line takes the number after the order's line_seq (never reused), a fresh id.
        INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents,
                                 quantity, tax_code, tax_rate_bp, price_includes_tax)
            SELECT u.id, u.line_seq + 1, gen_random_uuid()::TEXT, u.sku, u.product_name,
                   u.price_cents, u.qty, u.tax_code, u.rate_bp, v_included
            FROM usual u
            WHERE u.old_line_no IS NULL
            ORDER BY u.ordinal
            RETURNING order_lines.order_id, line_no, line_id, sku, name, unit_price_cents,
                      quantity, tax_code, tax_rate_bp, price_includes_tax
    ), after AS (
        -- Each order's lines after its add: the others as this statement read them, the grown
        -- or added one as written (a statement does not see its own changes).
        SELECT l.order_id, l.line_no, l.line_id, l.sku, l.name, l.unit_price_cents, l.quantity,
               l.tax_code, l.tax_rate_bp, l.price_includes_tax
        FROM usual u
        JOIN order_lines l ON l.order_id = u.id
        WHERE u.old_line_id IS NULL OR l.line_id <> u.old_line_id
        UNION ALL
        SELECT * FROM grown
        UNION ALL
        SELECT * FROM added
    ), lines AS (
        -- As 023's: each order's lines as model/Json.cpp shows a line without a discount or a
        -- changed price, as JSON text, every string through to_json.
        SELECT a.order_id, '[' || string_agg(format(
                   '{"line":%s,"sku":%s,"name":%s,"unit_price_cents":%s,"qty":%s,'
                   '"total_cents":%s,"line_id":%s,"tax_code":%s,"tax_rate_bp":%s,'
                   '"price_includes_tax":%s}',
                   a.line_no, COALESCE(to_json(a.sku)::TEXT, 'null'), to_json(a.name)::TEXT,
                   a.unit_price_cents, a.quantity, a.unit_price_cents * a.quantity,
                   to_json(a.line_id)::TEXT, to_json(a.tax_code)::TEXT, a.tax_rate_bp,
                   CASE WHEN a.price_includes_tax = 1 THEN 'true' ELSE 'false' END),
                   ',' ORDER BY a.line_no) || ']' AS lines_json
        FROM after a
        GROUP BY a.order_id
    ), totals AS (
        -- As 023's: per tax code, rate and pricing mode, the tax added when prices exclude it.
        SELECT g.order_id,
               SUM(g.amount + CASE WHEN g.tax_code <> '' AND g.price_includes_tax = 0
                                   THEN (g.amount * g.tax_rate_bp + 5000) / 10000
                                   ELSE 0 END)::BIGINT AS total
        FROM (SELECT a.order_id, a.tax_code, a.tax_rate_bp, a.price_includes_tax,
                     SUM(a.unit_price_cents * a.quantity)::BIGINT AS amount
              FROM after a
              GROUP BY a.order_id, a.tax_code, a.tax_rate_bp, a.price_includes_tax) g
        GROUP BY g.order_id
    ), answered AS (
        -- 018's detail; the result as 023 writes it.
        SELECT u.*,
               CASE WHEN u.old_line_no IS NOT NULL
                    THEN format('line %s: %s +%s', u.old_line_no, u.sku, u.qty)
                    ELSE format('line %s: %s x%s', u.line_seq + 1, u.sku, u.qty) END AS detail,
               format(
                   '{"id":%s,"cashier_id":%s,"cashier":%s,"status":"active","version":%s,'
                   '"lines":%s,"total_cents":%s,"tab_id":%s,"tab":%s,"receipt_no":%s,'
                   '"created_at":%s,"updated_at":%s,"logout_time":null,"completed_at":null,'
                   '"payment":null,"payments":[],"terminal_id":%s}',
                   to_json(u.id), to_json(u.cashier_id), to_json(u.cashier_name), u.version + 1,
                   COALESCE(l.lines_json, '[]'), COALESCE(s.total, 0),
                   COALESCE(to_json(u.tab_id)::TEXT, 'null'),
                   COALESCE(to_json(u.tab_name)::TEXT, 'null'),
                   COALESCE(to_json(u.receipt_no)::TEXT, 'null'), to_json(u.created_at),
                   v_now_json, v_terminal_json) AS result
        FROM usual u
        LEFT JOIN lines l ON l.order_id = u.id
        LEFT JOIN totals s ON s.order_id = u.id
    ), bumped AS (
        -- Conditional on the version read above, as in 023.
        UPDATE order_sessions o SET version = o.version + 1, updated_at = p_now,
                                    line_seq = CASE WHEN u.old_line_no IS NULL
                                                    THEN o.line_seq + 1 ELSE o.line_seq END
            FROM usual u
            WHERE o.id = u.id AND o.version = u.version
            RETURNING o.id
    ), logged AS (
        INSERT INTO order_history (order_id, at, cashier_id, action, from_version, to_version,
                                   from_status, to_status, detail, request_id)
            SELECT a.id, p_now, a.cashier_id, a.action, a.version, a.version + 1, 'active',
                   'active', a.detail, a.request_id
            FROM answered a ORDER BY a.ordinal
    ), kept AS (
        -- A twin that committed meanwhile makes this a unique violation: the caller rolls back
        -- and runs the batch again, which replays it.
        INSERT INTO idempotency (request_id, action, fingerprint, result, created_at)
            SELECT a.request_id, a.action, a.fingerprint, a.result, p_now
            FROM answered a ORDER BY a.ordinal
    )
    SELECT array_agg(a.ordinal ORDER BY a.ordinal), array_agg(a.id ORDER BY a.ordinal),
           array_agg(a.detail ORDER BY a.ordinal), array_agg(a.result ORDER BY a.ordinal),
           (SELECT COUNT(*) FROM bumped)
        INTO v_done, v_order_ids, v_details, v_results, v_bumped
        FROM answered a;

    IF v_bumped <> COALESCE(cardinality(v_done), 0) THEN
        RAISE EXCEPTION 'an order changed while items were added to it'
            USING ERRCODE = 'serialization_failure';
    END IF;
    FOR i IN 1..COALESCE(cardinality(v_done), 0) LOOP
        ordinal := v_done[i]; outcome := 'ok'; order_id := v_order_ids[i];
        detail := v_details[i]; result := v_results[i];
        RETURN NEXT;
    END LOOP;

    -- The others, one by one in the batch's order, after the usual ones.
    IF COALESCE(cardinality(v_done), 0) = jsonb_array_length(v_requests) THEN
        RETURN;
    END IF;
    SELECT jsonb_agg(r.value ORDER BY r.n), array_agg((r.n - 1)::INTEGER ORDER BY r.n)
        INTO v_rest, v_rest_ordinals
        FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS r(value, n)
        WHERE (r.n - 1)::INTEGER <> ALL (COALESCE(v_done, '{}'::INTEGER[]));
    IF v_rest IS NOT NULL THEN
        FOR one IN SELECT * FROM safetill_add_items_each(v_rest::TEXT, p_now, p_max_qty,
                                                          p_max_lines) LOOP
            ordinal := v_rest_ordinals[one.ordinal + 1]; outcome := one.outcome;
            order_id := one.order_id; detail := one.detail; result := one.result;
            RETURN NEXT;
        END LOOP;
    END IF;
END;
$$;

-- As safetill_replace_items' (017, 024): an index scan over an order's lines, whatever the dead
-- entries a busy order leaves; one generic plan rather than one per batch.
ALTER FUNCTION safetill_add_items(TEXT, TEXT, INTEGER, INTEGER) SET enable_bitmapscan = off;
ALTER FUNCTION safetill_add_items(TEXT, TEXT, INTEGER, INTEGER)
    SET plan_cache_mode = force_generic_plan;
