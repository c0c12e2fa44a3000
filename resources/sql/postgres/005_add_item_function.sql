-- SafeTill schema, version 5 (PostgreSQL): adding items to cashiers' active orders in ONE round
-- trip, for the central server.
--
-- Why a server-side function: on PostgreSQL the C++ path of an item add is about sixteen
-- statements, each a network round trip with two context switches on either side; measured, the
-- round trips (not the SQL) were the server's limit. Each add here is the same action as
-- OrderService::addProduct / addOpenPriceItem by id (model/OrderService.cpp), with the same
-- checks in the same order, the same history entry and the same stored result, minus the
-- outbox row: the central server is where sync ends, so it writes none. The C++ code validates
-- the input and computes the request fingerprint before calling; tests run the same scenarios
-- against both paths (tst_server on SQLite and PostgreSQL).
--
-- Concurrency: the order row is locked first (SELECT ... FOR UPDATE waits for a concurrent edit
-- and then sees its commit, READ COMMITTED), so the line checks and the line change see every
-- earlier edit of the order; nothing is written before every check has passed, so a refusal
-- needs no rollback. A twin request with the same id that committed while this one waited makes
-- the final insert a unique violation, which the caller retries into a replay, as on the C++ path.

-- p_requests is a JSON array of {request_id, action, fingerprint, cashier_id, qty} with either
-- sku (a catalog item: name and price come from the catalog) or name and unit_price_cents (an
-- open-price item); the server's group commit sends all of a batch's adds in one call. One row
-- comes back per request, ordinal being its index, outcome one of: 'ok' (result: the order),
-- 'replay' (result: the stored order), 'reused' (detail: the action the request id was first
-- used for), 'no_order' (the cashier has no open order), 'refused' (order_id: the order, which is
-- not active), 'unknown_sku', 'line_full', 'order_full'. No error is caught: a failure (a twin's
-- unique violation) fails the whole statement, and the caller runs each add again on its own.
-- One function with the loop inside rather than one call per add: a nested call costs an
-- executor of its own per add (measured, about a third of the time).
CREATE FUNCTION safetill_add_items(p_requests TEXT, p_now TEXT, p_max_qty INTEGER,
                                   p_max_lines INTEGER)
RETURNS TABLE (ordinal INTEGER, outcome TEXT, order_id TEXT, detail TEXT, result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
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
    v_lines INTEGER;
    v_lines_json JSON;
    v_total BIGINT;
BEGIN
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
                   o.logout_time, o.completed_at, c.name AS cashier_name, t.name AS tab_name
                INTO v_order
                FROM order_sessions o
                JOIN cashiers c ON c.id = o.cashier_id
                LEFT JOIN tabs t ON t.id = o.tab_id
                WHERE o.cashier_id = v_cashier_id AND o.status IN ('active', 'pending_logout')
                FOR UPDATE OF o;
            IF NOT FOUND THEN
                outcome := 'no_order'; EXIT one_add;
            END IF;
            order_id := v_order.id;
            IF v_order.status <> 'active' THEN
                outcome := 'refused'; EXIT one_add;
            END IF;

            IF v_sku IS NOT NULL THEN
                SELECT p.name, p.price_cents, l.line_no, l.quantity
                    INTO v_name, v_price, v_line_no, v_line_qty
                    FROM products p
                    LEFT JOIN order_lines l ON l.order_id = v_order.id AND l.sku = p.sku
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
                    WHERE l.order_id = v_order.id AND l.line_no = v_line_no;
                detail := format('line %s: %s +%s', v_line_no, v_sku, v_qty);
            ELSE
                SELECT COUNT(*), COALESCE(MAX(l.line_no), 0) + 1 INTO v_lines, v_line_no
                    FROM order_lines l WHERE l.order_id = v_order.id;
                IF v_lines >= p_max_lines THEN
                    outcome := 'order_full'; EXIT one_add;
                END IF;
                INSERT INTO order_lines (order_id, line_no, sku, name, unit_price_cents, quantity)
                    VALUES (v_order.id, v_line_no, v_sku, v_name, v_price, v_qty);
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
                       'total_cents', l.unit_price_cents * l.quantity) ORDER BY l.line_no),
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
                'completed_at', v_order.completed_at, 'payment', NULL)::TEXT;
            -- The new version, its history entry and the stored result: one statement (each
            -- statement costs an executor of its own). A twin that committed meanwhile makes the
            -- last insert a unique violation: the caller rolls back and runs the add again, and
            -- the run again replays the twin's result.
            WITH bumped AS (
                UPDATE order_sessions o SET version = o.version + 1, updated_at = p_now
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
