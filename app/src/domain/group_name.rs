use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// The name of a user group (a "source"): trimmed, 1–64 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GroupName(String);

text_type!(GroupName);

impl GroupName {
    pub const MAX: usize = 64;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        text::single_line(input, "A group name", Self::MAX, "Enter a group name.").map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_are_trimmed_and_checked() {
        assert_eq!(
            GroupName::parse("  Threat Research ").map(|g| g.0),
            Ok("Threat Research".into())
        );
        assert_eq!(GroupName::parse("Équipe rouge").map(|g| g.0), Ok("Équipe rouge".into()));
        for (input, needle) in [
            ("", "Enter a group name"),
            (&"g".repeat(65), "this one has 65"),
            ("SOC\u{0}", "remove U+0000"),
        ] {
            let err = GroupName::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }
}
