-- SafeTill schema, version 13 (PostgreSQL): shifts, cash movements, refunds and voids (issue 15).
-- The same tables and rules as the SQLite script of this version (read its header). A money fact's
-- writer reads its terminal's open shift FOR SHARE in its own transaction, and closing a shift
-- locks that row FOR UPDATE before it sums the shift: a fact either commits before the close reads
-- (and is in its Z report) or waits, finds the shift closed and goes to the next one.

CREATE TABLE shifts (
    id TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by TEXT,
    opened_at TEXT NOT NULL,
    float_cents BIGINT NOT NULL DEFAULT 0 CHECK (float_cents BETWEEN 0 AND 99999999),
    auto_opened INTEGER NOT NULL DEFAULT 0 CHECK (auto_opened IN (0, 1)),
    z_number INTEGER CHECK (z_number >= 1),
    closed_by TEXT,
    closed_at TEXT,
    expected_cents BIGINT,
    counted_cents BIGINT CHECK (counted_cents BETWEEN 0 AND 99999999),
    counted_card_cents BIGINT CHECK (counted_card_cents BETWEEN 0 AND 99999999),
    z_report TEXT,
    UNIQUE (terminal_id, z_number),
    CONSTRAINT shifts_closed_complete
        CHECK ((status = 'closed') = (z_number IS NOT NULL AND closed_at IS NOT NULL
                                      AND expected_cents IS NOT NULL AND counted_cents IS NOT NULL
                                      AND z_report IS NOT NULL))
);
CREATE UNIQUE INDEX shifts_one_open_per_terminal ON shifts (terminal_id) WHERE status = 'open';
CREATE INDEX shifts_by_close ON shifts (closed_at) WHERE status = 'closed';

CREATE FUNCTION shifts_closed_never_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'shifts are kept: their Z reports are records';
    END IF;
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'a closed shift and its Z report never change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER shifts_closed_never_change BEFORE UPDATE OR DELETE ON shifts
    FOR EACH ROW EXECUTE FUNCTION shifts_closed_never_change();

CREATE TABLE cash_movements (
    id TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL REFERENCES shifts (id),
    terminal_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pay_in', 'pay_out', 'no_sale')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents BETWEEN 0 AND 99999999),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    cashier_id TEXT NOT NULL,
    approved_by TEXT,
    created_at TEXT NOT NULL,
    CONSTRAINT cash_movements_no_sale_amount CHECK ((kind = 'no_sale') = (amount_cents = 0)),
    CONSTRAINT cash_movements_reason CHECK (kind = 'no_sale' OR length(reason) >= 1)
);
CREATE INDEX cash_movements_by_shift ON cash_movements (shift_id);

-- One function keeps every money fact of this version append-only.
CREATE FUNCTION money_facts_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are money facts: append-only', TG_ARGV[0];
END;
$$;
CREATE TRIGGER cash_movements_append_only BEFORE UPDATE OR DELETE ON cash_movements
    FOR EACH ROW EXECUTE FUNCTION money_facts_append_only('cash movements');
CREATE TRIGGER cash_movements_no_truncate BEFORE TRUNCATE ON cash_movements
    FOR EACH STATEMENT EXECUTE FUNCTION money_facts_append_only('cash movements');

ALTER TABLE payments ADD COLUMN shift_id TEXT REFERENCES shifts (id);
CREATE INDEX payments_by_shift ON payments (shift_id) WHERE shift_id IS NOT NULL;

ALTER TABLE order_lines ADD COLUMN refunded_qty INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT order_lines_refunded_qty CHECK (refunded_qty >= 0 AND refunded_qty <= quantity);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
    receipt_no TEXT NOT NULL UNIQUE,
    original_receipt_no TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'other')),
    label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 60),
    amount_cents BIGINT NOT NULL CHECK (amount_cents <= 0),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    cashier_id TEXT NOT NULL,
    approved_by TEXT,
    terminal_id TEXT NOT NULL,
    shift_id TEXT REFERENCES shifts (id),
    refunded_at TEXT NOT NULL,
    CONSTRAINT refunds_void_reason CHECK (kind <> 'void' OR length(reason) >= 1),
    CONSTRAINT refunds_label CHECK ((method = 'other') = (label <> ''))
);
CREATE INDEX refunds_by_original ON refunds (original_receipt_no);
CREATE INDEX refunds_by_shift ON refunds (shift_id) WHERE shift_id IS NOT NULL;
CREATE INDEX refunds_by_time ON refunds (refunded_at);

CREATE TABLE refund_lines (
    refund_id TEXT NOT NULL REFERENCES refunds (id),
    line_id TEXT NOT NULL REFERENCES order_lines (line_id),
    order_id TEXT NOT NULL REFERENCES order_sessions (id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    amount_cents BIGINT NOT NULL CHECK (amount_cents <= 0),
    tax_code TEXT NOT NULL DEFAULT '',
    tax_cents BIGINT NOT NULL DEFAULT 0 CHECK (tax_cents <= 0),
    excess INTEGER NOT NULL DEFAULT 0 CHECK (excess IN (0, 1)),
    PRIMARY KEY (refund_id, line_id)
);
CREATE INDEX refund_lines_by_line ON refund_lines (line_id);

CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds
    FOR EACH ROW EXECUTE FUNCTION money_facts_append_only('refunds');
CREATE TRIGGER refunds_no_truncate BEFORE TRUNCATE ON refunds
    FOR EACH STATEMENT EXECUTE FUNCTION money_facts_append_only('refunds');
CREATE TRIGGER refund_lines_append_only BEFORE UPDATE OR DELETE ON refund_lines
    FOR EACH ROW EXECUTE FUNCTION money_facts_append_only('refunds');
CREATE TRIGGER refund_lines_no_truncate BEFORE TRUNCATE ON refund_lines
    FOR EACH STATEMENT EXECUTE FUNCTION money_facts_append_only('refunds');

-- Review items gain the kind a refund that lost a race files; the old check found by what it says.
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'review_items'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%paid_order_changed%'
    LOOP
        EXECUTE format('ALTER TABLE review_items DROP CONSTRAINT %I', c.conname);
    END LOOP;
END;
$$;
ALTER TABLE review_items ADD CONSTRAINT review_items_kind
    CHECK (kind IN ('paid_order_changed', 'paid_twice', 'lines_after_payment', 'line_conflict',
                    'sync_rejected', 'over_refunded'));
