-- E-mail changes remember the address they replace, when they were applied and when the old
-- address reported them: "it was not me" from the old address can then put it back, even after
-- the new address confirmed the change.
ALTER TABLE email_changes ADD COLUMN old_email TEXT NOT NULL DEFAULT '';
ALTER TABLE email_changes ADD COLUMN applied_at BIGINT;
ALTER TABLE email_changes ADD COLUMN reported_at BIGINT;
