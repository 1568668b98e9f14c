use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// The name shown to people: trimmed, 1–64 characters of any script, with no control
/// characters or bidirectional overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

text_type!(DisplayName);

impl DisplayName {
    pub const MAX: usize = 64;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        text::single_line(input, "A display name", Self::MAX, "Enter a display name.").map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_keep_any_script_and_are_trimmed() {
        for (input, expected) in [
            ("Alice", "Alice"),
            ("  Zoë Ångström  ", "Zoë Ångström"),
            ("李小龍", "李小龍"),
            ("محمد", "محمد"),
            ("O'Brien-Smith Jr.", "O'Brien-Smith Jr."),
            ("🦀 Crab", "🦀 Crab"),
            (&"é".repeat(64), &"é".repeat(64)),
        ] {
            assert_eq!(
                DisplayName::parse(input).map(|d| d.0),
                Ok(expected.to_owned()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn invalid_display_names_say_what_to_fix() {
        for (input, needle) in [
            ("", "Enter a display name"),
            (" \t ", "Enter a display name"),
            (&"é".repeat(65), "this one has 65"),
            ("Al\u{7}ice", "remove U+0007"),
            ("Al\nice", "remove U+000A"),
            ("evil\u{202E}txt.exe", "remove U+202E"),
            ("a\u{2066}b", "remove U+2066"),
            ("same\u{200B}looking", "remove U+200B"),
            ("two\u{2028}lines", "remove U+2028"),
        ] {
            let err = DisplayName::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }
}
