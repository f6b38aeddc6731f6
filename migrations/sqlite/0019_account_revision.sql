-- Every page a signed-in person sees is drawn from their account's rows and from the published
-- legal documents. Each change to them bumps a counter, in the same transaction: `users.revision`
-- for the account's own rows, `content_revision.revision` for the documents everyone reads.
-- The session lookup reads both with the session, so a page cached under an older sum is never
-- served again, on this instance or any other sharing the database (web/page_cache.rs).
-- A table that holds a person's rows gets the three triggers below; a test checks none is missed.
-- Not counted: sessions' last_seen_at (touched by browsing itself), and tables no page shows
-- (login_throttle, mail_queue, invoice_counters, provider_events).

ALTER TABLE users ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE content_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO content_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER users_revision AFTER UPDATE ON users WHEN NEW.revision = OLD.revision
BEGIN UPDATE users SET revision = revision + 1 WHERE id = NEW.id; END;

CREATE TRIGGER legal_documents_revision_insert AFTER INSERT ON legal_documents
BEGIN UPDATE content_revision SET revision = revision + 1; END;
CREATE TRIGGER legal_documents_revision_update AFTER UPDATE ON legal_documents
BEGIN UPDATE content_revision SET revision = revision + 1; END;
CREATE TRIGGER legal_documents_revision_delete AFTER DELETE ON legal_documents
BEGIN UPDATE content_revision SET revision = revision + 1; END;

CREATE TRIGGER sessions_revision_insert AFTER INSERT ON sessions
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER sessions_revision_update AFTER UPDATE OF id_digest, user_id, expires_at, reauth_at, ip, user_agent ON sessions
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER sessions_revision_delete AFTER DELETE ON sessions
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER account_events_revision_insert AFTER INSERT ON account_events
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER account_events_revision_update AFTER UPDATE ON account_events
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER account_events_revision_delete AFTER DELETE ON account_events
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER document_acceptances_revision_insert AFTER INSERT ON document_acceptances
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER document_acceptances_revision_update AFTER UPDATE ON document_acceptances
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER document_acceptances_revision_delete AFTER DELETE ON document_acceptances
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER password_resets_revision_insert AFTER INSERT ON password_resets
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER password_resets_revision_update AFTER UPDATE ON password_resets
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER password_resets_revision_delete AFTER DELETE ON password_resets
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER totp_secrets_revision_insert AFTER INSERT ON totp_secrets
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER totp_secrets_revision_update AFTER UPDATE ON totp_secrets
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER totp_secrets_revision_delete AFTER DELETE ON totp_secrets
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER recovery_codes_revision_insert AFTER INSERT ON recovery_codes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER recovery_codes_revision_update AFTER UPDATE ON recovery_codes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER recovery_codes_revision_delete AFTER DELETE ON recovery_codes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER sign_in_challenges_revision_insert AFTER INSERT ON sign_in_challenges
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER sign_in_challenges_revision_update AFTER UPDATE ON sign_in_challenges
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER sign_in_challenges_revision_delete AFTER DELETE ON sign_in_challenges
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER email_changes_revision_insert AFTER INSERT ON email_changes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER email_changes_revision_update AFTER UPDATE ON email_changes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER email_changes_revision_delete AFTER DELETE ON email_changes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER ssh_keys_revision_insert AFTER INSERT ON ssh_keys
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER ssh_keys_revision_update AFTER UPDATE ON ssh_keys
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER ssh_keys_revision_delete AFTER DELETE ON ssh_keys
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER api_tokens_revision_insert AFTER INSERT ON api_tokens
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER api_tokens_revision_update AFTER UPDATE ON api_tokens
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER api_tokens_revision_delete AFTER DELETE ON api_tokens
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER account_deletions_revision_insert AFTER INSERT ON account_deletions
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER account_deletions_revision_update AFTER UPDATE ON account_deletions
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER account_deletions_revision_delete AFTER DELETE ON account_deletions
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER device_nonces_revision_insert AFTER INSERT ON device_nonces
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER device_nonces_revision_update AFTER UPDATE ON device_nonces
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER device_nonces_revision_delete AFTER DELETE ON device_nonces
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER security_reports_revision_insert AFTER INSERT ON security_reports
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER security_reports_revision_update AFTER UPDATE ON security_reports
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER security_reports_revision_delete AFTER DELETE ON security_reports
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER hds_contacts_revision_insert AFTER INSERT ON hds_contacts
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER hds_contacts_revision_update AFTER UPDATE ON hds_contacts
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER hds_contacts_revision_delete AFTER DELETE ON hds_contacts
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER scm_integrations_revision_insert AFTER INSERT ON scm_integrations
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER scm_integrations_revision_update AFTER UPDATE ON scm_integrations
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER scm_integrations_revision_delete AFTER DELETE ON scm_integrations
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER scm_oauth_states_revision_insert AFTER INSERT ON scm_oauth_states
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER scm_oauth_states_revision_update AFTER UPDATE ON scm_oauth_states
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER scm_oauth_states_revision_delete AFTER DELETE ON scm_oauth_states
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER passkeys_revision_insert AFTER INSERT ON passkeys
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER passkeys_revision_update AFTER UPDATE ON passkeys
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER passkeys_revision_delete AFTER DELETE ON passkeys
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER passkey_ceremonies_revision_insert AFTER INSERT ON passkey_ceremonies
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER passkey_ceremonies_revision_update AFTER UPDATE ON passkey_ceremonies
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER passkey_ceremonies_revision_delete AFTER DELETE ON passkey_ceremonies
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER billing_profiles_revision_insert AFTER INSERT ON billing_profiles
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER billing_profiles_revision_update AFTER UPDATE ON billing_profiles
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER billing_profiles_revision_delete AFTER DELETE ON billing_profiles
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER billing_ledger_revision_insert AFTER INSERT ON billing_ledger
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER billing_ledger_revision_update AFTER UPDATE ON billing_ledger
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER billing_ledger_revision_delete AFTER DELETE ON billing_ledger
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER app_usage_revision_insert AFTER INSERT ON app_usage
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER app_usage_revision_update AFTER UPDATE ON app_usage
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER app_usage_revision_delete AFTER DELETE ON app_usage
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER invoices_revision_insert AFTER INSERT ON invoices
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER invoices_revision_update AFTER UPDATE ON invoices
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER invoices_revision_delete AFTER DELETE ON invoices
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER referral_codes_revision_insert AFTER INSERT ON referral_codes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER referral_codes_revision_update AFTER UPDATE ON referral_codes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER referral_codes_revision_delete AFTER DELETE ON referral_codes
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER referral_clicks_revision_insert AFTER INSERT ON referral_clicks
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER referral_clicks_revision_update AFTER UPDATE ON referral_clicks
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER referral_clicks_revision_delete AFTER DELETE ON referral_clicks
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER billing_customers_revision_insert AFTER INSERT ON billing_customers
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER billing_customers_revision_update AFTER UPDATE ON billing_customers
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER billing_customers_revision_delete AFTER DELETE ON billing_customers
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER payment_methods_revision_insert AFTER INSERT ON payment_methods
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER payment_methods_revision_update AFTER UPDATE ON payment_methods
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER payment_methods_revision_delete AFTER DELETE ON payment_methods
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER credit_purchases_revision_insert AFTER INSERT ON credit_purchases
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.user_id); END;
CREATE TRIGGER credit_purchases_revision_update AFTER UPDATE ON credit_purchases
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id, NEW.user_id); END;
CREATE TRIGGER credit_purchases_revision_delete AFTER DELETE ON credit_purchases
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.user_id); END;

CREATE TRIGGER apps_revision_insert AFTER INSERT ON apps
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.owner_id); END;
CREATE TRIGGER apps_revision_update AFTER UPDATE ON apps
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.owner_id, NEW.owner_id); END;
CREATE TRIGGER apps_revision_delete AFTER DELETE ON apps
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.owner_id); END;

CREATE TRIGGER signup_requests_revision_insert AFTER INSERT ON signup_requests
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.referrer_id); END;
CREATE TRIGGER signup_requests_revision_update AFTER UPDATE ON signup_requests
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.referrer_id, NEW.referrer_id); END;
CREATE TRIGGER signup_requests_revision_delete AFTER DELETE ON signup_requests
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.referrer_id); END;

CREATE TRIGGER referrals_revision_insert AFTER INSERT ON referrals
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (NEW.referee_id, NEW.referrer_id); END;
CREATE TRIGGER referrals_revision_update AFTER UPDATE ON referrals
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.referee_id, OLD.referrer_id, NEW.referee_id, NEW.referrer_id); END;
CREATE TRIGGER referrals_revision_delete AFTER DELETE ON referrals
BEGIN UPDATE users SET revision = revision + 1 WHERE id IN (OLD.referee_id, OLD.referrer_id); END;

CREATE TRIGGER invoice_lines_revision_insert AFTER INSERT ON invoice_lines
BEGIN UPDATE users SET revision = revision + 1
      WHERE id IN (SELECT user_id FROM invoices WHERE id IN (NEW.invoice_id)); END;
CREATE TRIGGER invoice_lines_revision_update AFTER UPDATE ON invoice_lines
BEGIN UPDATE users SET revision = revision + 1
      WHERE id IN (SELECT user_id FROM invoices WHERE id IN (OLD.invoice_id, NEW.invoice_id)); END;
CREATE TRIGGER invoice_lines_revision_delete AFTER DELETE ON invoice_lines
BEGIN UPDATE users SET revision = revision + 1
      WHERE id IN (SELECT user_id FROM invoices WHERE id IN (OLD.invoice_id)); END;
