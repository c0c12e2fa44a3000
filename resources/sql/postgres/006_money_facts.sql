-- SafeTill schema, version 6 (PostgreSQL): money is a fact. See the SQLite file of the same
-- version for the why; the rules are the same.

ALTER TABLE terminal ADD COLUMN terminal_id TEXT NOT NULL DEFAULT '';
UPDATE terminal SET terminal_id = md5(random()::text || clock_timestamp()::text) WHERE terminal_id = '';

ALTER TABLE order_sessions ADD COLUMN terminal_id TEXT NOT NULL DEFAULT '';
ALTER TABLE order_sessions ADD COLUMN line_seq INTEGER NOT NULL DEFAULT 0 CHECK (line_seq >= 0);
UPDATE order_sessions SET
    terminal_id = COALESCE((SELECT d.id FROM order_history h
                            JOIN devices d ON h.detail = 'synced from device ' || d.name
                            WHERE h.order_id = order_sessions.id ORDER BY h.id LIMIT 1),
                           (SELECT terminal_id FROM terminal WHERE id = 1)),
    line_seq = (SELECT COALESCE(MAX(line_no), 0) FROM order_lines l WHERE l.order_id = order_sessions.id);
DROP INDEX order_sessions_one_open_per_cashier;
CREATE UNIQUE INDEX order_sessions_one_open_per_terminal_cashier
    ON order_sessions (terminal_id, cashier_id) WHERE status IN ('active', 'pending_logout');

ALTER TABLE tabs ADD COLUMN terminal_id TEXT NOT NULL DEFAULT '';
UPDATE tabs SET terminal_id = CASE
    WHEN strpos(name_key, '@') > 0 THEN substr(name_key, strpos(name_key, '@') + 1)
    ELSE (SELECT terminal_id FROM terminal WHERE id = 1) END;

ALTER TABLE order_lines ADD COLUMN line_id TEXT;
UPDATE order_lines SET line_id = gen_random_uuid()::text;
ALTER TABLE order_lines ALTER COLUMN line_id SET NOT NULL;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_line_id_key UNIQUE (line_id);
ALTER TABLE order_lines ADD CONSTRAINT order_lines_line_id_length
    CHECK (length(line_id) BETWEEN 1 AND 64);
DROP INDEX order_lines_one_per_sku;
CREATE INDEX order_lines_by_sku ON order_lines (order_id, sku) WHERE sku IS NOT NULL;

-- Payments as facts, rebuilt like on SQLite: the UNIQUE on order_id and tab_id goes, the fact's
-- own columns come (filled from the order or tab it paid), before the append-only triggers exist.
CREATE TABLE payments_v6 (
    id TEXT PRIMARY KEY,
    order_id TEXT REFERENCES order_sessions (id),
    tab_id TEXT REFERENCES tabs (id),
    kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'overpayment')),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    tendered_cents BIGINT NOT NULL CHECK (tendered_cents >= amount_cents),
    change_cents BIGINT NOT NULL CHECK (change_cents = tendered_cents - amount_cents),
    due_cents BIGINT NOT NULL CHECK (due_cents >= 0),
    paid_version INTEGER NOT NULL CHECK (paid_version >= 1),
    receipt_no TEXT NOT NULL UNIQUE,
    terminal_id TEXT NOT NULL,
    cashier_id TEXT,
    paid_at TEXT NOT NULL,
    CHECK ((order_id IS NULL) <> (tab_id IS NULL)),
    CONSTRAINT payments_within_due CHECK (kind = 'overpayment' OR amount_cents <= due_cents)
);
INSERT INTO payments_v6 (id, order_id, tab_id, kind, method, amount_cents, tendered_cents,
                         change_cents, due_cents, paid_version, receipt_no, terminal_id,
                         cashier_id, paid_at)
    SELECT p.id, p.order_id, p.tab_id, 'sale', p.method, p.amount_cents, p.tendered_cents,
           p.change_cents, p.amount_cents, COALESCE(o.version, t.version, 1), p.receipt_no,
           COALESCE(o.terminal_id, t.terminal_id, ''), o.cashier_id, p.paid_at
    FROM payments p
    LEFT JOIN order_sessions o ON o.id = p.order_id
    LEFT JOIN tabs t ON t.id = p.tab_id;
DROP TABLE payments;
ALTER TABLE payments_v6 RENAME TO payments;
ALTER TABLE payments RENAME CONSTRAINT payments_v6_pkey TO payments_pkey;
ALTER TABLE payments RENAME CONSTRAINT payments_v6_receipt_no_key TO payments_receipt_no_key;
ALTER TABLE payments RENAME CONSTRAINT payments_v6_order_id_fkey TO payments_order_id_fkey;
ALTER TABLE payments RENAME CONSTRAINT payments_v6_tab_id_fkey TO payments_tab_id_fkey;
CREATE INDEX payments_by_order ON payments (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX payments_by_tab ON payments (tab_id) WHERE tab_id IS NOT NULL;

CREATE FUNCTION payments_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payments are money facts: append-only';
END;
$$;

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_append_only();
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_append_only();
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION payments_append_only();

-- An order's (or a tab's) sale payments never exceed what was due. Writers hold the order's (or
-- tab's) row lock from its conditional update, so two payments of one order cannot both pass.
CREATE FUNCTION payments_never_exceed_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Two queries, each on its own index: an OR of the two is planned as a scan of payments.
    IF NEW.kind = 'sale' AND NEW.order_id IS NOT NULL AND NEW.amount_cents + (
        SELECT COALESCE(SUM(amount_cents), 0) FROM payments
        WHERE order_id = NEW.order_id AND kind = 'sale') > NEW.due_cents
    THEN
        RAISE EXCEPTION 'payments of an order never exceed what was due';
    END IF;
    IF NEW.kind = 'sale' AND NEW.tab_id IS NOT NULL AND NEW.amount_cents + (
        SELECT COALESCE(SUM(amount_cents), 0) FROM payments
        WHERE tab_id = NEW.tab_id AND kind = 'sale') > NEW.due_cents
    THEN
        RAISE EXCEPTION 'payments of a tab never exceed what was due';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER payments_never_exceed_due BEFORE INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_never_exceed_due();

CREATE TABLE review_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('paid_order_changed', 'paid_twice', 'lines_after_payment',
                                       'line_conflict', 'sync_rejected')),
    order_id TEXT,
    tab_id TEXT,
    payment_id TEXT,
    terminal_id TEXT NOT NULL,
    amount_cents BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
    detail TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution TEXT,
    resolution_note TEXT,
    resolved_by TEXT,
    resolved_at TEXT,
    CHECK ((status = 'resolved') = (resolution IS NOT NULL AND resolved_at IS NOT NULL))
);
CREATE INDEX review_items_open ON review_items (created_at) WHERE status = 'open';
CREATE INDEX review_items_by_order ON review_items (order_id) WHERE order_id IS NOT NULL;

-- The item-add function of version 5, for this version's schema: the cashier's open order of this
-- terminal (the server's own orders; devices' orders are theirs), a new line's id, and line numbers
-- that are never reused. Same checks, same history entry, same stored result as the C++ path.
CREATE OR REPLACE FUNCTION safetill_add_items(p_requests TEXT, p_now TEXT, p_max_qty INTEGER,
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
    v_line_id TEXT;
    v_terminal_id TEXT;
    v_lines INTEGER;
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
                INSERT INTO order_lines (order_id, line_no, line_id, sku, name, unit_price_cents,
                                         quantity)
                    VALUES (v_order.id, v_line_no, gen_random_uuid()::TEXT, v_sku, v_name,
                            v_price, v_qty);
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
