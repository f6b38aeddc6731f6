-- Account deletion through the REST API is two steps, as Scalingo's is: a request mails a
-- one-time code to the account's address, and only that code confirms it. A bearer token
-- alone cannot delete an account. The request goes with its account (ON DELETE CASCADE).
CREATE TABLE account_deletions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_digest TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX account_deletions_by_user ON account_deletions(user_id);
