-- Changes that cached token verifications must notice: one row per revoked token
-- (kind 't') or changed user (kind 'u'), appended by whichever process made the change (a
-- server, the admin CLI). Every server polls for rows after the last seq it saw and evicts
-- what they name, so another process's change is seen within a second; rows are pruned a
-- minute after a server saw them. AUTOINCREMENT keeps seq growing even when every row has
-- been pruned, so a poller never mistakes a new row for one it already saw.
-- (PostgreSQL broadcasts the same events with NOTIFY; it keeps this table for schema parity.)
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('t', 'u')),
    subject_id INTEGER NOT NULL
);
