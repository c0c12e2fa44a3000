-- SafeTill schema, version 10 (PostgreSQL): the receipts list (model/ReceiptSearch) finds past
-- sales by amount and by day through an index, newest first, reading only the rows it shows
-- (bench/bench_receipts.cpp measures it on SQLite; tests/tst_query_plans.cpp checks the plans).
-- Partial: sale payments only, which are what the list shows.

-- A day's sales, newest first (also the list with no filter: the latest sales).
CREATE INDEX payments_sales_by_time ON payments (paid_at, receipt_no) WHERE kind = 'sale';
-- The sales of an exact amount, newest first.
CREATE INDEX payments_sales_by_amount ON payments (amount_cents, paid_at, receipt_no)
    WHERE kind = 'sale';
-- Receipt numbers by their start ("A1B2-0001" finds A1B2-000100 to A1B2-000199): a range in
-- byte order. The UNIQUE index on receipt_no sorts by the database's collation, which for a
-- range need not be byte order; this one is "C", as the search's comparisons are.
CREATE INDEX payments_receipt_bytes ON payments ((receipt_no COLLATE "C"));
