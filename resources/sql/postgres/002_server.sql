-- SafeTill schema, version 2 (PostgreSQL): what the central server (safetill-server) needs besides
-- the order tables. Secrets are never stored: tokens are kept only as SHA-256 hashes (hex), so a copy
-- of the database does not let anyone sign in. Times are UTC ISO-8601 text like everywhere else
-- (fixed width, so they compare correctly as text).

-- Bearer tokens from POST /api/auth/login. Random, 256 bits, so a fast hash is enough (unlike PINs).
-- In the database, not in a server's memory, so every server process accepts every token.
CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    cashier_id TEXT NOT NULL REFERENCES cashiers (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX auth_tokens_by_expiry ON auth_tokens (expires_at);

-- Terminals that sync to this server; the token is shown once by `safetill-server device add`.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    name_key TEXT COLLATE "C" NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Failed-login throttle, one row per user name and one per client address. A 4-digit PIN falls to
-- 10,000 guesses, so each attempt is counted here (in its own write transaction, before the PIN is
-- checked) and the lock holds across server processes and restarts.
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY CHECK (length(throttle_key) BETWEEN 1 AND 200),
    failures INTEGER NOT NULL CHECK (failures >= 0),
    window_start TEXT NOT NULL,
    locked_until TEXT
);
