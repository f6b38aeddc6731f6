-- The Authentication tab: re-authentication window, second factor, e-mail changes, the
-- two-step sign-in, and minimal application ownership.

-- When the session last proved its password (and second factor): sensitive changes are allowed
-- for a few minutes after.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT;

-- One TOTP secret per account, sealed with the server key (never stored in clear).
-- `enabled_at` is NULL while enrolment waits for its first code. `last_step` is the last
-- accepted time step: a code is accepted once (compare-and-set on this column).
CREATE TABLE totp_secrets (
    user_id       TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    sealed_secret TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    enabled_at    BIGINT,
    last_step     BIGINT NOT NULL DEFAULT 0
);

-- Single-use recovery codes, as SHA-256 digests.
CREATE TABLE recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_digest TEXT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (user_id, code_digest)
);

-- A sign-in whose password was right and which waits for its second factor. It grants nothing.
CREATE TABLE sign_in_challenges (
    token_digest TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sign_in_challenges_by_user ON sign_in_challenges(user_id);

-- A pending e-mail change: the link to the new address confirms it, the link to the old one
-- cancels it. Digests only.
CREATE TABLE email_changes (
    token_digest  TEXT PRIMARY KEY,
    cancel_digest TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    new_email     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    closed_at     BIGINT
);
CREATE INDEX email_changes_by_user ON email_changes(user_id);

-- Applications: only what account deletion needs to know (the apps API comes later). No
-- cascade: an account that owns applications cannot be deleted.
CREATE TABLE apps (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    owner_id   TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX apps_by_owner ON apps(owner_id);
