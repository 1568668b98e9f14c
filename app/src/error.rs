//! The one error type of the server functions: serialisable, so the browser gets a readable
//! message, and opaque for anything unexpected, whose detail stays in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a server function can answer instead of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: the client sends the person to the sign-in page.
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// A typed value broke a rule; `field` names the form control.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Unknown user, wrong password or a deactivated account: the same words for all.
    #[error("Incorrect username or password.")]
    BadCredentials,
    /// Too many failed sign-ins for this account or address.
    #[error("Too many failed sign-in attempts. Try again in {}.", wait_text(*retry_after_secs))]
    Throttled { retry_after_secs: u64 },
    /// Too many creations in the last minute; `message` says of what.
    #[error("{message}")]
    TooFast { message: String, retry_after_secs: u64 },
    /// A sensitive action (creating or rotating a token, an admin action) and the password
    /// was last entered more than an hour ago ("sudo mode"): the client asks for it
    /// (`confirm_password`) and sends the same request again. Answered with 403: the session
    /// is fine (so not 401), but this request is not allowed until the password is confirmed.
    #[error("Confirm your password to continue.")]
    ReauthRequired,
    /// The request came from another site (CSRF protection) or is otherwise not allowed.
    #[error("This request is not allowed.")]
    Forbidden,
    /// The thing asked for does not exist or is not yours.
    #[error("{0}")]
    NotFound(String),
    /// A value conflicts with existing data (a duplicate name, a limit reached).
    #[error("{message}")]
    Conflict { field: String, message: String },
    /// Something failed on the server; the detail is in the server log only.
    #[error("Something went wrong on our side. Please try again; if it keeps happening, contact your administrator.")]
    Internal,
    /// The request never got a proper answer (network down, server restarting).
    #[error("Could not reach the server ({0}). Check your connection and try again.")]
    Transport(String),
}

fn wait_text(secs: u64) -> String {
    if secs < 60 {
        format!("{secs} second{}", if secs == 1 { "" } else { "s" })
    } else {
        let minutes = secs.div_ceil(60);
        format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
    }
}

impl AppError {
    /// How long to wait before trying again, when the answer is "too many".
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after_secs } | Self::TooFast { retry_after_secs, .. } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// A validation error for one form field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } | Self::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated | Self::BadCredentials => 401,
            Self::Forbidden | Self::ReauthRequired => 403,
            Self::NotFound(_) => 404,
            Self::Conflict { .. } => 409,
            Self::Invalid { .. } => 422,
            Self::Throttled { .. } | Self::TooFast { .. } => 429,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => Self::Transport(msg),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::invalid("request", "The request was incomplete. Reload the page and try again.")
            }
            _ => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_message_rounds_up_to_minutes() {
        assert!(
            AppError::Throttled { retry_after_secs: 1 }
                .to_string()
                .contains("in 1 second.")
        );
        assert!(
            AppError::Throttled { retry_after_secs: 61 }
                .to_string()
                .contains("2 minutes")
        );
    }
}
