-- SafeTill schema, version 19 (SQLite): who holds a receipt's print claim (issue 16, printing
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
-- SQLite cannot change a CHECK in place, so the table is rebuilt with the same rows.

CREATE TABLE receipt_prints_019 (
    id TEXT PRIMARY KEY,
    receipt_no TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('original', 'copy')),
    state TEXT NOT NULL CHECK (state IN ('printing', 'printed', 'failed', 'interrupted')),
    claim TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    printed_at TEXT,
    error TEXT,
    owner_pid INTEGER,
    owner_host TEXT,
    owner_instance TEXT
);

INSERT INTO receipt_prints_019 (id, receipt_no, kind, state, claim, terminal_id, claimed_at,
                                printed_at, error)
SELECT id, receipt_no, kind, state, claim, terminal_id, claimed_at, printed_at, error
FROM receipt_prints;

DROP INDEX receipt_prints_original;
DROP INDEX receipt_prints_receipt;
DROP TABLE receipt_prints;
ALTER TABLE receipt_prints_019 RENAME TO receipt_prints;

CREATE UNIQUE INDEX receipt_prints_original ON receipt_prints (receipt_no) WHERE kind = 'original';
CREATE INDEX receipt_prints_receipt ON receipt_prints (receipt_no, kind);
