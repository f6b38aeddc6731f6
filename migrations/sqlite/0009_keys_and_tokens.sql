-- SSH keys and API tokens. Both go with their account (ON DELETE CASCADE), so deleting an
-- account revokes them in the same statement.

-- A public key identifies who pushes: a fingerprint belongs to one account only, and names are
-- unique per account. `content` is the key line as OpenSSH writes it (type, base64, comment).
CREATE TABLE ssh_keys (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    algorithm   TEXT NOT NULL,
    bits        BIGINT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    content     TEXT NOT NULL,
    comment     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

-- API tokens, as SHA-256 digests of the secret (verification is one indexed lookup, never a
-- password hash). `issued_at` changes when the token is renewed: bearer tokens minted before
-- it stop working. `hint` is the secret's last four characters, to tell tokens apart.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    digest       TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    issued_at    BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
