-- The security log: what happened to an account and its tokens, for the owner (Edit your
-- profile) and for a SIEM (`tessera audit`). Append-only: the code has no UPDATE or DELETE
-- for it, and the triggers below refuse both (a retention bound would replace them).
-- Never a secret: no token value, digest, password or session id, only what a person may
-- read about their own account.
--
-- user_id is NULL only for a failed sign-in of a name that is no account; username then
-- keeps the name tried (trimmed, at most 64 characters). detail is a short explanation
-- written by Tessera (a refusal's reason, when a rotation's old value stops working).
CREATE TABLE security_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN (
        'sign_in_succeeded', 'sign_in_failed', 'sign_in_throttled', 'signed_out',
        'password_changed', 'account_deactivated',
        'token_created', 'token_edited', 'token_rotated', 'token_deleted',
        'token_revoked_reuse', 'token_revoked_exposed',
        'token_refused_expired', 'token_refused_revoked', 'token_refused_scope',
        'token_refused_source', 'token_new_address')),
    user_id     INTEGER REFERENCES users (id),
    username    TEXT    CHECK (length(username) <= 64),
    token_id    INTEGER REFERENCES api_tokens (id),
    client_addr TEXT    CHECK (length(client_addr) <= 45),
    user_agent  TEXT    CHECK (length(user_agent) <= 256),
    detail      TEXT    CHECK (length(detail) <= 500),
    CHECK (user_id IS NOT NULL OR username IS NOT NULL)
);

-- A user's log, newest first; and filtered by one of their tokens.
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
