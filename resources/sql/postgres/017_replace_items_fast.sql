-- SafeTill schema, version 17 (PostgreSQL): PUT /current as set-based statements over the whole
-- batch (issue 13, "Performance on PostgreSQL").
--
-- Why: safetill_replace_items (009, 012) ran about eight statements per request (the stored
-- result, the order locked, the discounted lines, the SKUs, the lines deleted and inserted, the
-- result's lines and total in a function of two more, the version with its history entry and
-- stored result), each with an executor of its own. On a 2-core machine PostgreSQL spent about
-- 460 us of CPU per replace on that, and PUT /current stayed below the item adds. Now the usual
-- request of a batch (the first of its cashier in the batch, no stored result, its order active
-- at the version named, nothing paid, no discount on the order or its lines, every SKU known)
-- is done together with the others in one statement: one DELETE of their lines, one INSERT of
-- the new ones, one UPDATE of their orders, one INSERT of their history entries and one of their
-- stored results, for the whole batch. Every other request (a replay, a reused key, a refusal,
-- a second request of one cashier, an order with a discount, an open-price product) runs after
-- it, in the batch's order, through safetill_replace_items_each: the function of 012 unchanged
-- but for the catalog's retired products, which it now refuses as OrderService::replaceLines
-- does, and open-price products (issue 16), which it sells at the price entered.
-- The rows written, the results (text for text) and the outcomes are the same as 012's;
-- tst_orderservice compares them with OrderStore's on single and mixed batches. One difference:
-- the history entries of a batch's usual requests come before the others' (each order's own
-- entries stay in the order they were made).

-- 012's safetill_replace_items, one request after the other, under a new name; a product taken
-- off the till (retired_at) is not sold (OrderService::replaceLines' product query), and an
-- open-price product (016's products.open_price, issue 16) is sold at the price the cashier
-- entered: without one the outcome is 'price_needed', a price given for a fixed-price product
-- is 'fixed_price' (a different price is a manager's price override); detail: the SKU. Such a
-- line keeps its SKU, name and tax rate and is no override.
CREATE OR REPLACE FUNCTION safetill_replace_items_each(p_requests TEXT, p_now TEXT)
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
    v_problem TEXT;
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

            -- The first item (in the order given, as OrderService::replaceLines checks them)
            -- whose SKU is unknown or retired (outcome 'unknown_sku'), or whose price does not
            -- fit the product: an open-price product needs its entered price ('price_needed'),
            -- a fixed-price one takes none ('fixed_price'). detail: its SKU.
            SELECT e.value->>'sku',
                   CASE WHEN p.sku IS NULL THEN 'unknown_sku'
                        WHEN p.open_price = 1 THEN 'price_needed'
                        ELSE 'fixed_price' END
                INTO detail, v_problem
                FROM json_array_elements(v_items) WITH ORDINALITY AS e(value, n)
                LEFT JOIN products p ON p.sku = e.value->>'sku' AND p.retired_at IS NULL
                WHERE e.value->>'sku' IS NOT NULL
                  AND (p.sku IS NULL
                       OR (p.open_price = 1) = (e.value->>'unit_price_cents' IS NULL))
                ORDER BY e.n LIMIT 1;
            IF detail IS NOT NULL THEN
                outcome := v_problem; EXIT one_replace;
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
                       COALESCE((e.value->>'unit_price_cents')::BIGINT, p.price_cents),
                       (e.value->>'qty')::INTEGER, COALESCE(r.code, ''), COALESCE(r.rate_bp, 0),
                       v_included
                FROM json_array_elements(v_items) WITH ORDINALITY AS e(value, n)
                LEFT JOIN products p ON p.sku = e.value->>'sku' AND p.retired_at IS NULL
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

-- The batch: the usual requests together (see the top of this file), then the others one by one.
CREATE OR REPLACE FUNCTION safetill_replace_items(p_requests TEXT, p_now TEXT)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    v_terminal_id TEXT;
    v_included INTEGER;
    v_default_tax TEXT;
    v_requests JSON := p_requests::JSON;
    v_done INTEGER[];
    v_order_ids TEXT[];
    v_details TEXT[];
    v_results TEXT[];
    v_bumped INTEGER;
    v_rest JSON;
    v_rest_ordinals INTEGER[];
    one RECORD;
BEGIN
    SELECT t.terminal_id INTO v_terminal_id FROM terminal t WHERE t.id = 1;
    v_included := COALESCE((SELECT CASE s.value WHEN 'no' THEN 0 ELSE 1 END FROM shop_settings s
                            WHERE s.name = 'prices_include_tax'), 1);
    v_default_tax := (SELECT s.value FROM shop_settings s WHERE s.name = 'default_tax');

    -- Every open order of the batch's cashiers locked first, in one order (id) whatever the
    -- batch's order, so two writers never wait for each other in a circle. The next statement
    -- then reads after every change that was committed to them meanwhile (READ COMMITTED: a
    -- statement's snapshot is taken when it starts).
    PERFORM 1 FROM order_sessions o
        WHERE o.terminal_id = v_terminal_id
          AND o.cashier_id IN (SELECT r->>'cashier_id' FROM json_array_elements(v_requests) r)
          AND o.status IN ('active', 'pending_logout')
        ORDER BY o.id
        FOR UPDATE OF o;

    -- The usual requests, all in one statement. Each CTE runs once for the whole batch.
    WITH requests AS (
        SELECT (r.n - 1)::INTEGER AS ordinal, r.value->>'request_id' AS request_id,
               r.value->>'action' AS action, r.value->>'fingerprint' AS fingerprint,
               r.value->>'cashier_id' AS cashier_id,
               (r.value->>'expected_version')::INTEGER AS expected, r.value->'items' AS items,
               ROW_NUMBER() OVER (PARTITION BY r.value->>'cashier_id' ORDER BY r.n) AS nth,
               ROW_NUMBER() OVER (PARTITION BY r.value->>'request_id' ORDER BY r.n) AS nth_id
        FROM json_array_elements(v_requests) WITH ORDINALITY AS r(value, n)
    ), usual AS (
        SELECT q.ordinal, q.request_id, q.action, q.fingerprint, q.cashier_id, q.items,
               json_array_length(q.items) AS item_count, o.id, o.version, o.line_seq, o.tab_id,
               o.receipt_no, o.created_at, o.logout_time, o.completed_at, o.terminal_id,
               c.name AS cashier_name, t.name AS tab_name
        FROM requests q
        JOIN order_sessions o ON o.terminal_id = v_terminal_id AND o.cashier_id = q.cashier_id
                             AND o.status = 'active'
        JOIN cashiers c ON c.id = o.cashier_id
        LEFT JOIN tabs t ON t.id = o.tab_id
        WHERE q.nth = 1 AND q.nth_id = 1 AND o.version = q.expected AND o.paid_cents = 0
          AND o.discount_kind = ''
          AND NOT EXISTS (SELECT 1 FROM idempotency i WHERE i.request_id = q.request_id)
          AND NOT EXISTS (SELECT 1 FROM order_lines l
                          WHERE l.order_id = o.id
                            AND (l.discount_kind <> '' OR l.list_price_cents IS NOT NULL))
          -- Every SKU known, at its catalog price: an open-price product, or a SKU sent with a
          -- price, goes through safetill_replace_items_each (its price checks and messages).
          AND NOT EXISTS (SELECT 1 FROM json_array_elements(q.items) e
                          LEFT JOIN products p ON p.sku = e->>'sku' AND p.retired_at IS NULL
                          WHERE e->>'sku' IS NOT NULL
                            AND (p.sku IS NULL OR p.open_price = 1
                                 OR e->>'unit_price_cents' IS NOT NULL))
    ), removed AS (
        DELETE FROM order_lines l USING usual u WHERE l.order_id = u.id
    ), added AS (
        -- The new lines: numbers after the order's line_seq (never reused), in the order given,
        -- a fresh id each; name and price from the catalog for a catalog item.
        INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents,
                                 quantity, tax_code, tax_rate_bp, price_includes_tax)
            SELECT u.id, u.line_seq + e.n::INTEGER, gen_random_uuid()::TEXT, e.value->>'sku',
                   COALESCE(p.name, e.value->>'name'),
                   COALESCE(p.price_cents, (e.value->>'unit_price_cents')::BIGINT),
                   (e.value->>'qty')::INTEGER, COALESCE(r.code, ''), COALESCE(r.rate_bp, 0),
                   v_included
            FROM usual u
            CROSS JOIN LATERAL json_array_elements(u.items) WITH ORDINALITY AS e(value, n)
            LEFT JOIN products p ON p.sku = e.value->>'sku' AND p.retired_at IS NULL
            LEFT JOIN tax_rates r ON r.code = CASE
                WHEN e.value->>'sku' IS NULL THEN v_default_tax ELSE p.tax_code END
            ORDER BY u.ordinal, e.n
            RETURNING order_lines.order_id, line_no, line_id, sku, name, unit_price_cents,
                      quantity, tax_code, tax_rate_bp, price_includes_tax
    ), lines AS (
        -- Each order's lines as model/Json.cpp shows them (a new line has no discount and no
        -- changed price).
        SELECT a.order_id, jsonb_agg(jsonb_build_object(
                   'line', a.line_no, 'sku', a.sku, 'name', a.name,
                   'unit_price_cents', a.unit_price_cents, 'qty', a.quantity,
                   'total_cents', a.unit_price_cents * a.quantity, 'line_id', a.line_id,
                   'tax_code', a.tax_code, 'tax_rate_bp', a.tax_rate_bp,
                   'price_includes_tax', a.price_includes_tax = 1)
                   ORDER BY a.line_no) AS lines_json
        FROM added a
        GROUP BY a.order_id
    ), totals AS (
        -- Each order's total as safetill_order_lines_total makes it without an order discount:
        -- per tax code, rate and pricing mode, the tax added when the prices exclude it.
        SELECT g.order_id,
               SUM(g.amount + CASE WHEN g.tax_code <> '' AND g.price_includes_tax = 0
                                   THEN (g.amount * g.tax_rate_bp + 5000) / 10000
                                   ELSE 0 END)::BIGINT AS total
        FROM (SELECT a.order_id, a.tax_code, a.tax_rate_bp, a.price_includes_tax,
                     SUM(a.unit_price_cents * a.quantity)::BIGINT AS amount
              FROM added a
              GROUP BY a.order_id, a.tax_code, a.tax_rate_bp, a.price_includes_tax) g
        GROUP BY g.order_id
    ), answered AS (
        SELECT u.*, format('%s lines', u.item_count) AS detail, (jsonb_build_object(
                   'id', u.id, 'cashier_id', u.cashier_id, 'cashier', u.cashier_name,
                   'status', 'active', 'version', u.version + 1,
                   'lines', COALESCE(l.lines_json, '[]'::JSONB),
                   'total_cents', COALESCE(s.total, 0), 'tab_id', u.tab_id, 'tab', u.tab_name,
                   'receipt_no', u.receipt_no, 'created_at', u.created_at, 'updated_at', p_now,
                   'logout_time', u.logout_time, 'completed_at', u.completed_at,
                   'payment', NULL, 'payments', '[]'::JSONB,
                   'terminal_id', u.terminal_id))::TEXT AS result
        FROM usual u
        LEFT JOIN lines l ON l.order_id = u.id
        LEFT JOIN totals s ON s.order_id = u.id
    ), bumped AS (
        -- Conditional on the version read above: should an order have changed since (it was
        -- opened after the lock above), the count below differs and nothing is kept.
        UPDATE order_sessions o SET version = o.version + 1, updated_at = p_now,
                                    line_seq = o.line_seq + u.item_count
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
        -- A twin that committed meanwhile (another server process) makes this a unique
        -- violation: the caller rolls back and runs the batch again, which replays it.
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
        RAISE EXCEPTION 'an order changed while its items were replaced'
            USING ERRCODE = 'serialization_failure';
    END IF;
    FOR i IN 1..COALESCE(cardinality(v_done), 0) LOOP
        ordinal := v_done[i]; outcome := 'ok'; order_id := v_order_ids[i];
        detail := v_details[i]; result := v_results[i];
        RETURN NEXT;
    END LOOP;

    -- The others, one by one in the batch's order, after the usual ones (a cashier's first
    -- request is either usual or here with all of that cashier's others).
    IF COALESCE(cardinality(v_done), 0) = json_array_length(v_requests) THEN
        RETURN;
    END IF;
    SELECT json_agg(r.value ORDER BY r.n), array_agg((r.n - 1)::INTEGER ORDER BY r.n)
        INTO v_rest, v_rest_ordinals
        FROM json_array_elements(v_requests) WITH ORDINALITY AS r(value, n)
        WHERE (r.n - 1)::INTEGER <> ALL (COALESCE(v_done, '{}'::INTEGER[]));
    IF v_rest IS NOT NULL THEN
        FOR one IN SELECT * FROM safetill_replace_items_each(v_rest::TEXT, p_now) LOOP
            ordinal := v_rest_ordinals[one.ordinal + 1]; outcome := one.outcome;
            order_id := one.order_id; detail := one.detail; result := one.result;
            RETURN NEXT;
        END LOOP;
    END IF;
END;
$$;

-- An order's lines are found through order_lines_pkey (order_id, line_no). A replace leaves its
-- old lines dead and adds new line numbers, so until VACUUM passes, the index holds many dead
-- entries per busy order. A bitmap scan visits the heap for each of them on every scan (about
-- 80 pages per order after a few hundred replaces, measured); a plain index scan marks them dead
-- in the index the first time, and later scans skip them. The plans of these functions only
-- look rows up by key, so nothing else changes.
ALTER FUNCTION safetill_replace_items(TEXT, TEXT) SET enable_bitmapscan = off;
