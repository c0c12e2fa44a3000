-- SafeTill schema, version 15 (SQLite): the printed state of receipts (issue 16, "Till hardware"),
-- so that a receipt's original is printed at most once and a receipt that was paid but never
-- printed is found again. Written by model/PrintStore only.
-- - receipt_prints: one row per print of a receipt (receipt_no, as the sale payment carries it).
--   kind 'original' is the customer's receipt (at most one row per receipt: the partial unique
--   index below is the claim two windows race for), 'copy' a reprint (any number). state:
--   'printing' once claimed (claim is the claimer's token, claimed_at when), 'printed' when the
--   printer took the bytes (printed_at), 'failed' when it did not (error says why; the original
--   may be claimed again: "print now"). An original left 'printing' by a process that died is
--   claimable again after a while. Times are UTC storage times.

CREATE TABLE receipt_prints (
    id TEXT PRIMARY KEY,
    receipt_no TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('original', 'copy')),
    state TEXT NOT NULL CHECK (state IN ('printing', 'printed', 'failed')),
    claim TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    printed_at TEXT,
    error TEXT
);

CREATE UNIQUE INDEX receipt_prints_original ON receipt_prints (receipt_no) WHERE kind = 'original';
CREATE INDEX receipt_prints_receipt ON receipt_prints (receipt_no, kind);
