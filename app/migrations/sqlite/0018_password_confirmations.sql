-- The security log records password confirmations ("sudo mode"): the right password entered
-- again before a sensitive action, and a wrong one. SQLite cannot change a CHECK in place, so
-- the table is copied as in 0017; its triggers and indexes are made again.
CREATE TABLE security_events_new (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN (
        'sign_in_succeeded', 'sign_in_failed', 'sign_in_throttled', 'signed_out',
        'password_changed', 'account_deactivated',
        'token_created', 'token_edited', 'token_rotated', 'token_deleted',
        'token_revoked_reuse', 'token_revoked_exposed',
        'token_refused_expired', 'token_refused_revoked', 'token_refused_scope',
        'token_refused_source', 'token_new_address',
        'account_created', 'account_reactivated', 'admin_granted', 'admin_revoked',
        'group_joined', 'group_left', 'group_created', 'group_renamed',
        'password_confirmed', 'password_confirmation_failed')),
    user_id     INTEGER REFERENCES users (id),
    username    TEXT    CHECK (length(username) <= 64),
    token_id    INTEGER REFERENCES api_tokens (id),
    client_addr TEXT    CHECK (length(client_addr) <= 45),
    user_agent  TEXT    CHECK (length(user_agent) <= 256),
    detail      TEXT    CHECK (length(detail) <= 500),
    actor_id    INTEGER REFERENCES users (id),
    CHECK (user_id IS NOT NULL OR username IS NOT NULL)
);

INSERT INTO security_events_new (id, at, kind, user_id, username, token_id, client_addr, user_agent, detail, actor_id)
    SELECT id, at, kind, user_id, username, token_id, client_addr, user_agent, detail, actor_id FROM security_events;
DROP TABLE security_events;
ALTER TABLE security_events_new RENAME TO security_events;

CREATE INDEX security_events_user_at ON security_events (user_id, at);
CREATE INDEX security_events_user_token_at ON security_events (user_id, token_id, at);

CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only');
END;

CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only');
END;
