use std::fmt;

use super::ParseError;

/// A password typed at sign-in. Only its length is checked (so a huge body cannot make the
/// server hash megabytes); `Debug` never shows it.
#[derive(Clone)]
pub struct SignInPassword(String);

impl SignInPassword {
    pub const MAX: usize = 1024;

    pub fn parse(input: String) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new("Enter your password."));
        }
        if input.len() > Self::MAX {
            return Err(ParseError::new(format!("A password has at most {} bytes.", Self::MAX)));
        }
        Ok(Self(input))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SignInPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignInPassword(<redacted>)")
    }
}

/// A password being set: 12–1024 bytes, not only spaces.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;

    pub fn parse(input: String) -> Result<Self, ParseError> {
        if input.chars().count() < Self::MIN_CHARS {
            return Err(ParseError::new(format!(
                "A password has at least {} characters.",
                Self::MIN_CHARS
            )));
        }
        if input.len() > SignInPassword::MAX {
            return Err(ParseError::new(format!(
                "A password has at most {} bytes.",
                SignInPassword::MAX
            )));
        }
        if input.trim().is_empty() {
            return Err(ParseError::new("A password cannot be only spaces."));
        }
        Ok(Self(input))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_passwords_are_bounded_and_never_printed() {
        assert!(SignInPassword::parse(String::new()).is_err());
        assert!(SignInPassword::parse("x".repeat(1025)).is_err());
        let p = SignInPassword::parse("hunter2".into()).expect("valid");
        assert_eq!(p.expose(), "hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn new_passwords_need_twelve_characters() {
        for (input, ok) in [
            ("short", false),
            ("            ", false),
            ("correct horse", true),
            ("ñññññññññññ", false),
            ("ññññññññññññ", true),
        ] {
            assert_eq!(NewPassword::parse(input.into()).is_ok(), ok, "{input:?}");
        }
        assert!(!format!("{:?}", NewPassword::parse("correct horse".into())).contains("horse"));
    }
}
