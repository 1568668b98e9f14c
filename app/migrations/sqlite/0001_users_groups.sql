-- Accounts, the user groups that act as "sources", and who belongs to which.
-- Times are milliseconds since the Unix epoch (UTC), so the same schema reads the same on PostgreSQL.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,   -- always lower-case (domain::Username)
    display_name  TEXT    NOT NULL,
    email         TEXT,
    password_hash TEXT    NOT NULL,          -- argon2id PHC string
    deactivated_at INTEGER,                  -- NULL while the account is active
    created_at    INTEGER NOT NULL
);

CREATE TABLE groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE memberships (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, group_id)
);
