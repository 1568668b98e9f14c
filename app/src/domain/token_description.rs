//! What a token is for, in the owner's words: optional, a few lines.

use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// A token's description: trimmed, 1–500 characters, line breaks and tabs allowed but no
/// other control or text-direction characters. Left empty, a token has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenDescription(String);

text_type!(TokenDescription);

impl TokenDescription {
    /// The most characters (not bytes) a description may have.
    pub const MAX: usize = 500;

    /// Checks a description that must be there.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Self::parse_optional(input)?.ok_or_else(|| ParseError::new("Enter a description, or leave the field empty."))
    }

    /// An empty (or blank) input is no description.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, ParseError> {
        let value = input.trim();
        if value.is_empty() {
            return Ok(None);
        }
        let count = value.chars().count();
        if count > Self::MAX {
            return Err(ParseError::new(format!(
                "A token description has at most {} characters; this one has {count}.",
                Self::MAX
            )));
        }
        if let Some(bad) = text::forbidden_in_text(value) {
            return Err(ParseError::new(format!(
                "A token description can contain line breaks and tabs but no other control or \
                 text-direction characters; remove {}.",
                text::describe(bad)
            )));
        }
        Ok(Some(Self(value.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_trimmed_may_span_lines_and_have_at_most_500_characters() {
        assert_eq!(TokenDescription::parse_optional("   \n "), Ok(None));
        let kept = TokenDescription::parse_optional("  Nightly export\n\tto the SIEM  ").expect("valid");
        assert_eq!(kept.map(String::from).as_deref(), Some("Nightly export\n\tto the SIEM"));
        let longest = "é".repeat(TokenDescription::MAX);
        assert!(TokenDescription::parse_optional(&longest).is_ok());
        let error = TokenDescription::parse_optional(&format!("{longest}x")).expect_err("too long");
        assert!(error.0.contains("at most 500") && error.0.contains("501"), "{error}");
        let error = TokenDescription::parse_optional("left\u{202E}right").expect_err("bidi override");
        assert!(error.0.contains("remove"), "{error}");
        assert!(TokenDescription::parse(" ").is_err());
    }
}
