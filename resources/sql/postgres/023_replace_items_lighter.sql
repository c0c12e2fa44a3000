-- SafeTill schema, version 23 (PostgreSQL): less work per PUT /current replace (issue 13,
-- "Performance on PostgreSQL"). Same rows, same checks, same results.
--
-- Measured with callgrind on a single-user backend (instructions are exact where this machine's
-- timings vary by a third from minute to minute): a batch of 12 one-item replaces cost 11.95 M
-- instructions in safetill_replace_items (022) on a bench schema, about 1 M per replace.
--
-- 1. refund_lines.line_id is ON DELETE RESTRICT instead of NO ACTION (-1.07 M per batch, 9 %).
--    A replace deletes the order's lines, and for each deleted line NO ACTION ran two queries:
--    is another order_lines row with this key there now (a replacement in the same statement),
--    and if not, does a refund line point at it. RESTRICT asks only the second. Nothing in
--    SafeTill deletes a line and inserts its line_id again, so the answer is the same: a line
--    that was refunded cannot be deleted (23503, foreign_key_violation), whether by a statement
--    or by hand. Dropped and added again, so running this twice is harmless.
-- 2. The result and its lines are written as JSON text with format(), every string through
--    to_json (PostgreSQL's JSON escaping), numbers and booleans as they are, what an active
--    order cannot have (a logout or completion time) as null, the batch's one time and terminal
--    escaped once (-1.80 M per batch, 15 %). jsonb_build_object built a binary value, sorted and
--    de-duplicated its keys, then printed it; json_build_object (-1.11 M alone) still looked up
--    every argument's type and output function in the catalog caches, the keys' included, for
--    every value. The keys and values are the same, so the text parses to the same object
--    (tst_orderservice compares the parsed results, a name with quotes, a backslash and
--    non-ASCII letters among them, with what OrderStore's statements store). The stored
--    result's keys are now in model/Json.cpp's order.
--
-- Together: 11.95 M to 9.08 M instructions per batch of 12 (-24 %).
--
-- Looked at and left: the foreign keys of order_lines.order_id and order_history.order_id cost
-- about 55 k instructions per row each; a btree on idempotency.created_at against a BRIN index,
-- 9 k per row. Keeping a line whose SKU and price stay (an UPDATE of its quantity instead of a
-- DELETE and an INSERT) saves the line's index entries and foreign-key checks, but matching old
-- lines with new items cost more than it saved for the one-line replaces measured.

ALTER TABLE refund_lines DROP CONSTRAINT IF EXISTS refund_lines_line_id_fkey;
ALTER TABLE refund_lines ADD CONSTRAINT refund_lines_line_id_fkey
    FOREIGN KEY (line_id) REFERENCES order_lines (line_id) ON DELETE RESTRICT;

CREATE OR REPLACE FUNCTION safetill_replace_items(p_requests TEXT, p_now TEXT)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    v_terminal_id TEXT;
    v_included INTEGER;
    v_default_tax TEXT;
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
    v_default_tax := (SELECT s.value FROM shop_settings s WHERE s.name = 'default_tax');

    -- Every open order of the batch's cashiers locked first, in one order (id) whatever the
    -- batch's order, so two writers never wait for each other in a circle. The next statement
    -- then reads after every change that was committed to them meanwhile (READ COMMITTED: a
    -- statement's snapshot is taken when it starts).
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
               r.value->>'cashier_id' AS cashier_id,
               (r.value->>'expected_version')::INTEGER AS expected, r.value->'items' AS items,
               ROW_NUMBER() OVER (PARTITION BY r.value->>'cashier_id' ORDER BY r.n) AS nth,
               ROW_NUMBER() OVER (PARTITION BY r.value->>'request_id' ORDER BY r.n) AS nth_id
        FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS r(value, n)
    ), usual AS (
        SELECT q.ordinal, q.request_id, q.action, q.fingerprint, q.cashier_id, q.items,
               jsonb_array_length(q.items) AS item_count, o.id, o.version, o.line_seq, o.tab_id,
               o.receipt_no, o.created_at, c.name AS cashier_name, t.name AS tab_name
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
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(q.items) e
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
            CROSS JOIN LATERAL jsonb_array_elements(u.items) WITH ORDINALITY AS e(value, n)
            LEFT JOIN products p ON p.sku = e.value->>'sku' AND p.retired_at IS NULL
            LEFT JOIN tax_rates r ON r.code = CASE
                WHEN e.value->>'sku' IS NULL THEN v_default_tax ELSE p.tax_code END
            ORDER BY u.ordinal, e.n
            RETURNING order_lines.order_id, line_no, line_id, sku, name, unit_price_cents,
                      quantity, tax_code, tax_rate_bp, price_includes_tax
    ), lines AS (
        -- Each order's lines as model/Json.cpp shows them (a new line has no discount and no
        -- changed price), as JSON text: every string through to_json (its escaping), numbers as
        -- they are, line_id as made above (a UUID).
        SELECT a.order_id, '[' || string_agg(format(
                   '{"line":%s,"sku":%s,"name":%s,"unit_price_cents":%s,"qty":%s,'
                   '"total_cents":%s,"line_id":"%s","tax_code":%s,"tax_rate_bp":%s,'
                   '"price_includes_tax":%s}',
                   a.line_no, COALESCE(to_json(a.sku)::TEXT, 'null'), to_json(a.name)::TEXT,
                   a.unit_price_cents, a.quantity, a.unit_price_cents * a.quantity, a.line_id,
                   to_json(a.tax_code)::TEXT, a.tax_rate_bp,
                   CASE WHEN a.price_includes_tax = 1 THEN 'true' ELSE 'false' END),
                   ',' ORDER BY a.line_no) || ']' AS lines_json
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
        -- The result, in the shape of model/Json.cpp toJson(Order), as JSON text: every string
        -- through to_json, a missing one as null. An active order has no payment, logout time
        -- or completion time (order_sessions' CHECKs), and its terminal is this one.
        SELECT u.*, format('%s lines', u.item_count) AS detail, format(
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
    IF COALESCE(cardinality(v_done), 0) = jsonb_array_length(v_requests) THEN
        RETURN;
    END IF;
    SELECT jsonb_agg(r.value ORDER BY r.n), array_agg((r.n - 1)::INTEGER ORDER BY r.n)
        INTO v_rest, v_rest_ordinals
        FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS r(value, n)
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

-- CREATE OR REPLACE drops a function's settings: 017's again.
ALTER FUNCTION safetill_replace_items(TEXT, TEXT) SET enable_bitmapscan = off;
