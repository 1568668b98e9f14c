-- What a token may do: 'read' (every read, /me, revoking itself) or 'read_write' (also create
-- entities and observables). Tokens made before access levels existed keep what they could do.
ALTER TABLE api_tokens ADD COLUMN access TEXT NOT NULL DEFAULT 'read_write'
    CHECK (access IN ('read', 'read_write'));
