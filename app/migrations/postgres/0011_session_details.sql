-- What the profile's Sessions list shows of each browser session (see
-- migrations/sqlite/0011_session_details.sql). NULL reads as "unknown".
ALTER TABLE sessions ADD COLUMN started_at BIGINT;
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT;
ALTER TABLE sessions ADD COLUMN client_addr TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;

-- Sessions that exist already: the sign-in time is in their data (read with a pattern, which
-- cannot fail on a row whose data is not JSON); expires_at minus the 12-hour idle timeout is
-- the time of their latest request. Their address and user agent were never kept.
UPDATE sessions SET
    started_at = CAST(substring(data FROM '"signed_in_at":(-?[0-9]{1,18})') AS BIGINT),
    last_seen_at = expires_at - 43200000;
