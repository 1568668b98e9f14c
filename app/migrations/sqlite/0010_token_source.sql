-- A token's own source: the group objects created with it are attributed to, instead of the
-- owner's profile default. NULL: the profile default applies. While the owner is not a member
-- of the group, the token creates nothing (no silent fallback).
ALTER TABLE api_tokens ADD COLUMN source_group_id INTEGER REFERENCES groups (id);
