-- Why a token was revoked: 'deleted' (by its owner), 'rotation_reuse' (a value replaced by a
-- rotation asked to rotate again), 'exposed' (reported as leaked, by a secret scanner or a
-- person), 'deactivated' (its owner was). NULL for revocations made before reasons were kept.
ALTER TABLE api_tokens ADD COLUMN revoked_reason TEXT
    CHECK (revoked_reason IN ('deleted', 'rotation_reuse', 'exposed', 'deactivated'));
-- When the owner dismissed the notice that the token was found exposed and revoked.
ALTER TABLE api_tokens ADD COLUMN exposure_seen_at BIGINT;
