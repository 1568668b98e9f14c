//! What server functions send to the browser.

use serde::{Deserialize, Serialize};

/// The signed-in user as the client shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The user's groups, in the order they joined them.
    pub groups: Vec<GroupView>,
    /// The group chosen as default source, if any.
    pub default_source: Option<GroupView>,
    /// What objects created with the user's tokens are attributed to now: the default source,
    /// else the group joined first, else none.
    pub effective_source: Option<GroupView>,
    /// How many unexpired, unrevoked API tokens the user has.
    pub active_tokens: u32,
}

/// A user group (a source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
}

/// An API token as listed: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The client address and user agent of the last use.
    pub last_used_ip: Option<String>,
    pub last_used_agent: Option<String>,
    /// How many entities and observables requests with this token created.
    pub entities: i64,
    pub observables: i64,
    /// Whether the token had expired when the list was made (by the server's clock).
    pub expired: bool,
}

/// The answer to creating a token: the only time its value is ever sent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenView,
    /// The token in plain text, shown once.
    pub secret: String,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .finish()
    }
}
