-- SafeTill schema, version 5 (PostgreSQL): adding an item to a cashier's active order in ONE
-- round trip, for the central server.
--
-- Why a server-side function: on PostgreSQL the C++ path of an item add is about sixteen
-- statements, each a network round trip with two context switches on either side; measured, the
-- round trips (not the SQL) were the server's limit. This function is the same action as
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

-- outcome: 'ok' (result: the order), 'replay' (result: the stored order), 'reused' (detail: the
-- action the request id was first used for), 'no_order' (the cashier has no open order),
-- 'refused' (order_id: the order, which is not active), 'unknown_sku', 'line_full', 'order_full'.
-- A catalog item has p_sku set (name and price come from the catalog); an open-price item has
-- p_sku NULL and p_name, p_unit_price_cents set. Each statement here costs (this function is the
-- server's hot path), hence the combined lookups.
CREATE FUNCTION safetill_add_item(
    p_request_id TEXT, p_action TEXT, p_fingerprint TEXT, p_cashier_id TEXT,
    p_sku TEXT, p_name TEXT, p_unit_price_cents BIGINT, p_qty INTEGER, p_now TEXT,
    p_max_qty INTEGER, p_max_lines INTEGER,
    OUT outcome TEXT, OUT order_id TEXT, OUT detail TEXT, OUT result TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    stored RECORD;
    v_order RECORD;
    v_name TEXT := p_name;
    v_price BIGINT := p_unit_price_cents;
    v_line_no INTEGER;
    v_line_qty INTEGER;
    v_lines INTEGER;
    v_lines_json JSON;
    v_total BIGINT;
BEGIN
    SELECT i.action, i.fingerprint, i.result INTO stored
        FROM idempotency i WHERE i.request_id = p_request_id;
    IF FOUND THEN
        IF stored.action <> p_action OR stored.fingerprint <> p_fingerprint THEN
            outcome := 'reused'; detail := stored.action; RETURN;
        END IF;
        outcome := 'replay'; result := stored.result; RETURN;
    END IF;

    -- The cashier's open order, locked: a concurrent edit is waited for, and then the row is
    -- read again (READ COMMITTED), so a commit that closed the order makes it not found here.
    -- Adding never opens an order.
    SELECT o.id, o.status, o.version, o.tab_id, o.receipt_no, o.created_at, o.logout_time,
           o.completed_at, c.name AS cashier_name, t.name AS tab_name
        INTO v_order
        FROM order_sessions o
        JOIN cashiers c ON c.id = o.cashier_id
        LEFT JOIN tabs t ON t.id = o.tab_id
        WHERE o.cashier_id = p_cashier_id AND o.status IN ('active', 'pending_logout')
        FOR UPDATE OF o;
    IF NOT FOUND THEN
        outcome := 'no_order'; RETURN;
    END IF;
    order_id := v_order.id;
    IF v_order.status <> 'active' THEN
        outcome := 'refused'; RETURN;
    END IF;

    IF p_sku IS NOT NULL THEN
        SELECT p.name, p.price_cents, l.line_no, l.quantity
            INTO v_name, v_price, v_line_no, v_line_qty
            FROM products p
            LEFT JOIN order_lines l ON l.order_id = v_order.id AND l.sku = p.sku
            WHERE p.sku = p_sku;
        IF NOT FOUND THEN
            outcome := 'unknown_sku'; RETURN;
        END IF;
    END IF;

    IF v_line_no IS NOT NULL THEN
        IF v_line_qty + p_qty > p_max_qty THEN
            outcome := 'line_full'; RETURN;
        END IF;
        UPDATE order_lines l SET quantity = l.quantity + p_qty
            WHERE l.order_id = v_order.id AND l.line_no = v_line_no;
        detail := format('line %s: %s +%s', v_line_no, p_sku, p_qty);
    ELSE
        SELECT COUNT(*), COALESCE(MAX(l.line_no), 0) + 1 INTO v_lines, v_line_no
            FROM order_lines l WHERE l.order_id = v_order.id;
        IF v_lines >= p_max_lines THEN
            outcome := 'order_full'; RETURN;
        END IF;
        INSERT INTO order_lines (order_id, line_no, sku, name, unit_price_cents, quantity)
            VALUES (v_order.id, v_line_no, p_sku, v_name, v_price, p_qty);
        IF p_sku IS NOT NULL THEN
            detail := format('line %s: %s x%s', v_line_no, p_sku, p_qty);
        ELSE
            detail := format('line %s: %s x%s at %s', v_line_no, v_name, p_qty, v_price);
        END IF;
    END IF;

    UPDATE order_sessions o SET version = o.version + 1, updated_at = p_now
        WHERE o.id = v_order.id;
    INSERT INTO order_history (order_id, at, cashier_id, action, from_version, to_version,
                               from_status, to_status, detail, request_id)
        VALUES (v_order.id, p_now, p_cashier_id, p_action, v_order.version,
                v_order.version + 1, 'active', 'active', detail, p_request_id);

    -- The result, in the shape of model/Json.cpp toJson(Order) (an active order has no payment;
    -- tst_server_pg compares the two).
    SELECT json_agg(json_build_object(
               'line', l.line_no, 'sku', l.sku, 'name', l.name,
               'unit_price_cents', l.unit_price_cents, 'qty', l.quantity,
               'total_cents', l.unit_price_cents * l.quantity) ORDER BY l.line_no),
           COALESCE(SUM(l.unit_price_cents * l.quantity), 0)::BIGINT
        INTO v_lines_json, v_total
        FROM order_lines l WHERE l.order_id = v_order.id;
    result := json_build_object(
        'id', v_order.id, 'cashier_id', p_cashier_id, 'cashier', v_order.cashier_name,
        'status', 'active', 'version', v_order.version + 1,
        'lines', COALESCE(v_lines_json, '[]'::json), 'total_cents', v_total,
        'tab_id', v_order.tab_id, 'tab', v_order.tab_name, 'receipt_no', v_order.receipt_no,
        'created_at', v_order.created_at, 'updated_at', p_now,
        'logout_time', v_order.logout_time, 'completed_at', v_order.completed_at,
        'payment', NULL)::TEXT;
    -- A twin that committed meanwhile makes this a unique violation: the caller's write() rolls
    -- back and runs again, and the run again replays the twin's result.
    INSERT INTO idempotency (request_id, action, fingerprint, result, created_at)
        VALUES (p_request_id, p_action, p_fingerprint, result, p_now);
    outcome := 'ok';
END;
$$;
