-- SafeTill schema, version 21 (PostgreSQL): the terminal of the sale a refund pays back.
-- - refunds.original_terminal_id: the terminal_id of the original receipt's sale payment (kind
--   'sale', receipt_no = original_receipt_no), stored with the refund so that the sync pull's
--   "refunded elsewhere" (docs/sync-protocol.md section 4: what others refunded of a till's
--   sales) reads an index range over exactly the refunds of that till's sales made on another
--   terminal or through the REST API, not every refund of the shop. Written by model/OrderStore
--   only (insertRefund, from the sale its callers read). Refunds made before this version get it
--   from their sale here; NULL only for a refund whose sale this database does not have.
--   `verify` checks it against the sale (refund_origin_wrong).
-- refunds is append-only (013's trigger): the backfill runs with the trigger disabled, inside
-- this migration's transaction, and enables it again.

ALTER TABLE refunds ADD COLUMN original_terminal_id TEXT;

ALTER TABLE refunds DISABLE TRIGGER refunds_append_only;
UPDATE refunds r SET original_terminal_id = p.terminal_id
    FROM payments p WHERE p.receipt_no = r.original_receipt_no AND p.kind = 'sale';
ALTER TABLE refunds ENABLE TRIGGER refunds_append_only;

-- The pull's key: the sale's terminal for a refund made away from it (another terminal, the REST
-- API), NULL for one made where the sale was; the pull's query repeats the expression. An
-- expression index rather than a partial one: PostgreSQL keeps statistics of an index's
-- expression, so it knows how few refunds one terminal's key matches and reads their lines by
-- key; for a partial index's predicate it guesses almost every refund of the terminal's sales
-- and hashes all of refund_lines instead.
CREATE INDEX refunds_of_sales_elsewhere ON refunds
    ((CASE WHEN original_terminal_id <> terminal_id THEN original_terminal_id END));
