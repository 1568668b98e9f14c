//! What server functions send to the browser.

use serde::{Deserialize, Serialize};

/// The signed-in user as the client shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Group names, in the order the user joined them.
    pub groups: Vec<String>,
    /// The group chosen as default source, if any.
    pub default_source: Option<String>,
    /// How many unexpired, unrevoked API tokens the user has.
    pub active_tokens: u32,
}
