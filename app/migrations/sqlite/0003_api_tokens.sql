-- Personal API tokens. Only the HMAC-SHA256 of a token (under the server's pepper) is kept;
-- the plaintext exists once, in the response that created it.
-- Deleting a token revokes it: the row stays for audit, and revoked tokens are not listed.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    digest       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- Authentication looks tokens up by digest.
CREATE UNIQUE INDEX api_tokens_digest ON api_tokens (digest);
-- A name is unique among the tokens a user can see (revoked ones free their name).
CREATE UNIQUE INDEX api_tokens_user_name ON api_tokens (user_id, name) WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
