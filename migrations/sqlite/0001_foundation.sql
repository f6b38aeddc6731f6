-- Times are Unix seconds (UTC) in BIGINT columns so the same queries run on SQLite and PostgreSQL.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- Only a SHA-256 digest of the session id is stored: a leaked table cannot be replayed.
CREATE TABLE sessions (
    id_digest    TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- The audit trail. No foreign key: it outlives the account it describes.
CREATE TABLE account_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT,
    type       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ip         TEXT,
    user_agent TEXT,
    data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX account_events_by_user ON account_events(user_id, id);

CREATE TRIGGER account_events_append_only_update BEFORE UPDATE ON account_events
BEGIN SELECT RAISE(ABORT, 'account_events is append-only'); END;
CREATE TRIGGER account_events_append_only_delete BEFORE DELETE ON account_events
BEGIN SELECT RAISE(ABORT, 'account_events is append-only'); END;

-- Failed sign-in counters per account and per client address.
CREATE TABLE login_throttle (
    key              TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    first_failure_at BIGINT NOT NULL,
    blocked_until    BIGINT NOT NULL
);
