-- Failed sign-in attempts (see migrations/sqlite/0005_sign_in_failures.sql).

CREATE TABLE sign_in_failures (
    bucket TEXT   NOT NULL,
    at     BIGINT NOT NULL
);

CREATE INDEX sign_in_failures_bucket_at ON sign_in_failures (bucket, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
