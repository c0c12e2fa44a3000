-- SafeTill schema, version 1 (PostgreSQL): the same tables, columns and constraints as
-- resources/sql/sqlite/001_initial.sql, so the one model/ layer runs on both. Constraints are the last
-- line of defence: a bug in the code must hit one of them, not the customer.
--
-- Dialect choices, each so that the model code and its results are the same as on SQLite:
-- * Money and running numbers are BIGINT: a line total (99,999,999 cents x 9,999) overflows INTEGER,
--   where SQLite silently uses 64 bits. Versions, line numbers and quantities stay INTEGER.
-- * Times stay UTC ISO-8601 TEXT with milliseconds (as written by toStorageTime()): the model reads
--   and compares them as text, and a fixed-width UTC format orders correctly as text.
-- * Keys that are ordered or matched byte-wise on SQLite (name_key, sku) are COLLATE "C", so sorting
--   does not depend on the server's locale.
-- * LIKE is case-sensitive here (it is not on SQLite): the one LIKE below only checks a fixed prefix.

-- This terminal (on a server: the server): its receipt prefix and receipt sequence, advanced inside
-- the completing transaction (receipt numbers are for people, never used to de-duplicate).
CREATE TABLE terminal (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    receipt_prefix TEXT NOT NULL CHECK (length(receipt_prefix) BETWEEN 1 AND 8),
    next_receipt_seq BIGINT NOT NULL DEFAULT 1 CHECK (next_receipt_seq >= 1)
);
INSERT INTO terminal (id, receipt_prefix) VALUES (1, upper(substr(md5(random()::text), 1, 4)));

CREATE TABLE cashiers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    name_key TEXT COLLATE "C" NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
    created_at TEXT NOT NULL
);

CREATE TABLE products (
    sku TEXT COLLATE "C" PRIMARY KEY CHECK (length(sku) BETWEEN 1 AND 64),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    price_cents BIGINT NOT NULL CHECK (price_cents BETWEEN 0 AND 99999999),
    category TEXT NOT NULL DEFAULT '' CHECK (length(category) <= 64),
    updated_at TEXT NOT NULL
);

CREATE TABLE tabs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    name_key TEXT COLLATE "C" NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'settled')),
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    receipt_no TEXT UNIQUE,
    created_at TEXT NOT NULL,
    settled_at TEXT,
    CHECK ((status = 'settled') = (receipt_no IS NOT NULL AND settled_at IS NOT NULL))
);
-- One open tab per name: two windows creating "Table 5" at once end up on one tab.
CREATE UNIQUE INDEX tabs_one_open_per_name ON tabs (name_key) WHERE status = 'open';

CREATE TABLE order_sessions (
    id TEXT PRIMARY KEY,
    cashier_id TEXT NOT NULL REFERENCES cashiers (id),
    status TEXT NOT NULL CHECK (status IN ('active', 'pending_logout', 'assigned', 'completed')),
    version INTEGER NOT NULL CHECK (version >= 1),
    tab_id TEXT REFERENCES tabs (id),
    receipt_no TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    logout_time TEXT,
    completed_at TEXT,
    CHECK (status <> 'assigned' OR tab_id IS NOT NULL),
    CHECK ((status = 'pending_logout') = (logout_time IS NOT NULL)),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
-- At most one open order per cashier, also when two server processes open one at the same moment.
CREATE UNIQUE INDEX order_sessions_one_open_per_cashier
    ON order_sessions (cashier_id) WHERE status IN ('active', 'pending_logout');
CREATE INDEX order_sessions_by_tab ON order_sessions (tab_id) WHERE tab_id IS NOT NULL;

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES order_sessions (id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    sku TEXT COLLATE "C",
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    unit_price_cents BIGINT NOT NULL CHECK (unit_price_cents BETWEEN 0 AND 99999999),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    PRIMARY KEY (order_id, line_no)
);
-- A catalog product appears on one line per order; adding it again raises that line's quantity.
CREATE UNIQUE INDEX order_lines_one_per_sku ON order_lines (order_id, sku) WHERE sku IS NOT NULL;

-- One payment per order and one per tab, never both on one row.
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    order_id TEXT UNIQUE REFERENCES order_sessions (id),
    tab_id TEXT UNIQUE REFERENCES tabs (id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    tendered_cents BIGINT NOT NULL CHECK (tendered_cents >= amount_cents),
    change_cents BIGINT NOT NULL CHECK (change_cents = tendered_cents - amount_cents),
    receipt_no TEXT NOT NULL UNIQUE,
    paid_at TEXT NOT NULL,
    CHECK ((order_id IS NULL) <> (tab_id IS NULL))
);

-- Idempotency: the first execution of a request id stores its result in the same transaction as
-- its change; a repeat returns the stored result and changes nothing.
CREATE TABLE idempotency (
    request_id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Every local order action, for the sync client to push to the central server. On PostgreSQL a
-- sequence value is taken at INSERT, not at COMMIT, so seq order is not strictly commit order when
-- transactions overlap; a reader that needs commit order must not rely on seq alone.
CREATE TABLE outbox (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    op TEXT NOT NULL,
    order_id TEXT,
    tab_id TEXT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';

-- Who did what to an order, when, from which version to which. Append-only.
CREATE TABLE order_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES order_sessions (id),
    at TEXT NOT NULL,
    cashier_id TEXT,
    action TEXT NOT NULL,
    from_version INTEGER,
    to_version INTEGER NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL
);
CREATE INDEX order_history_by_order ON order_history (order_id, id);

-- RAISE EXCEPTION reports SQLSTATE P0001, which SqlFailure classifies like SQLite's RAISE(ABORT):
-- a constraint refused the change.
CREATE FUNCTION order_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'order history is append-only';
END;
$$;

CREATE TRIGGER order_history_no_update BEFORE UPDATE ON order_history
    FOR EACH ROW EXECUTE FUNCTION order_history_append_only();

CREATE TRIGGER order_history_no_delete BEFORE DELETE ON order_history
    FOR EACH ROW EXECUTE FUNCTION order_history_append_only();

-- TRUNCATE fires no row triggers; without this one it would empty the history silently.
CREATE TRIGGER order_history_no_truncate BEFORE TRUNCATE ON order_history
    FOR EACH STATEMENT EXECUTE FUNCTION order_history_append_only();
