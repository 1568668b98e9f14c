-- Sign-in attempt ids (see migrations/sqlite/0006_sign_in_attempt_ids.sql).

ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT;
