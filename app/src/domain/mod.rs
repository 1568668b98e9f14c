//! Parse-don't-validate types for every value a person types. The browser form and the
//! server call the same `parse`, so the dialog shows the server's rule before the round trip.

/// Gives a newtype over `String` whose `parse(&str)` checks it: `as_str`, `Display`,
/// `TryFrom<String>` (through `parse`, so serde input is checked too) and `From<T> for String`.
macro_rules! text_type {
    ($name:ident) => {
        impl $name {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

mod access;
mod display_name;
mod email;
mod entity;
mod expiry;
mod expiry_warning;
mod group_name;
mod observable;
mod password;
mod rotation;
mod text;
mod token_description;
pub mod token_format;
mod token_name;
mod token_policy;
mod user_agent;
mod username;

pub use access::TokenAccess;
pub use display_name::DisplayName;
pub use email::Email;
pub use entity::{Description, EntityType, Title};
pub use expiry::{ExpiryChoice, INTERVALS, MAX_MONTHS, add_months};
pub use expiry_warning::{ExpiryLevel, ExpiryWarning, days_left};
pub use group_name::GroupName;
pub use observable::{ObservableType, ObservableValue, ValueShape};
pub use password::{NewPassword, SignInPassword};
pub use rotation::{Grace, NewExpiry, old_value_until};
pub use text::{forbidden_in_multi_line, forbidden_on_one_line};
pub use token_description::TokenDescription;
pub use token_name::TokenName;
pub use token_policy::TokenPolicy;
pub use user_agent::summarise as summarise_user_agent;
pub use username::Username;

/// Why a value was refused, written for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
