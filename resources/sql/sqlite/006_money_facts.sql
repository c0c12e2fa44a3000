-- SafeTill schema, version 6 (SQLite): money is a fact (docs/sync-protocol.md, protocol 2).
-- - Payments are append-only records with their own id, the terminal and cashier that took them and
--   the order version and total they paid for. Several may pay one order; the "paid twice"
--   guarantee is the order's conditional state change plus the payment's id, and a trigger keeps
--   an order's (or tab's) sale payments from ever exceeding what was due. Money taken beyond that
--   (an order paid at a till and on the server at once) is booked as an explicit overpayment.
-- - Orders and tabs belong to the terminal that opened them: one open order per cashier per
--   terminal, so a cashier can park an order on one till and sell on another.
-- - Lines have a stable id; line numbers are for people and never reused (order_sessions.line_seq).
-- - review_items: what sync could not settle alone, for a manager to resolve.

-- This database's own terminal id: the owner of the orders and tabs opened here.
ALTER TABLE terminal ADD COLUMN terminal_id TEXT NOT NULL DEFAULT '';
UPDATE terminal SET terminal_id = lower(hex(randomblob(16))) WHERE terminal_id = '';

-- Orders: the owning terminal (on a server, a device id for synced orders) and the highest line
-- number ever issued on the order.
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

-- Tabs: the owning terminal. On a server, synced tabs carry "@device-id" in name_key already.
ALTER TABLE tabs ADD COLUMN terminal_id TEXT NOT NULL DEFAULT '';
UPDATE tabs SET terminal_id = CASE
    WHEN instr(name_key, '@') > 0 THEN substr(name_key, instr(name_key, '@') + 1)
    ELSE (SELECT terminal_id FROM terminal WHERE id = 1) END;

-- Lines with a stable id. (SQLite cannot add a NOT NULL UNIQUE column: the table is rebuilt.)
CREATE TABLE order_lines_v6 (
    order_id TEXT NOT NULL REFERENCES order_sessions (id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    line_id TEXT NOT NULL UNIQUE CHECK (length(line_id) BETWEEN 1 AND 64),
    sku TEXT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents BETWEEN 0 AND 99999999),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    PRIMARY KEY (order_id, line_no)
);
INSERT INTO order_lines_v6 (order_id, line_no, line_id, sku, name, unit_price_cents, quantity)
    SELECT order_id, line_no, lower(hex(randomblob(16))), sku, name, unit_price_cents, quantity
    FROM order_lines;
DROP INDEX order_lines_one_per_sku;
DROP TABLE order_lines;
ALTER TABLE order_lines_v6 RENAME TO order_lines;
-- Adding a product already on the order raises its line; lines merged from two tills may hold
-- one product twice, so this is no longer unique.
CREATE INDEX order_lines_by_sku ON order_lines (order_id, sku) WHERE sku IS NOT NULL;

-- Payments as facts. (Rebuilt: the UNIQUE on order_id and tab_id goes.)
CREATE TABLE payments_v6 (
    id TEXT PRIMARY KEY,
    order_id TEXT REFERENCES order_sessions (id),
    tab_id TEXT REFERENCES tabs (id),
    kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'overpayment')),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    tendered_cents INTEGER NOT NULL CHECK (tendered_cents >= amount_cents),
    change_cents INTEGER NOT NULL CHECK (change_cents = tendered_cents - amount_cents),
    due_cents INTEGER NOT NULL CHECK (due_cents >= 0),
    paid_version INTEGER NOT NULL CHECK (paid_version >= 1),
    receipt_no TEXT NOT NULL UNIQUE,
    terminal_id TEXT NOT NULL,
    cashier_id TEXT,
    paid_at TEXT NOT NULL,
    CHECK ((order_id IS NULL) <> (tab_id IS NULL)),
    CHECK (kind = 'overpayment' OR amount_cents <= due_cents)
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
CREATE INDEX payments_by_order ON payments (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX payments_by_tab ON payments (tab_id) WHERE tab_id IS NOT NULL;

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are money facts: append-only');
END;

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are money facts: append-only');
END;

-- An order's (or a tab's) sale payments never exceed what was due for the version they paid.
-- One trigger each, so each sum reads its own index (an OR of the two would not scale).
CREATE TRIGGER payments_never_exceed_due BEFORE INSERT ON payments
WHEN NEW.kind = 'sale' AND NEW.order_id IS NOT NULL AND NEW.amount_cents + (
    SELECT COALESCE(SUM(amount_cents), 0) FROM payments
    WHERE order_id = NEW.order_id AND kind = 'sale') > NEW.due_cents
BEGIN
    SELECT RAISE(ABORT, 'payments of an order never exceed what was due');
END;

CREATE TRIGGER payments_of_a_tab_never_exceed_due BEFORE INSERT ON payments
WHEN NEW.kind = 'sale' AND NEW.tab_id IS NOT NULL AND NEW.amount_cents + (
    SELECT COALESCE(SUM(amount_cents), 0) FROM payments
    WHERE tab_id = NEW.tab_id AND kind = 'sale') > NEW.due_cents
BEGIN
    SELECT RAISE(ABORT, 'payments of a tab never exceed what was due');
END;

-- What sync could not settle alone (docs/sync-protocol.md, "review list"). Money is never in
-- here: the payments are booked; an item says what a person must look at and how it was resolved.
CREATE TABLE review_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('paid_order_changed', 'paid_twice', 'lines_after_payment',
                                       'line_conflict', 'sync_rejected')),
    order_id TEXT,
    tab_id TEXT,
    payment_id TEXT,
    terminal_id TEXT NOT NULL,
    amount_cents INTEGER NOT NULL DEFAULT 0,
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
