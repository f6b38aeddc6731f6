-- The key of the form a purchase was sent from: the same form sent twice (a double click, a
-- resent POST without JavaScript) buys once. A key is taken while its purchase has not failed.
ALTER TABLE credit_purchases ADD COLUMN request_key TEXT;
CREATE INDEX credit_purchases_request_key ON credit_purchases (user_id, request_key);
