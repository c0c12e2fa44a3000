-- SafeTill schema, version 19 (PostgreSQL): who holds a receipt's print claim (issue 16, printing
-- exactly once). Written by model/PrintStore only.
-- - receipt_prints.owner_pid, owner_host, owner_instance: the process that claimed the print (its
--   process id, the machine's host name, and a random id the process draws once at start, so a
--   process id used again by a later process is not mistaken for the claimer). A 'printing' claim
--   whose process is known dead on the same machine is recognised as interrupted at once; other
--   claims only after PrintStore::abandonedAfterMs. NULL on claims made before this version.
-- - state 'interrupted': the original's print was cut off (its process died while printing) and
--   nobody knows whether the printer printed it. It is never printed again as an original: a
--   reprint is a copy (marked COPY). printed_at of an interrupted original: when a copy was
--   printed in its place (the customer has a receipt; NULL while it still needs one).

ALTER TABLE receipt_prints ADD COLUMN owner_pid BIGINT;
ALTER TABLE receipt_prints ADD COLUMN owner_host TEXT;
ALTER TABLE receipt_prints ADD COLUMN owner_instance TEXT;
ALTER TABLE receipt_prints DROP CONSTRAINT receipt_prints_state_check;
ALTER TABLE receipt_prints ADD CONSTRAINT receipt_prints_state_check
    CHECK (state IN ('printing', 'printed', 'failed', 'interrupted'));
