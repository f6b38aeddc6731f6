-- Billing (#19). Money is integer cents everywhere.
--
-- The billing profile: who invoices are made out to. One per account, gone with it.
CREATE TABLE billing_profiles (
    user_id                 TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    name                    TEXT NOT NULL,
    company                 TEXT NOT NULL,
    email                   TEXT NOT NULL,
    address_line1           TEXT NOT NULL,
    address_line2           TEXT NOT NULL,
    address_city            TEXT NOT NULL,
    address_zip             TEXT NOT NULL,
    address_country         TEXT NOT NULL,
    vat_number              TEXT NOT NULL,
    invoice_additional_info TEXT NOT NULL,
    updated_at              BIGINT NOT NULL
);

-- Every movement of money, appended and never updated: the prepaid credit is the sum of
-- `credit_cents` (what the movement did to the credit), `amount_cents` is what the history shows
-- (an invoice paid by card moves money without touching the credit).
CREATE TABLE billing_ledger (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL,
    credit_cents BIGINT NOT NULL,
    source       TEXT NOT NULL,
    description  TEXT NOT NULL,
    invoice_id   TEXT,
    created_at   BIGINT NOT NULL,
    seq          BIGINT NOT NULL
);
CREATE INDEX billing_ledger_by_user ON billing_ledger(user_id, seq);

-- Hours an application ran in a month, recorded by the operator. The owner and the name are
-- copied: an application deleted later is still billed for the month it ran.
CREATE TABLE app_usage (
    app_id      TEXT NOT NULL,
    app_name    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    month       TEXT NOT NULL,
    hours       BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, month)
);
CREATE INDEX app_usage_by_month ON app_usage(month, user_id);

-- The last invoice number given in each year: taken and raised in the transaction that writes
-- the invoice, so a rolled-back invoice gives its number back and the series has no gap.
CREATE TABLE invoice_counters (
    year        BIGINT PRIMARY KEY,
    last_number BIGINT NOT NULL
);

-- Invoices outlive the account (accounting keeps them ten years): no reference to users, and
-- the buyer and seller as they were when the invoice was issued.
CREATE TABLE invoices (
    id                   TEXT PRIMARY KEY,
    user_id              TEXT NOT NULL,
    number               TEXT NOT NULL UNIQUE,
    month                TEXT NOT NULL,
    total_cents          BIGINT NOT NULL,
    vat_rate_permille    BIGINT NOT NULL,
    vat_cents            BIGINT NOT NULL,
    total_with_vat_cents BIGINT NOT NULL,
    vat_mention          TEXT NOT NULL,
    state                TEXT NOT NULL,
    payment_method       TEXT NOT NULL,
    buyer                TEXT NOT NULL,
    seller               TEXT NOT NULL,
    issued_at            BIGINT NOT NULL,
    due_at               BIGINT NOT NULL,
    paid_at              BIGINT,
    UNIQUE (user_id, month)
);
CREATE INDEX invoices_by_user ON invoices(user_id, issued_at);

CREATE TABLE invoice_lines (
    invoice_id       TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    app_name         TEXT NOT NULL,
    hours            BIGINT NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    price_cents      BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
