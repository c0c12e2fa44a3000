-- SafeTill schema, version 20 (PostgreSQL): partly fitting refunds and cash rounding of refunds (issue 15).
-- - refund_lines: one row per (refund, line, excess). A till's refund line that pays back more units
--   than the server had left (another till refunded some meanwhile) is booked as two rows: the units
--   that fit (excess 0, counted in order_lines.refunded_qty) and the rest (excess 1, counted toward
--   nothing, named by an over_refunded review item). The two rows' amounts and taxes add up to what
--   the till paid back for the line (docs/sync-protocol.md section 5.5).
-- - refunds.rounding_cents: what cash rounding added to (or took off) the cash paid back, as for a
--   payment (012): the cash that left the drawer is -(amount_cents + rounding_cents). 0 for card and
--   other refunds and for a shop without a cash-rounding step.
-- - order_lines.refunded_elsewhere_qty (a till's): the units of its own sale's line that the server
--   counts refunded by others (its REST API, other tills), as of the last sync pull
--   (docs/sync-protocol.md section 4). A till refunds only what neither it nor the server has
--   refunded: its conditional update is refunded_qty + refunded_elsewhere_qty + n <= quantity.
--   Always 0 on the server (its refunded_qty counts everything). Written by model/OrderStore only.

ALTER TABLE refund_lines DROP CONSTRAINT refund_lines_pkey,
    ADD CONSTRAINT refund_lines_pkey PRIMARY KEY (refund_id, line_id, excess);

ALTER TABLE refunds
    ADD COLUMN rounding_cents BIGINT NOT NULL DEFAULT 0
        CHECK (rounding_cents BETWEEN -10000 AND 10000),
    ADD CONSTRAINT refunds_rounding_is_cash CHECK (method = 'cash' OR rounding_cents = 0),
    ADD CONSTRAINT refunds_rounded_is_money_out CHECK (amount_cents + rounding_cents <= 0);

ALTER TABLE order_lines ADD COLUMN refunded_elsewhere_qty INTEGER NOT NULL DEFAULT 0
    CHECK (refunded_elsewhere_qty BETWEEN 0 AND 9999);
CREATE INDEX order_lines_refunded_elsewhere ON order_lines (line_id) WHERE refunded_elsewhere_qty > 0;
