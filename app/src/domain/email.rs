use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// An email address: `local@domain`, at most 254 characters, a dotted domain of letters,
/// digits and hyphens (any script), no spaces or control characters. The domain is stored
/// lower-case; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

text_type!(Email);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(ParseError::new("Enter an email address."));
        }
        if value.chars().count() > Self::MAX {
            return Err(ParseError::new(format!(
                "An email address has at most {} characters.",
                Self::MAX
            )));
        }
        if let Some(bad) = text::forbidden_char(value) {
            return Err(ParseError::new(format!(
                "An email address cannot contain control, text-direction or invisible characters; remove {}.",
                text::describe(bad)
            )));
        }
        if value.chars().any(char::is_whitespace) {
            return Err(ParseError::new("An email address cannot contain spaces."));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(ParseError::new(
                "An email address needs an '@', as in name@example.org.",
            ));
        };
        if local.is_empty() || local.chars().count() > 64 || local.contains('@') {
            return Err(ParseError::new(
                "The part before '@' must have 1 to 64 characters and no other '@'.",
            ));
        }
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(ParseError::new(
                "The part after '@' must be a domain such as example.org.",
            ));
        }
        Ok(Self(format!("{local}@{domain}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses_keep_the_local_part_and_lower_the_domain() {
        for (input, expected) in [
            ("alice@example.org", "alice@example.org"),
            (" Alice.Smith+tag@Example.ORG ", "Alice.Smith+tag@example.org"),
            ("zoë@bücher.de", "zoë@bücher.de"),
            ("a@b.co", "a@b.co"),
        ] {
            assert_eq!(Email::parse(input).map(|e| e.0), Ok(expected.to_owned()), "{input:?}");
        }
    }

    #[test]
    fn invalid_addresses_say_what_to_fix() {
        for (input, needle) in [
            ("", "Enter an email"),
            ("alice", "needs an '@'"),
            ("@example.org", "before '@'"),
            ("alice@", "after '@'"),
            ("alice@localhost", "after '@'"),
            ("alice@exa_mple.org", "after '@'"),
            ("alice@-example.org", "after '@'"),
            ("alice@example..org", "after '@'"),
            ("al ice@example.org", "spaces"),
            ("alice@exam\u{0}ple.org", "remove U+0000"),
            (&format!("{}@example.org", "a".repeat(65)), "1 to 64"),
            (&format!("a@{}.org", "b".repeat(250)), "at most 254"),
        ] {
            let err = Email::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }
}
