-- Row triggers do not fire on TRUNCATE: without this one, the append-only event log could be
-- emptied in one statement. (SQLite has no TRUNCATE; its DELETE trigger covers the same.)
CREATE TRIGGER account_events_no_truncate BEFORE TRUNCATE ON account_events
FOR EACH STATEMENT EXECUTE FUNCTION account_events_append_only();
