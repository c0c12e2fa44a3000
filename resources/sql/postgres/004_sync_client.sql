-- SafeTill schema, version 4 (PostgreSQL): the terminal side of sync. Terminals use SQLite; the
-- same tables exist here so both dialects stay at one schema version. Idle on the server.

CREATE TABLE sync_client_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT,
    pull_etag TEXT,
    last_success_at TEXT,
    last_error TEXT,
    next_attempt_at TEXT
);
INSERT INTO sync_client_state (id) VALUES (1);

CREATE TABLE sync_op_problems (
    seq BIGINT PRIMARY KEY REFERENCES outbox (seq),
    kind TEXT NOT NULL CHECK (kind IN ('rejected', 'conflict')),
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE sync_messages (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    order_id TEXT,
    message TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
    acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1))
);
