-- Passkeys (WebAuthn credentials). `credential` is webauthn-rs's Passkey as JSON: the public
-- key, the signature counter and flags; never anything secret. `credential_id` (base64url) is
-- unique across accounts: one authenticator credential belongs to one account.
CREATE TABLE passkeys (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential    TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);
CREATE INDEX passkeys_by_user ON passkeys(user_id);

-- A ceremony waiting for the browser's answer, under the digest of the id the browser holds;
-- taken (deleted) once, so an answer cannot be replayed.
CREATE TABLE passkey_ceremonies (
    id_digest  TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    state      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
