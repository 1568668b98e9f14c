-- Requests per token per day (UTC; day = days since 1970-01-01), accepted and refused,
-- counted in memory and added here in the same coalesced batches as "last used". Rows older
-- than 90 days are deleted.
CREATE TABLE token_usage (
    token_id BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    day      BIGINT NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    refused  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (token_id, day)
);
CREATE INDEX token_usage_day ON token_usage (day);
