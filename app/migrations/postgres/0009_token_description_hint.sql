-- What a token is for, in its owner's words (optional, at most 500 characters), and the last
-- four characters of its value, which are checksum characters: they let a person tell tokens
-- apart ("tsr_…WXYZ") without revealing any of the random part. Older tokens have no hint.
ALTER TABLE api_tokens ADD COLUMN description TEXT;
ALTER TABLE api_tokens ADD COLUMN hint TEXT;
