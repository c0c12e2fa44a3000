-- SafeTill schema, version 11 (PostgreSQL): replacing the lines of cashiers' active orders
-- (PUT /current with If-Match) in ONE round trip, for the central server.
--
-- Why: on PostgreSQL the C++ path of a replace (OrderService::replaceLines) is about fifteen
-- statements plus three per item, each a network round trip; measured, those round trips were
-- the limit of PUT /current (about 2,000 req/s at 32 connections). Each replace here is the same
-- action as OrderService::replaceLines by cashier: the same checks in the same order, the same
-- rows (the order's new version and line_seq, its lines with fresh ids and never-reused numbers,
-- one history entry, the stored result), minus the outbox row (the central server writes none).
-- The C++ code validates the items, merges repeated SKUs and computes the request fingerprint
-- before calling; tst_orderservice compares the rows of both paths.
--
-- Concurrency: as safetill_add_items (005/006): the order row is locked first (FOR UPDATE waits
-- for a concurrent edit, then sees its commit), then the version the caller saw is checked;
-- nothing is written before every check has passed. A twin request with the same id that
-- committed while this one waited is replayed (or, committing meanwhile, makes the final insert
-- a unique violation, which the caller retries into a replay).

-- p_requests is a JSON array of {request_id, action, fingerprint, cashier_id, expected_version,
-- items: [{sku, qty} | {name, unit_price_cents, qty}]} (items already validated and merged);
-- the server's group commit sends all of a batch's replaces in one call. One row per request,
-- ordinal being its index, outcome one of: 'ok' (result: the order), 'replay' (result: the
-- stored order), 'reused' (detail: the action the request id was first used for),
-- 'no_cashier', 'no_order' (the cashier has no open order), 'refused' (order_id: the order, not
-- active or not at expected_version), 'unknown_sku' (detail: the first unknown SKU).
CREATE FUNCTION safetill_replace_items(p_requests TEXT, p_now TEXT)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
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
                                     quantity)
                SELECT v_order.id, v_order.line_seq + e.n::INTEGER, gen_random_uuid()::TEXT,
                       e.value->>'sku', COALESCE(p.name, e.value->>'name'),
                       COALESCE(p.price_cents, (e.value->>'unit_price_cents')::BIGINT),
                       (e.value->>'qty')::INTEGER
                FROM json_array_elements(v_items) WITH ORDINALITY AS e(value, n)
                LEFT JOIN products p ON p.sku = e.value->>'sku'
                ORDER BY e.n;
            detail := format('%s lines', v_count);

            -- The result, in the shape of model/Json.cpp toJson(Order) (an active order has no
            -- payment; tst_orderservice compares the two).
            SELECT json_agg(json_build_object(
                       'line', l.line_no, 'sku', l.sku, 'name', l.name,
                       'unit_price_cents', l.unit_price_cents, 'qty', l.quantity,
                       'total_cents', l.unit_price_cents * l.quantity, 'line_id', l.line_id)
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
