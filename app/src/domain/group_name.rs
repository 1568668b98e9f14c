use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// The name of a user group (a "source"): trimmed, 1–64 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GroupName(String);

impl GroupName {
    pub const MAX: usize = 64;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(ParseError::new("Enter a group name."));
        }
        let count = value.chars().count();
        if count > Self::MAX {
            return Err(ParseError::new(format!(
                "A group name has at most {} characters; this one has {count}.",
                Self::MAX
            )));
        }
        if let Some(bad) = text::forbidden_char(value) {
            return Err(ParseError::new(format!(
                "A group name cannot contain control or text-direction characters; remove {}.",
                text::describe(bad)
            )));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GroupName {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<GroupName> for String {
    fn from(value: GroupName) -> Self {
        value.0
    }
}

impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
