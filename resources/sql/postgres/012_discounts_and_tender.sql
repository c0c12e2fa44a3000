-- SafeTill schema, version 12 (PostgreSQL): discounts, price overrides and split tender (issue 14).
-- The same as on SQLite (resources/sql/sqlite/012_discounts_and_tender.sql, which explains each
-- column); PostgreSQL changes the payments' constraints in place.

ALTER TABLE order_lines
    ADD COLUMN discount_kind TEXT NOT NULL DEFAULT ''
        CHECK (discount_kind IN ('', 'percent', 'amount')),
    ADD COLUMN discount_value BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN discount_reason TEXT NOT NULL DEFAULT '' CHECK (length(discount_reason) <= 200),
    ADD COLUMN discount_by TEXT,
    ADD COLUMN list_price_cents BIGINT
        CHECK (list_price_cents IS NULL OR list_price_cents BETWEEN 0 AND 99999999),
    ADD COLUMN price_reason TEXT NOT NULL DEFAULT '' CHECK (length(price_reason) <= 200),
    ADD CONSTRAINT order_lines_discount_value CHECK (
        discount_value >= 0 AND (discount_kind <> 'percent' OR discount_value <= 10000)
        AND (discount_kind <> '' OR discount_value = 0));

ALTER TABLE order_sessions
    ADD COLUMN discount_kind TEXT NOT NULL DEFAULT ''
        CHECK (discount_kind IN ('', 'percent', 'amount')),
    ADD COLUMN discount_value BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN discount_reason TEXT NOT NULL DEFAULT '' CHECK (length(discount_reason) <= 200),
    ADD COLUMN discount_by TEXT,
    ADD COLUMN paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    ADD CONSTRAINT order_sessions_discount_value CHECK (
        discount_value >= 0 AND (discount_kind <> 'percent' OR discount_value <= 10000)
        AND (discount_kind <> '' OR discount_value = 0));
UPDATE order_sessions o SET paid_cents = s.paid
    FROM (SELECT order_id, SUM(amount_cents)::BIGINT AS paid FROM payments
          WHERE order_id IS NOT NULL AND kind = 'sale' GROUP BY order_id) s
    WHERE o.id = s.order_id;

ALTER TABLE tabs ADD COLUMN paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0);
UPDATE tabs t SET paid_cents = s.paid
    FROM (SELECT tab_id, SUM(amount_cents)::BIGINT AS paid FROM payments
          WHERE tab_id IS NOT NULL AND kind = 'sale' GROUP BY tab_id) s
    WHERE t.id = s.tab_id;


-- The checks that rounding changes, found by what they say (PostgreSQL named them in 006 after
-- the table they were created on; a multi-column check gets a numbered name).
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'payments'::regclass AND contype = 'c'
               AND (pg_get_constraintdef(oid) LIKE '%method = ANY%'
                    OR pg_get_constraintdef(oid) = 'CHECK ((tendered_cents >= amount_cents))'
                    OR pg_get_constraintdef(oid) =
                       'CHECK ((change_cents = (tendered_cents - amount_cents)))')
    LOOP
        EXECUTE format('ALTER TABLE payments DROP CONSTRAINT %I', c.conname);
    END LOOP;
END;
$$;
ALTER TABLE payments
    ALTER COLUMN receipt_no DROP NOT NULL,
    ADD COLUMN label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 60),
    ADD COLUMN rounding_cents BIGINT NOT NULL DEFAULT 0
        CHECK (rounding_cents BETWEEN -10000 AND 10000),
    ADD CONSTRAINT payments_method CHECK (method IN ('cash', 'card', 'other')),
    ADD CONSTRAINT payments_tendered CHECK (tendered_cents >= amount_cents + rounding_cents),
    ADD CONSTRAINT payments_change
        CHECK (change_cents = tendered_cents - amount_cents - rounding_cents),
    ADD CONSTRAINT payments_rounding_is_cash CHECK (method = 'cash' OR rounding_cents = 0),
    ADD CONSTRAINT payments_label_is_other CHECK ((method = 'other') = (label <> ''));

-- The receipts list lists the payment that carries the receipt number (the last of a split
-- tender; due_cents is its order's total).
DROP INDEX payments_sales_by_time;
DROP INDEX payments_sales_by_amount;
CREATE INDEX payments_sales_by_time ON payments (paid_at, receipt_no)
    WHERE kind = 'sale' AND receipt_no IS NOT NULL;
CREATE INDEX payments_sales_by_amount ON payments (due_cents, paid_at, receipt_no)
    WHERE kind = 'sale' AND receipt_no IS NOT NULL;
