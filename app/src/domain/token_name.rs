use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// A reader-friendly API token name: trimmed, 1–100 characters of any script, with no
/// control characters or bidirectional overrides. Unique among a user's tokens (the store
/// checks that part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenName(String);

impl TokenName {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(ParseError::new("Enter a name for the token, such as \"CI pipeline\"."));
        }
        let count = value.chars().count();
        if count > Self::MAX {
            return Err(ParseError::new(format!(
                "A token name has at most {} characters; this one has {count}.",
                Self::MAX
            )));
        }
        if let Some(bad) = text::forbidden_char(value) {
            return Err(ParseError::new(format!(
                "A token name cannot contain control or text-direction characters; remove {}.",
                text::describe(bad)
            )));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TokenName {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TokenName> for String {
    fn from(value: TokenName) -> Self {
        value.0
    }
}

impl fmt::Display for TokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names_are_trimmed_and_keep_any_script() {
        for (input, expected) in [
            ("CI pipeline", "CI pipeline"),
            ("  nightly sync  ", "nightly sync"),
            ("Équipe 🦀 export", "Équipe 🦀 export"),
            ("スクリプト", "スクリプト"),
            ("x", "x"),
            (&"n".repeat(100), &"n".repeat(100)),
            (&"ñ".repeat(100), &"ñ".repeat(100)),
        ] {
            assert_eq!(
                TokenName::parse(input).map(|n| n.0),
                Ok(expected.to_owned()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn invalid_token_names_say_what_to_fix() {
        for (input, needle) in [
            ("", "Enter a name"),
            ("   \t", "Enter a name"),
            (&"n".repeat(101), "this one has 101"),
            (&"ñ".repeat(101), "this one has 101"),
            ("ci\u{0}", "remove U+0000"),
            ("line\nbreak", "remove U+000A"),
            ("tab\there", "remove U+0009"),
            ("del\u{7f}", "remove U+007F"),
            ("rtl\u{202E}gpj.exe", "remove U+202E"),
        ] {
            let err = TokenName::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }
}
