-- E-mail changes remember the address they replace, when they were applied and when the old
-- address reported them: "it was not me" from the old address can then put it back, even after
-- the new address confirmed the change.
ALTER TABLE email_changes ADD COLUMN old_email TEXT NOT NULL DEFAULT '';
ALTER TABLE email_changes ADD COLUMN applied_at BIGINT;
ALTER TABLE email_changes ADD COLUMN reported_at BIGINT;

-- Sign-ups waiting for their address to be confirmed. The account is created when the link
-- mailed to the address is followed, so the sign-up form answers the same whether or not an
-- account already uses the address. Rows keep a password hash: expired ones are purged.
CREATE TABLE signup_requests (
    token_digest  TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    theme         TEXT NOT NULL,
    lang          TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    documents     TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX signup_requests_by_expiry ON signup_requests(expires_at);
