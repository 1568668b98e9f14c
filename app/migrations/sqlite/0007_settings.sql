-- Facts about the installation that every instance must agree on. `pepper_fingerprint` is an
-- HMAC of a fixed label under the token pepper: it proves an instance holds the pepper the
-- stored token digests were made with, without revealing the pepper.

CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
