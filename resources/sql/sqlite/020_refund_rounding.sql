-- SafeTill schema, version 20 (SQLite): partly fitting refunds and cash rounding of refunds (issue 15).
-- - refund_lines: one row per (refund, line, excess). A till's refund line that pays back more units
--   than the server had left (another till refunded some meanwhile) is booked as two rows: the units
--   that fit (excess 0, counted in order_lines.refunded_qty) and the rest (excess 1, counted toward
--   nothing, named by an over_refunded review item). The two rows' amounts and taxes add up to what
--   the till paid back for the line (docs/sync-protocol.md section 5.5). Rebuilt: SQLite cannot
--   change a primary key.
-- - refunds.rounding_cents: what cash rounding added to (or took off) the cash paid back, as for a
--   payment (012): the cash that left the drawer is -(amount_cents + rounding_cents). 0 for card and
--   other refunds and for a shop without a cash-rounding step.
-- - order_lines.refunded_elsewhere_qty (a till's): the units of its own sale's line that the server
--   counts refunded by others (its REST API, other tills), as of the last sync pull
--   (docs/sync-protocol.md section 4). A till refunds only what neither it nor the server has
--   refunded: its conditional update is refunded_qty + refunded_elsewhere_qty + n <= quantity.
--   Always 0 on the server (its refunded_qty counts everything). Written by model/OrderStore only.

CREATE TABLE refund_lines_v20 (
    refund_id TEXT NOT NULL REFERENCES refunds (id),
    line_id TEXT NOT NULL REFERENCES order_lines (line_id),
    order_id TEXT NOT NULL REFERENCES order_sessions (id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <= 0),
    tax_code TEXT NOT NULL DEFAULT '',
    tax_cents INTEGER NOT NULL DEFAULT 0 CHECK (tax_cents <= 0),
    excess INTEGER NOT NULL DEFAULT 0 CHECK (excess IN (0, 1)),
    PRIMARY KEY (refund_id, line_id, excess)
);
INSERT INTO refund_lines_v20 SELECT refund_id, line_id, order_id, quantity, amount_cents, tax_code,
    tax_cents, excess FROM refund_lines;
DROP TRIGGER refund_lines_no_update;
DROP TRIGGER refund_lines_no_delete;
DROP INDEX refund_lines_by_line;
DROP TABLE refund_lines;
ALTER TABLE refund_lines_v20 RENAME TO refund_lines;
CREATE INDEX refund_lines_by_line ON refund_lines (line_id);

CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines
BEGIN
    SELECT RAISE(ABORT, 'refunds are money facts: append-only');
END;

CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines
BEGIN
    SELECT RAISE(ABORT, 'refunds are money facts: append-only');
END;

ALTER TABLE refunds ADD COLUMN rounding_cents INTEGER NOT NULL DEFAULT 0
    CHECK (rounding_cents BETWEEN -10000 AND 10000 AND (method = 'cash' OR rounding_cents = 0)
           AND amount_cents + rounding_cents <= 0);

ALTER TABLE order_lines ADD COLUMN refunded_elsewhere_qty INTEGER NOT NULL DEFAULT 0
    CHECK (refunded_elsewhere_qty BETWEEN 0 AND 9999);
CREATE INDEX order_lines_refunded_elsewhere ON order_lines (line_id) WHERE refunded_elsewhere_qty > 0;
