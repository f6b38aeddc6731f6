-- Browsers known to an account (OWASP's device cookies): the cookie is signed, but only a
-- nonce listed here makes it count. Each account keeps its most recently used few, and a
-- password change or reset forgets them all, so cookies gathered with an old password buy no
-- extra guesses. Only a SHA-256 digest of each nonce is stored.
CREATE TABLE device_nonces (
    nonce_digest TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX device_nonces_by_user ON device_nonces(user_id, last_used_at);

-- "It was not me" links mailed to the confirmed address when a token is created, a key added
-- or the second factor changed. Following one ends every session and API token (and removes
-- the key it was about). `subject` names what the mail was about (a key's fingerprint).
CREATE TABLE security_reports (
    token_digest TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    subject      TEXT,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX security_reports_by_user ON security_reports(user_id);
