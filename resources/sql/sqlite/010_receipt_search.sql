-- SafeTill schema, version 10 (SQLite): the receipts list (model/ReceiptSearch) finds past sales
-- by amount and by day among a million payments through an index, newest first, reading only the
-- rows it shows (bench/bench_receipts.cpp measures it; tests/tst_query_plans.cpp checks the plans).
-- A receipt number (exact or its start) is found through payments' UNIQUE index on receipt_no.
-- Partial: sale payments only, which are what the list shows.

-- A day's sales, newest first (also the list with no filter: the latest sales).
CREATE INDEX payments_sales_by_time ON payments (paid_at, receipt_no) WHERE kind = 'sale';
-- The sales of an exact amount, newest first.
CREATE INDEX payments_sales_by_amount ON payments (amount_cents, paid_at, receipt_no)
    WHERE kind = 'sale';
