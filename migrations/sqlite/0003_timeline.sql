-- The Timeline filters by category: stored with each event (written by events::record from
-- the type), so one index serves "this account, this category, newest first".
ALTER TABLE account_events ADD COLUMN category TEXT NOT NULL DEFAULT 'other';

-- The one update this append-only table ever gets: filling the new column for past events.
DROP TRIGGER account_events_append_only_update;
UPDATE account_events SET category = CASE
    WHEN type IN ('new_user', 'login_success', 'login_failure', 'logout', 'edit_password') THEN 'security'
    WHEN type IN ('edit_profile', 'edit_newsletter', 'edit_preferences', 'accept_contract') THEN 'profile'
    ELSE 'other'
END;
CREATE TRIGGER account_events_append_only_update BEFORE UPDATE ON account_events
BEGIN SELECT RAISE(ABORT, 'account_events is append-only'); END;

-- Newest first by time, then id (the keyset of the Timeline's pages); period filters use the
-- same order.
DROP INDEX account_events_by_user;
CREATE INDEX account_events_timeline ON account_events(user_id, created_at, id);
CREATE INDEX account_events_by_category ON account_events(user_id, category, created_at, id);
