-- SafeTill schema, version 12 (SQLite): discounts, price overrides and split tender (issue 14).
-- - A line may carry a discount (a percent in basis points, or an amount in minor units, with a
--   reason and who gave it) and a price override (list_price_cents keeps the price it replaced).
--   An order may carry one order discount. Discounts are stored as given; what they take off is
--   derived (model/Tax.h), so a quantity changed later never leaves a discount above its line.
-- - paid_cents: the sum of an order's (or tab's) sale payments, kept by the payment's own insert
--   (OrderStore::insertPayment, the only writer), so the balance due is read with the order and
--   the conditional update of an edit can refuse an order that already took money.
-- - Payments: method 'other' with a label (a voucher), cash rounding as its own amount, and no
--   receipt number on the payments before the last one (the receipt is the order's, given when the
--   balance reaches zero). UNIQUE still holds for the numbers given; NULLs are distinct.

ALTER TABLE order_lines ADD COLUMN discount_kind TEXT NOT NULL DEFAULT ''
    CHECK (discount_kind IN ('', 'percent', 'amount'));
ALTER TABLE order_lines ADD COLUMN discount_value INTEGER NOT NULL DEFAULT 0
    CHECK (discount_value >= 0 AND (discount_kind <> 'percent' OR discount_value <= 10000)
           AND (discount_kind <> '' OR discount_value = 0));
ALTER TABLE order_lines ADD COLUMN discount_reason TEXT NOT NULL DEFAULT ''
    CHECK (length(discount_reason) <= 200);
ALTER TABLE order_lines ADD COLUMN discount_by TEXT;
ALTER TABLE order_lines ADD COLUMN list_price_cents INTEGER
    CHECK (list_price_cents IS NULL OR list_price_cents BETWEEN 0 AND 99999999);
ALTER TABLE order_lines ADD COLUMN price_reason TEXT NOT NULL DEFAULT ''
    CHECK (length(price_reason) <= 200);

ALTER TABLE order_sessions ADD COLUMN discount_kind TEXT NOT NULL DEFAULT ''
    CHECK (discount_kind IN ('', 'percent', 'amount'));
ALTER TABLE order_sessions ADD COLUMN discount_value INTEGER NOT NULL DEFAULT 0
    CHECK (discount_value >= 0 AND (discount_kind <> 'percent' OR discount_value <= 10000)
           AND (discount_kind <> '' OR discount_value = 0));
ALTER TABLE order_sessions ADD COLUMN discount_reason TEXT NOT NULL DEFAULT ''
    CHECK (length(discount_reason) <= 200);
ALTER TABLE order_sessions ADD COLUMN discount_by TEXT;
ALTER TABLE order_sessions ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0
    CHECK (paid_cents >= 0);
UPDATE order_sessions SET paid_cents = (
    SELECT COALESCE(SUM(amount_cents), 0) FROM payments p
    WHERE p.order_id = order_sessions.id AND p.kind = 'sale')
WHERE EXISTS (SELECT 1 FROM payments p WHERE p.order_id = order_sessions.id);

ALTER TABLE tabs ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents >= 0);
UPDATE tabs SET paid_cents = (
    SELECT COALESCE(SUM(amount_cents), 0) FROM payments p
    WHERE p.tab_id = tabs.id AND p.kind = 'sale')
WHERE EXISTS (SELECT 1 FROM payments p WHERE p.tab_id = tabs.id);

-- Payments, rebuilt (SQLite cannot change a CHECK or drop a NOT NULL). rounding_cents: what cash
-- rounding added to (or took off) the cash the customer handed over for amount_cents.
CREATE TABLE payments_v12 (
    id TEXT PRIMARY KEY,
    order_id TEXT REFERENCES order_sessions (id),
    tab_id TEXT REFERENCES tabs (id),
    kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'overpayment')),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'other')),
    label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 60),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    rounding_cents INTEGER NOT NULL DEFAULT 0 CHECK (rounding_cents BETWEEN -10000 AND 10000),
    tendered_cents INTEGER NOT NULL CHECK (tendered_cents >= amount_cents + rounding_cents),
    change_cents INTEGER NOT NULL
        CHECK (change_cents = tendered_cents - amount_cents - rounding_cents),
    due_cents INTEGER NOT NULL CHECK (due_cents >= 0),
    paid_version INTEGER NOT NULL CHECK (paid_version >= 1),
    receipt_no TEXT UNIQUE,
    terminal_id TEXT NOT NULL,
    cashier_id TEXT,
    paid_at TEXT NOT NULL,
    CHECK ((order_id IS NULL) <> (tab_id IS NULL)),
    CHECK (kind = 'overpayment' OR amount_cents <= due_cents),
    CHECK (method = 'cash' OR rounding_cents = 0),
    CHECK ((method = 'other') = (label <> ''))
);
INSERT INTO payments_v12 (id, order_id, tab_id, kind, method, amount_cents, tendered_cents,
                          change_cents, due_cents, paid_version, receipt_no, terminal_id,
                          cashier_id, paid_at)
    SELECT id, order_id, tab_id, kind, method, amount_cents, tendered_cents, change_cents,
           due_cents, paid_version, receipt_no, terminal_id, cashier_id, paid_at
    FROM payments;
-- The old table's triggers and indexes go with it; dropped by name, so every object is accounted for.
DROP TRIGGER payments_no_update;
DROP TRIGGER payments_no_delete;
DROP TRIGGER payments_never_exceed_due;
DROP TRIGGER payments_of_a_tab_never_exceed_due;
DROP INDEX payments_by_order;
DROP INDEX payments_by_tab;
DROP INDEX payments_sales_by_time;
DROP INDEX payments_sales_by_amount;
DROP TABLE payments;
ALTER TABLE payments_v12 RENAME TO payments;
CREATE INDEX payments_by_order ON payments (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX payments_by_tab ON payments (tab_id) WHERE tab_id IS NOT NULL;
-- The receipts list (migration 010) lists receipts: the payment that carries the receipt number
-- (the last of a split tender, due_cents its order's total).
CREATE INDEX payments_sales_by_time ON payments (paid_at, receipt_no)
    WHERE kind = 'sale' AND receipt_no IS NOT NULL;
CREATE INDEX payments_sales_by_amount ON payments (due_cents, paid_at, receipt_no)
    WHERE kind = 'sale' AND receipt_no IS NOT NULL;

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are money facts: append-only');
END;

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are money facts: append-only');
END;

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
