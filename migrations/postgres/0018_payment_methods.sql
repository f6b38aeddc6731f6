-- Payment methods through the provider (Stripe). Only what is shown is kept: a card's brand,
-- last four digits and expiry, a SEPA mandate's country, last four, reference and signature;
-- never a card number or a whole IBAN.
CREATE TABLE billing_customers (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL
);

CREATE TABLE payment_methods (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    provider_id       TEXT NOT NULL UNIQUE,
    brand             TEXT NOT NULL,
    last4             TEXT NOT NULL,
    exp_month         BIGINT NOT NULL,
    exp_year          BIGINT NOT NULL,
    country           TEXT NOT NULL,
    holder            TEXT NOT NULL,
    mandate_reference TEXT NOT NULL,
    mandate_signed_at BIGINT NOT NULL,
    mandate_ip        TEXT NOT NULL,
    is_default        BIGINT NOT NULL,
    created_at        BIGINT NOT NULL
);
CREATE INDEX payment_methods_by_user ON payment_methods(user_id);

-- An invoice being charged: `paying` while the provider is asked (the claim keeps a second run
-- away), `processing` while a SEPA debit waits for the provider's webhook.
ALTER TABLE invoices ADD COLUMN payment_intent TEXT;
ALTER TABLE invoices ADD COLUMN paying_since BIGINT;
-- What a claim charges (kept with it: a retry after an outage sends exactly the same request,
-- whatever the account's methods have become meanwhile).
ALTER TABLE invoices ADD COLUMN paying_kind TEXT;
ALTER TABLE invoices ADD COLUMN paying_provider_id TEXT;
ALTER TABLE invoices ADD COLUMN paying_customer TEXT;

-- Credit bought with a payment method; it reaches the ledger once the money is in. `unknown`:
-- the provider could not be asked to the end; its webhook (matched by the purchase's id in the
-- charge's metadata) settles it.
CREATE TABLE credit_purchases (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    amount_cents   BIGINT NOT NULL,
    method         TEXT NOT NULL,
    payment_intent TEXT,
    state          TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);

-- Provider webhooks already acted on: the same event twice is refused.
CREATE TABLE provider_events (
    id          TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
