-- "Forgot password?" links: only a SHA-256 digest of each token is stored. A token works once,
-- until it expires; redeeming one ends every other outstanding one of the account.
CREATE TABLE password_resets (
    token_digest TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX password_resets_by_user ON password_resets(user_id);
