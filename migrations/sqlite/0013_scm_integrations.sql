-- GitHub and GitLab accounts connected to an account: one per type, gone with the account.
-- Provider tokens are sealed (ChaCha20-Poly1305 under a key derived from the server key):
-- a copied database alone does not yield them. GitLab's OAuth tokens last two hours and are
-- rotated with the refresh token.
CREATE TABLE scm_integrations (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scm_type          TEXT NOT NULL,
    url               TEXT NOT NULL,
    uid               TEXT NOT NULL,
    username          TEXT NOT NULL,
    email             TEXT NOT NULL,
    avatar_url        TEXT NOT NULL,
    profile_url       TEXT NOT NULL,
    access_token      TEXT NOT NULL,
    refresh_token     TEXT,
    token_expires_at  BIGINT,
    created_at        BIGINT NOT NULL,
    UNIQUE (user_id, scm_type)
);

-- OAuth 2 flows under way: the `state` sent to the provider (stored as its SHA-256 digest),
-- who started it and the PKCE verifier (sealed). A callback consumes its row: a replayed or
-- forged state finds none. Rows older than ten minutes are refused and swept.
CREATE TABLE scm_oauth_states (
    state_digest  TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scm_type      TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
