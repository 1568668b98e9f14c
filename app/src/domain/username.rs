use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// A sign-in name: 3–32 of `a-z 0-9 . _ -`, starting with a letter or digit. Stored
/// lower-case, so `Alice` and `alice` are the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

text_type!(Username);

impl Username {
    pub const MIN: usize = 3;
    pub const MAX: usize = 32;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim().to_ascii_lowercase();
        let count = value.chars().count();
        if count == 0 {
            return Err(ParseError::new("Enter a username."));
        }
        if !(Self::MIN..=Self::MAX).contains(&count) {
            return Err(ParseError::new(format!(
                "A username has {} to {} characters; this one has {count}.",
                Self::MIN,
                Self::MAX
            )));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
        {
            let shown = if bad.is_whitespace() {
                "the space".to_owned()
            } else if text::forbidden_char(bad.encode_utf8(&mut [0; 4])).is_some() {
                text::describe(bad)
            } else {
                format!("'{bad}'")
            };
            return Err(ParseError::new(format!(
                "A username may use only letters a–z, digits, '.', '_' and '-'; remove {shown}."
            )));
        }
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(ParseError::new("A username starts with a letter or a digit."));
        }
        Ok(Self(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_usernames_are_normalised_to_lower_case() {
        for (input, expected) in [
            ("alice", "alice"),
            ("  Alice ", "alice"),
            ("bob.smith", "bob.smith"),
            ("a_1", "a_1"),
            ("9lives", "9lives"),
            ("x-y-z", "x-y-z"),
            (&"a".repeat(32), &"a".repeat(32)),
        ] {
            assert_eq!(
                Username::parse(input).map(|u| u.0),
                Ok(expected.to_owned()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn invalid_usernames_are_rejected_with_a_reason() {
        for (input, needle) in [
            ("", "Enter a username"),
            ("   ", "Enter a username"),
            ("ab", "3 to 32"),
            (&"a".repeat(33), "this one has 33"),
            ("zoë", "remove 'ë'"),
            ("ali ce", "remove the space"),
            ("al\u{0}ice", "remove U+0000"),
            ("alice\u{202e}", "remove U+202E"),
            ("_alice", "starts with a letter"),
            ("-alice", "starts with a letter"),
            ("ali@ce", "remove '@'"),
        ] {
            let err = Username::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }
}
