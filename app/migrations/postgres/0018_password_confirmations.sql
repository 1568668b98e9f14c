-- Password confirmations in the security log (see migrations/sqlite/0018_password_confirmations.sql).
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN (
    'sign_in_succeeded', 'sign_in_failed', 'sign_in_throttled', 'signed_out',
    'password_changed', 'account_deactivated',
    'token_created', 'token_edited', 'token_rotated', 'token_deleted',
    'token_revoked_reuse', 'token_revoked_exposed',
    'token_refused_expired', 'token_refused_revoked', 'token_refused_scope',
    'token_refused_source', 'token_new_address',
    'account_created', 'account_reactivated', 'admin_granted', 'admin_revoked',
    'group_joined', 'group_left', 'group_created', 'group_renamed',
    'password_confirmed', 'password_confirmation_failed'));
