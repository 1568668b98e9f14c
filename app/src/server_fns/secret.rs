//! A secret argument of a server function (a password). The generated argument structs derive
//! `Debug`; this type keeps the secret out of anything that prints them.

use serde::{Deserialize, Serialize};

/// Text sent as is, never printed: `Debug` shows `<redacted>`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, to check it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret, consumed.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_arguments_never_print_the_password() {
        let arguments = super::super::session::SignIn {
            username: "alice".into(),
            password: Secret::from("correct horse battery staple".to_owned()),
        };
        let shown = format!("{arguments:?}");
        assert!(shown.contains("alice") && !shown.contains("horse"), "{shown}");
        assert_eq!(
            serde_json::to_value(&arguments.password).expect("json"),
            serde_json::json!("correct horse battery staple"),
            "sent as plain text on the wire"
        );
    }
}
