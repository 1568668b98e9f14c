-- Browser sessions, shared by every server instance on the same database.
-- `id_hash` is the SHA-256 of the cookie value: a copy of the database does not hand out live sessions.
-- `user_id` is copied out of the session data so deactivating a user can end their sessions at once.

CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    data       TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
