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

-- An update of the account row counts itself (BEFORE, so it is the same write).
CREATE FUNCTION count_own_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER users_revision BEFORE UPDATE ON users
    FOR EACH ROW WHEN (OLD.revision = NEW.revision) EXECUTE FUNCTION count_own_revision();

CREATE FUNCTION count_content_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_revision SET revision = revision + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER legal_documents_revision AFTER INSERT OR UPDATE OR DELETE ON legal_documents
    FOR EACH STATEMENT EXECUTE FUNCTION count_content_revision();

-- The trigger's arguments name the columns that hold the account ids of a row.
CREATE FUNCTION count_account_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids TEXT[] := '{}';
    col TEXT;
BEGIN
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF TG_OP <> 'INSERT' THEN ids := ids || (to_jsonb(OLD) ->> col); END IF;
        IF TG_OP <> 'DELETE' THEN ids := ids || (to_jsonb(NEW) ->> col); END IF;
    END LOOP;
    UPDATE users SET revision = revision + 1 WHERE id = ANY (ids);
    RETURN NULL;
END
$$;

-- An invoice line belongs to its invoice's account.
CREATE FUNCTION count_invoice_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids TEXT[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' THEN ids := ids || OLD.invoice_id; END IF;
    IF TG_OP <> 'DELETE' THEN ids := ids || NEW.invoice_id; END IF;
    UPDATE users SET revision = revision + 1 WHERE id IN (SELECT user_id FROM invoices WHERE id = ANY (ids));
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_revision AFTER INSERT OR UPDATE OF id_digest, user_id, expires_at, reauth_at, ip, user_agent OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER account_events_revision AFTER INSERT OR UPDATE OR DELETE ON account_events
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER document_acceptances_revision AFTER INSERT OR UPDATE OR DELETE ON document_acceptances
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER password_resets_revision AFTER INSERT OR UPDATE OR DELETE ON password_resets
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER totp_secrets_revision AFTER INSERT OR UPDATE OR DELETE ON totp_secrets
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER recovery_codes_revision AFTER INSERT OR UPDATE OR DELETE ON recovery_codes
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER sign_in_challenges_revision AFTER INSERT OR UPDATE OR DELETE ON sign_in_challenges
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER email_changes_revision AFTER INSERT OR UPDATE OR DELETE ON email_changes
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER ssh_keys_revision AFTER INSERT OR UPDATE OR DELETE ON ssh_keys
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER api_tokens_revision AFTER INSERT OR UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER account_deletions_revision AFTER INSERT OR UPDATE OR DELETE ON account_deletions
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER device_nonces_revision AFTER INSERT OR UPDATE OR DELETE ON device_nonces
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER security_reports_revision AFTER INSERT OR UPDATE OR DELETE ON security_reports
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER hds_contacts_revision AFTER INSERT OR UPDATE OR DELETE ON hds_contacts
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER scm_integrations_revision AFTER INSERT OR UPDATE OR DELETE ON scm_integrations
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER scm_oauth_states_revision AFTER INSERT OR UPDATE OR DELETE ON scm_oauth_states
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER passkeys_revision AFTER INSERT OR UPDATE OR DELETE ON passkeys
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER passkey_ceremonies_revision AFTER INSERT OR UPDATE OR DELETE ON passkey_ceremonies
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER billing_profiles_revision AFTER INSERT OR UPDATE OR DELETE ON billing_profiles
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER billing_ledger_revision AFTER INSERT OR UPDATE OR DELETE ON billing_ledger
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER app_usage_revision AFTER INSERT OR UPDATE OR DELETE ON app_usage
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER invoices_revision AFTER INSERT OR UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER referral_codes_revision AFTER INSERT OR UPDATE OR DELETE ON referral_codes
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER referral_clicks_revision AFTER INSERT OR UPDATE OR DELETE ON referral_clicks
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER billing_customers_revision AFTER INSERT OR UPDATE OR DELETE ON billing_customers
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER payment_methods_revision AFTER INSERT OR UPDATE OR DELETE ON payment_methods
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER credit_purchases_revision AFTER INSERT OR UPDATE OR DELETE ON credit_purchases
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('user_id');
CREATE TRIGGER apps_revision AFTER INSERT OR UPDATE OR DELETE ON apps
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('owner_id');
CREATE TRIGGER signup_requests_revision AFTER INSERT OR UPDATE OR DELETE ON signup_requests
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('referrer_id');
CREATE TRIGGER referrals_revision AFTER INSERT OR UPDATE OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION count_account_revision('referee_id', 'referrer_id');
CREATE TRIGGER invoice_lines_revision AFTER INSERT OR UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION count_invoice_revision();
