use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// A reader-friendly API token name: trimmed, 1–100 characters of any script, with no
/// control characters or bidirectional overrides. Unique among a user's tokens (the store
/// checks that part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenName(String);

text_type!(TokenName);

impl TokenName {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        text::single_line(
            input,
            "A token name",
            Self::MAX,
            "Enter a name for the token, such as \"CI pipeline\".",
        )
        .map(Self)
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
            ("arabic\u{061C}mark", "remove U+061C"),
            ("bom\u{FEFF}", "remove U+FEFF"),
        ] {
            let err = TokenName::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }
}
