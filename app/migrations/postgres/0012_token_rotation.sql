-- Rotation: a new value replaces a token's value; the token keeps its id, name, access,
-- source and history. The replaced value's digest is kept as previous_digest: it keeps
-- working until previous_valid_until (the grace period), and presenting it to rotate again
-- marks the value as stolen (the whole token is then revoked). Only one replaced value is
-- kept: rotating again ends the one before at once. rotated_at: when the current value was
-- issued by a rotation (NULL: the token still has the value it was created with).
ALTER TABLE api_tokens ADD COLUMN previous_digest TEXT;
ALTER TABLE api_tokens ADD COLUMN previous_valid_until BIGINT;
ALTER TABLE api_tokens ADD COLUMN rotated_at BIGINT;
CREATE UNIQUE INDEX api_tokens_previous_digest ON api_tokens (previous_digest);
