-- What an API token may do: the scope names, space-separated; '' is full access, which every
-- token created before scopes existed keeps.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
