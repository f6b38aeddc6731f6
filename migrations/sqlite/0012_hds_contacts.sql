-- The healthcare point of contact (HDS): one per account, gone with it. Fields are stored
-- normalised (phone in E.164, country as an ISO 3166 code). `reviewed_at` is the last time the
-- user saved or confirmed it (the yearly review counts from there); each reminder column holds
-- the `reviewed_at` its mail was sent for, so a reminder goes once per review cycle and a new
-- review re-arms both without another write.
CREATE TABLE hds_contacts (
    user_id             TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    org_type            TEXT NOT NULL,
    name                TEXT NOT NULL,
    email               TEXT NOT NULL,
    phone_number        TEXT NOT NULL,
    company             TEXT NOT NULL,
    address_line1       TEXT NOT NULL,
    address_line2       TEXT NOT NULL,
    address_city        TEXT NOT NULL,
    address_zip         TEXT NOT NULL,
    address_country     TEXT NOT NULL,
    notes               TEXT NOT NULL,
    updated_at          BIGINT NOT NULL,
    reviewed_at         BIGINT NOT NULL,
    soon_reminder_for   BIGINT,
    due_reminder_for    BIGINT
);
CREATE INDEX hds_contacts_by_review ON hds_contacts(reviewed_at);
