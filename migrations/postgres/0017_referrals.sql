-- Referrals (#19). Each account's referral code, made when first asked for.
CREATE TABLE referral_codes (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    code    TEXT NOT NULL UNIQUE
);

-- Clicks on a referral link, counted per day and nothing else: no address, no browser.
CREATE TABLE referral_clicks (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    clicks  BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Who referred whom: written when the referee's account is created. The referrer is kept with
-- the sign-up request, so confirming from another browser keeps the attribution.
CREATE TABLE referrals (
    referee_id  TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    referrer_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL
);
CREATE INDEX referrals_by_referrer ON referrals(referrer_id);

ALTER TABLE signup_requests ADD COLUMN referrer_id TEXT;

-- A referee's invoice earns its referrer once.
CREATE UNIQUE INDEX billing_ledger_once_per_invoice ON billing_ledger(invoice_id, source);
