//! The one error of every backend operation. Server functions, REST handlers and admin
//! commands convert it into their own answers (`From` impls beside each of them); none of them
//! builds a backend error by hand.

use super::store::StoreError;

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value broke a rule. `field` names the input it concerns (a form control, a JSON
    /// member or a command argument); `message` says what to fix.
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    /// A value conflicts with what is stored: a duplicate name, a limit reached.
    #[error("{message}")]
    Conflict { field: &'static str, message: String },
    /// The thing asked for does not exist, or is not the caller's.
    #[error("{0}")]
    NotFound(String),
    /// Nobody is signed in (or the session ended).
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// A bearer token that is malformed, unknown, expired or revoked; deliberately coarse, so
    /// the answer never says whether a token exists.
    #[error("The API token is malformed, unknown, expired or revoked.")]
    InvalidToken,
    /// The token works but its access level does not allow this (a read-only token writing).
    #[error(
        "This API token is read-only: it cannot create entities or observables. \
         Create a token with \"Read and write\" access in your profile."
    )]
    InsufficientScope,
    /// A sensitive action ("sudo mode": creating or rotating a token, an admin action) in a
    /// session whose last password entry is older than `sessions::SUDO_WINDOW`; the person
    /// confirms their password (`sessions::confirm_password`) and tries again.
    #[error("Confirm your password to continue.")]
    ReauthRequired,
    /// Unknown user, wrong password or a deactivated account: the same words for all.
    #[error("Incorrect username or password.")]
    BadCredentials,
    /// Too many failed sign-ins for this account or address.
    #[error("Too many failed sign-in attempts; retry after {retry_after_secs} s.")]
    Throttled { retry_after_secs: u64 },
    /// Too many creations in the last minute (`what`: "API tokens", "objects").
    #[error("You are creating {what} too fast; wait {retry_after_secs} s and try again.")]
    TooFast { what: &'static str, retry_after_secs: u64 },
    /// Too many requests of a kind in the last minute (`what`: "token checks", "reports").
    #[error("Too many {what} in the last minute; wait {retry_after_secs} s and try again.")]
    TooMany { what: &'static str, retry_after_secs: u64 },
    /// The user belongs to no group, so objects have no source to be attributed to.
    #[error(
        "You belong to no user group, so there is no source to attribute objects to. \
         Ask an administrator to add you to a group."
    )]
    NoSource,
    /// The token's own source is a group its owner has left (`group` names it).
    #[error(
        "This token's source, {group}, is no longer one of your groups, so nothing was created. \
         Choose another source for the token (Edit, in API tokens in your profile), or ask to be \
         added to {group} again."
    )]
    TokenSourceUnavailable { group: String },
    /// A rotation did not happen because the value presented had already been replaced;
    /// the message says whether that looked like a stolen value (and the token was revoked)
    /// or like a rotation racing another.
    #[error("{0}")]
    AlreadyRotated(String),
    /// The signed-in user is not an administrator, and this is for administrators only.
    #[error("Only administrators can do this.")]
    NotAdmin,
    /// Something failed underneath (the database, the OS). Its chain is logged once, by
    /// whoever turns it into an answer, and never shown to a client.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

/// What backend operations return.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A value of `field` broke a rule.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A value of `field` conflicts with what is stored.
    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field,
            message: message.into(),
        }
    }

    /// The input this error concerns, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } | Self::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Logs an internal error with its whole chain (once, at the edge that answers) and says
    /// whether it was one.
    pub fn log_if_internal(&self, edge: &'static str) -> bool {
        if let Self::Internal(error) = self {
            tracing::error!(error = format!("{error:#}"), edge, "internal error");
            true
        } else {
            false
        }
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<anyhow::Error> for Error {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}

/// Turns a typed value's parse error into `Invalid` for `field`.
pub(crate) fn invalid_at(field: &'static str) -> impl FnOnce(crate::domain::ParseError) -> Error {
    move |e| Error::invalid(field, e.0)
}
