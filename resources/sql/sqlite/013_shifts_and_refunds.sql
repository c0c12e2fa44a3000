-- SafeTill schema, version 13 (SQLite): shifts, cash movements, refunds and voids (issue 15).
-- - A shift per terminal: opened with a counted float (or opened by the first money fact of a till
--   with no open shift, float 0), closed by counting the cash. Closing gives it its Z number (per
--   terminal, sequential, UNIQUE) and stores its Z report as printed: a reprint is that text, never
--   recomputed. One open shift per terminal (partial UNIQUE index); a closed shift never changes.
-- - Every money fact of a terminal (payments, refunds, cash movements) names the shift that was
--   open on its terminal when it was booked (its writer reads it in the same write transaction, so
--   a fact lands in exactly one shift and one Z report).
-- - A refund is a money fact of its own: a negative amount (0 for free items given back), its own receipt number, the receipt it
--   pays back, and its lines (which line, how many, how much). order_lines.refunded_qty counts what
--   was refunded of a line; its CHECK (never more than the quantity sold) backs the refund's
--   conditional update. A refund that was paid out but lost a race (two tills, one offline) keeps
--   its money: its lines are 'excess', not counted in refunded_qty, and a review item says so.

CREATE TABLE shifts (
    id TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by TEXT,
    opened_at TEXT NOT NULL,
    float_cents INTEGER NOT NULL DEFAULT 0 CHECK (float_cents BETWEEN 0 AND 99999999),
    auto_opened INTEGER NOT NULL DEFAULT 0 CHECK (auto_opened IN (0, 1)),
    z_number INTEGER CHECK (z_number >= 1),
    closed_by TEXT,
    closed_at TEXT,
    expected_cents INTEGER,
    counted_cents INTEGER CHECK (counted_cents BETWEEN 0 AND 99999999),
    counted_card_cents INTEGER CHECK (counted_card_cents BETWEEN 0 AND 99999999),
    z_report TEXT,
    UNIQUE (terminal_id, z_number),
    CHECK ((status = 'closed') = (z_number IS NOT NULL AND closed_at IS NOT NULL
                                  AND expected_cents IS NOT NULL AND counted_cents IS NOT NULL
                                  AND z_report IS NOT NULL))
);
CREATE UNIQUE INDEX shifts_one_open_per_terminal ON shifts (terminal_id) WHERE status = 'open';
CREATE INDEX shifts_by_close ON shifts (closed_at) WHERE status = 'closed';

CREATE TRIGGER shifts_closed_never_change BEFORE UPDATE ON shifts
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'a closed shift and its Z report never change');
END;

CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN
    SELECT RAISE(ABORT, 'shifts are kept: their Z reports are records');
END;

CREATE TABLE cash_movements (
    id TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL REFERENCES shifts (id),
    terminal_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pay_in', 'pay_out', 'no_sale')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents BETWEEN 0 AND 99999999),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    cashier_id TEXT NOT NULL,
    approved_by TEXT,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'no_sale') = (amount_cents = 0)),
    CHECK (kind = 'no_sale' OR length(reason) >= 1)
);
CREATE INDEX cash_movements_by_shift ON cash_movements (shift_id);

CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'cash movements are money facts: append-only');
END;

CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'cash movements are money facts: append-only');
END;

ALTER TABLE payments ADD COLUMN shift_id TEXT REFERENCES shifts (id);
CREATE INDEX payments_by_shift ON payments (shift_id) WHERE shift_id IS NOT NULL;

ALTER TABLE order_lines ADD COLUMN refunded_qty INTEGER NOT NULL DEFAULT 0
    CHECK (refunded_qty >= 0 AND refunded_qty <= quantity);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
    receipt_no TEXT NOT NULL UNIQUE,
    original_receipt_no TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'other')),
    label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 60),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <= 0),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    cashier_id TEXT NOT NULL,
    approved_by TEXT,
    terminal_id TEXT NOT NULL,
    shift_id TEXT REFERENCES shifts (id),
    refunded_at TEXT NOT NULL,
    CHECK (kind <> 'void' OR length(reason) >= 1),
    CHECK ((method = 'other') = (label <> ''))
);
CREATE INDEX refunds_by_original ON refunds (original_receipt_no);
CREATE INDEX refunds_by_shift ON refunds (shift_id) WHERE shift_id IS NOT NULL;
CREATE INDEX refunds_by_time ON refunds (refunded_at);

CREATE TABLE refund_lines (
    refund_id TEXT NOT NULL REFERENCES refunds (id),
    line_id TEXT NOT NULL REFERENCES order_lines (line_id),
    order_id TEXT NOT NULL REFERENCES order_sessions (id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <= 0),
    tax_code TEXT NOT NULL DEFAULT '',
    tax_cents INTEGER NOT NULL DEFAULT 0 CHECK (tax_cents <= 0),
    excess INTEGER NOT NULL DEFAULT 0 CHECK (excess IN (0, 1)),
    PRIMARY KEY (refund_id, line_id)
);
CREATE INDEX refund_lines_by_line ON refund_lines (line_id);

CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds
BEGIN
    SELECT RAISE(ABORT, 'refunds are money facts: append-only');
END;

CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
BEGIN
    SELECT RAISE(ABORT, 'refunds are money facts: append-only');
END;

CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines
BEGIN
    SELECT RAISE(ABORT, 'refunds are money facts: append-only');
END;

CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines
BEGIN
    SELECT RAISE(ABORT, 'refunds are money facts: append-only');
END;

-- Review items gain the kind a refund that lost a race files (rebuilt: SQLite cannot change a CHECK).
CREATE TABLE review_items_v13 (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('paid_order_changed', 'paid_twice', 'lines_after_payment',
                                       'line_conflict', 'sync_rejected', 'over_refunded')),
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
INSERT INTO review_items_v13 SELECT id, kind, order_id, tab_id, payment_id, terminal_id,
    amount_cents, summary, detail, created_at, status, resolution, resolution_note, resolved_by,
    resolved_at FROM review_items;
DROP INDEX review_items_open;
DROP INDEX review_items_by_order;
DROP TABLE review_items;
ALTER TABLE review_items_v13 RENAME TO review_items;
CREATE INDEX review_items_open ON review_items (created_at) WHERE status = 'open';
CREATE INDEX review_items_by_order ON review_items (order_id) WHERE order_id IS NOT NULL;
