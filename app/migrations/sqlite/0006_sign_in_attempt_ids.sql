-- Each sign-in attempt is recorded under a random id in both of its buckets, so a successful
-- sign-in takes back exactly its own reservation in the address bucket, never another
-- attempt's that happened in the same millisecond. Older rows have none and simply age out.

ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT;
