-- Default source, the objects API requests create, and where tokens were last used.

-- The group a user chose as default source for objects their tokens create.
-- NULL: the group the user joined first is used.
ALTER TABLE users ADD COLUMN default_source_id INTEGER REFERENCES groups (id) ON DELETE SET NULL;

-- Last use of a token, besides last_used_at: the client address and user agent.
ALTER TABLE api_tokens ADD COLUMN last_used_ip TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_agent TEXT;

-- Entities (campaigns, incidents, reports, …). `source_group_id` is assigned by the server from
-- the token owner's profile; `token_id` is the token whose request created the entity.
CREATE TABLE entities (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    description     TEXT,
    source_group_id INTEGER NOT NULL REFERENCES groups (id),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    token_id        INTEGER REFERENCES api_tokens (id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX entities_source ON entities (source_group_id, id);
CREATE INDEX entities_token ON entities (token_id);

-- Observables (addresses, domains, hashes, …), stored in canonical form.
CREATE TABLE observables (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    value           TEXT    NOT NULL,
    source_group_id INTEGER NOT NULL REFERENCES groups (id),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    token_id        INTEGER REFERENCES api_tokens (id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX observables_source ON observables (source_group_id, id);
CREATE INDEX observables_token ON observables (token_id);
