//! What an event says happened, and why a request with a known token was refused.

use chrono::{DateTime, Utc};

use super::rfc3339;
use crate::backend::tokens::verify::{Caller, Presented};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    SignInSucceeded,
    SignInFailed,
    SignInThrottled,
    SignedOut,
    PasswordChanged,
    AccountDeactivated,
    TokenCreated,
    TokenEdited,
    TokenRotated,
    TokenDeleted,
    /// A value replaced by a rotation asked to rotate again: the token was revoked.
    TokenRevokedReuse,
    /// Reported as leaked (by a secret scanner or a person): the token was revoked.
    TokenRevokedExposed,
    TokenRefusedExpired,
    TokenRefusedRevoked,
    TokenRefusedScope,
    TokenRefusedSource,
    /// A token used from an address it was not used from lately.
    TokenNewAddress,
    AccountCreated,
    AccountReactivated,
    AdminGranted,
    AdminRevoked,
    /// The user was added to a group (the detail names it).
    GroupJoined,
    /// The user was taken out of a group.
    GroupLeft,
    /// An administrator created a group (an event of the administrator's).
    GroupCreated,
    /// An administrator renamed a group (an event of the administrator's).
    GroupRenamed,
    /// The password was entered again before a sensitive action ("sudo mode").
    PasswordConfirmed,
    /// A wrong password was entered when one was asked for again.
    PasswordConfirmationFailed,
}

impl EventKind {
    /// Every kind, in the order the migration lists them.
    pub const ALL: [Self; 27] = [
        Self::SignInSucceeded,
        Self::SignInFailed,
        Self::SignInThrottled,
        Self::SignedOut,
        Self::PasswordChanged,
        Self::AccountDeactivated,
        Self::TokenCreated,
        Self::TokenEdited,
        Self::TokenRotated,
        Self::TokenDeleted,
        Self::TokenRevokedReuse,
        Self::TokenRevokedExposed,
        Self::TokenRefusedExpired,
        Self::TokenRefusedRevoked,
        Self::TokenRefusedScope,
        Self::TokenRefusedSource,
        Self::TokenNewAddress,
        Self::AccountCreated,
        Self::AccountReactivated,
        Self::AdminGranted,
        Self::AdminRevoked,
        Self::GroupJoined,
        Self::GroupLeft,
        Self::GroupCreated,
        Self::GroupRenamed,
        Self::PasswordConfirmed,
        Self::PasswordConfirmationFailed,
    ];

    /// The stored name, also the `kind` of `tessera audit`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignInSucceeded => "sign_in_succeeded",
            Self::SignInFailed => "sign_in_failed",
            Self::SignInThrottled => "sign_in_throttled",
            Self::SignedOut => "signed_out",
            Self::PasswordChanged => "password_changed",
            Self::AccountDeactivated => "account_deactivated",
            Self::TokenCreated => "token_created",
            Self::TokenEdited => "token_edited",
            Self::TokenRotated => "token_rotated",
            Self::TokenDeleted => "token_deleted",
            Self::TokenRevokedReuse => "token_revoked_reuse",
            Self::TokenRevokedExposed => "token_revoked_exposed",
            Self::TokenRefusedExpired => "token_refused_expired",
            Self::TokenRefusedRevoked => "token_refused_revoked",
            Self::TokenRefusedScope => "token_refused_scope",
            Self::TokenRefusedSource => "token_refused_source",
            Self::TokenNewAddress => "token_new_address",
            Self::AccountCreated => "account_created",
            Self::AccountReactivated => "account_reactivated",
            Self::AdminGranted => "admin_granted",
            Self::AdminRevoked => "admin_revoked",
            Self::GroupJoined => "group_joined",
            Self::GroupLeft => "group_left",
            Self::GroupCreated => "group_created",
            Self::GroupRenamed => "group_renamed",
            Self::PasswordConfirmed => "password_confirmed",
            Self::PasswordConfirmationFailed => "password_confirmation_failed",
        }
    }

    /// The kind stored under `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The event in words, as its owner reads it.
    pub fn words(self) -> &'static str {
        match self {
            Self::SignInSucceeded => "Signed in",
            Self::SignInFailed => "Sign-in failed",
            Self::SignInThrottled => "Sign-in refused: too many attempts",
            Self::SignedOut => "Signed out",
            Self::PasswordChanged => "Password changed",
            Self::AccountDeactivated => "Account deactivated",
            Self::TokenCreated => "Token created",
            Self::TokenEdited => "Token edited",
            Self::TokenRotated => "Token rotated",
            Self::TokenDeleted => "Token deleted",
            Self::TokenRevokedReuse => "Token revoked: a replaced value asked to rotate",
            Self::TokenRevokedExposed => "Token revoked: reported as exposed",
            Self::TokenRefusedExpired => "Request refused: the token has expired",
            Self::TokenRefusedRevoked => "Request refused: the token is revoked",
            Self::TokenRefusedScope => "Request refused: the token may only read",
            Self::TokenRefusedSource => "Request refused: no source to attribute to",
            Self::TokenNewAddress => "Token used from a new address",
            Self::AccountCreated => "Account created",
            Self::AccountReactivated => "Account reactivated",
            Self::AdminGranted => "Made an administrator",
            Self::AdminRevoked => "No longer an administrator",
            Self::GroupJoined => "Added to a group",
            Self::GroupLeft => "Removed from a group",
            Self::GroupCreated => "Group created",
            Self::GroupRenamed => "Group renamed",
            Self::PasswordConfirmed => "Password confirmed for a sensitive action",
            Self::PasswordConfirmationFailed => "Password confirmation failed",
        }
    }
}

/// Why a request with a known token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The token expired at this instant.
    Expired(DateTime<Utc>),
    /// A value replaced by a rotation, whose grace ended at this instant.
    ReplacedValueEnded(DateTime<Utc>),
    Revoked,
    /// The owner's account is deactivated.
    OwnerDeactivated,
    /// A read-only token asked to write.
    Scope,
    /// The token's own source is a group its owner has left.
    SourceLeft(String),
    /// The owner belongs to no group.
    NoGroup,
}

impl Refusal {
    /// Why `caller`, which does not work at `now`, was refused.
    pub fn of_unusable(caller: &Caller, now: DateTime<Utc>) -> Self {
        if caller.token.revoked_at.is_some() {
            Self::Revoked
        } else if !caller.user.is_active() {
            Self::OwnerDeactivated
        } else {
            match caller.presented {
                Presented::Previous { until, .. } => Self::ReplacedValueEnded(until),
                Presented::Current => Self::Expired(caller.token.expires_at.unwrap_or(now)),
            }
        }
    }

    pub(super) fn kind(&self) -> EventKind {
        match self {
            Self::Expired(_) | Self::ReplacedValueEnded(_) => EventKind::TokenRefusedExpired,
            Self::Revoked | Self::OwnerDeactivated => EventKind::TokenRefusedRevoked,
            Self::Scope => EventKind::TokenRefusedScope,
            Self::SourceLeft(_) | Self::NoGroup => EventKind::TokenRefusedSource,
        }
    }

    pub(super) fn detail(&self) -> String {
        match self {
            Self::Expired(at) => format!("expired {}", rfc3339(*at)),
            Self::ReplacedValueEnded(at) => {
                format!("a value replaced by a rotation, which stopped working {}", rfc3339(*at))
            }
            Self::Revoked => "the token is revoked".to_owned(),
            Self::OwnerDeactivated => "the account is deactivated".to_owned(),
            Self::Scope => "a read-only token asked to write".to_owned(),
            Self::SourceLeft(group) => format!("the token's source \"{group}\" is a group you have left"),
            Self::NoGroup => "you belong to no group".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_and_say_what_happened() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.words().is_empty());
        }
        assert_eq!(EventKind::parse("token_stolen"), None);
    }
}
