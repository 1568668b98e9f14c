-- Failed (and in-flight) sign-in attempts, per account and per client address, so every
-- instance on one database throttles together. Rows older than the window are deleted as
-- attempts come in.

CREATE TABLE sign_in_failures (
    bucket TEXT    NOT NULL,   -- "account:<username>" or "address:<ip>"
    at     INTEGER NOT NULL
);

CREATE INDEX sign_in_failures_bucket_at ON sign_in_failures (bucket, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
