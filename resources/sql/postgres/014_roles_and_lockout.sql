-- SafeTill schema, version 14 (PostgreSQL): roles and approvals, and the persistent PIN lockout
-- (issue 15).
-- - pin_failures: wrong PINs per cashier, counted in the database by model/CashierService (its
--   one writer), so a lockout survives a restart and holds for every window and process on the
--   database. failures counts the wrong PINs since the last right one; locked_until (UTC storage
--   time) is when the cashier may try again, NULL while not locked. A right PIN (or a new PIN)
--   deletes the row.
-- - order_history.approved_by: the manager who approved an action that a cashier alone may not
--   do (a discount above the shop's limit, a price override), next to the cashier who did it
--   (cashier_id, and the discount's or override's `by`). NULL when no approval was needed or the
--   actor was a manager.

CREATE TABLE pin_failures (
    cashier_id TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 1),
    locked_until TEXT,
    updated_at TEXT NOT NULL
);

ALTER TABLE order_history ADD COLUMN approved_by TEXT;
