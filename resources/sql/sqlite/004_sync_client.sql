-- SafeTill schema, version 4 (SQLite): the terminal side of sync (sync/, docs/sync-protocol.md).
-- Idle on the server. The outbox keeps its rows forever; what the client learned about them lives
-- here, so the outbox's own CHECKs stay as they are.

-- One row: where this terminal syncs to, what it pulled last and when it may try again.
CREATE TABLE sync_client_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT,          -- set by the first successful pull: from then on the terminal is synced
    pull_etag TEXT,
    last_success_at TEXT,
    last_error TEXT,
    next_attempt_at TEXT      -- backoff: no push before this time (UTC)
);
INSERT INTO sync_client_state (id) VALUES (1);

-- Why an outbox row was not applied (outbox.state = 'failed'): rejected by the server, or a
-- conflict where the server's state won. Kept for inspection, never deleted.
CREATE TABLE sync_op_problems (
    seq INTEGER PRIMARY KEY REFERENCES outbox (seq),
    kind TEXT NOT NULL CHECK (kind IN ('rejected', 'conflict')),
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL
);

-- What the cashier must be told (a conflict: which order, what changed), until acknowledged.
CREATE TABLE sync_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    order_id TEXT,
    message TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
    acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1))
);
