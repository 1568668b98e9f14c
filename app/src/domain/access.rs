//! What a token may do: read entities and observables, or also create them.

use super::ParseError;

/// A token's access level, chosen when it is created and never widened afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenAccess {
    /// Reads only: every `GET`, `/me`, and revoking itself.
    Read,
    /// Also creates entities and observables. What tokens made before access levels existed have.
    #[default]
    ReadWrite,
}

impl TokenAccess {
    /// Every level, in the order the create dialog offers them.
    pub const ALL: [Self; 2] = [Self::Read, Self::ReadWrite];

    /// Reads `read` or `read_write`, as stored and as the API and the form send it.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        match value {
            "read" => Ok(Self::Read),
            "read_write" => Ok(Self::ReadWrite),
            _ => Err(ParseError::new(
                "Choose the token's access: \"read\" (read only) or \"read_write\" (read and write).",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::ReadWrite => "read_write",
        }
    }

    /// The level's name in the interface.
    pub fn label(self) -> &'static str {
        match self {
            Self::Read => "Read only",
            Self::ReadWrite => "Read and write",
        }
    }

    /// What the level allows, in a few words.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Read => "Read entities and observables",
            Self::ReadWrite => "Also create entities and observables",
        }
    }

    /// Whether requests with the token may create objects.
    pub fn can_write(self) -> bool {
        self == Self::ReadWrite
    }
}

impl TryFrom<String> for TokenAccess {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_back_as_they_are_written_and_nothing_else_is_accepted() {
        for level in TokenAccess::ALL {
            assert_eq!(TokenAccess::parse(level.as_str()), Ok(level));
            let json = serde_json::to_string(&level).expect("json");
            assert_eq!(json, format!("\"{}\"", level.as_str()));
        }
        for bad in ["", "write", "READ", "read write", "admin"] {
            let error = TokenAccess::parse(bad).expect_err(bad);
            assert!(
                error.0.contains("\"read\"") && error.0.contains("\"read_write\""),
                "{error}"
            );
        }
        assert!(!TokenAccess::Read.can_write() && TokenAccess::ReadWrite.can_write());
        assert_eq!(TokenAccess::default(), TokenAccess::ReadWrite);
    }
}
