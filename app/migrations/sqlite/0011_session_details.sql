-- What the profile's Sessions list shows of each browser session. All four are copied out of
-- the session's data when it is written (see backend/sessions), like user_id:
--   started_at    sign-in, ms since the epoch (the session's `signed_in_at`)
--   last_seen_at  the latest request recorded, at most a minute old while the session is used
--   client_addr   the address of that request, as text (NULL: unknown)
--   user_agent    its User-Agent, control characters removed, trimmed, at most 256 characters
-- NULL reads as "unknown".
ALTER TABLE sessions ADD COLUMN started_at INTEGER;
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
ALTER TABLE sessions ADD COLUMN client_addr TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;

-- Sessions that exist already: the sign-in time is in their data; every request used to save
-- the session with a fresh 12-hour idle expiry, so expires_at minus 12 hours is the time of
-- their latest request. Their address and user agent were never kept.
UPDATE sessions SET
    started_at = CASE WHEN json_valid(data)
        THEN (CASE WHEN json_type(data, '$.signed_in_at') = 'integer' THEN json_extract(data, '$.signed_in_at') END)
    END,
    last_seen_at = expires_at - 43200000;
