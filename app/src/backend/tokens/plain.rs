//! A token in plain text: generated from the OS random generator (256 bits) in the format of
//! `crate::domain::token_format`, which `parse` checks. Scanners can spot leaked tokens by the
//! prefix, and a typo or garbage fails `parse` without a database query.

use std::fmt;

use rand::Rng as _;
use rand::distributions::Alphanumeric;

pub use crate::domain::token_format::{FormatError, PREFIX, TOKEN_LEN};
use crate::domain::token_format::{RANDOM_LEN, check, checksum};

/// A token in plain text. It exists only while creating a token (for the one response that
/// shows it) and while authenticating a request; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainToken(String);

impl PlainToken {
    /// A new random token.
    pub fn generate() -> Self {
        let random: String = rand::rngs::OsRng
            .sample_iter(&Alphanumeric)
            .take(RANDOM_LEN)
            .map(char::from)
            .collect();
        let body = format!("{PREFIX}{random}");
        let check = checksum(&body);
        Self(body + &check)
    }

    /// Checks prefix, length, alphabet and checksum.
    pub fn parse(input: &str) -> Result<Self, FormatError> {
        check(input).map(|()| Self(input.to_owned()))
    }

    /// The plaintext, for the one response that shows it and for hashing.
    /// The last four characters: part of the checksum, so they tell a person which token
    /// this is without revealing any of the random part.
    pub fn hint(&self) -> &str {
        &self.0[TOKEN_LEN - 4..]
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn generated_tokens_have_the_documented_shape() {
        let token = PlainToken::generate();
        let text = token.expose();
        assert_eq!(text.len(), 53);
        assert!(text.starts_with("tsr_"));
        assert!(text[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(PlainToken::generate(), token);
        assert_eq!(format!("{token:?}"), "PlainToken(<redacted>)");
    }

    #[test]
    fn malformed_tokens_are_rejected_with_the_reason() {
        let good = PlainToken::generate().expose().to_owned();
        assert_eq!(PlainToken::parse(&good).map(|t| t.0), Ok(good.clone()));
        assert_eq!(PlainToken::parse(""), Err(FormatError::Prefix));
        assert_eq!(
            PlainToken::parse(&good.replacen("tsr_", "ghp_", 1)),
            Err(FormatError::Prefix)
        );
        assert_eq!(PlainToken::parse(&good[..52]), Err(FormatError::Length));
        assert_eq!(PlainToken::parse(&format!("{good}x")), Err(FormatError::Length));
        assert_eq!(
            PlainToken::parse(&format!("{}-{}", &good[..20], &good[21..])),
            Err(FormatError::Alphabet)
        );
        assert_eq!(
            PlainToken::parse(&format!("{}é{}", &good[..20], &good[22..])),
            Err(FormatError::Alphabet)
        );
        let mut typo = good.into_bytes();
        typo[10] = if typo[10] == b'a' { b'b' } else { b'a' };
        assert_eq!(
            PlainToken::parse(&String::from_utf8(typo).expect("ascii")),
            Err(FormatError::Checksum)
        );
    }

    proptest! {
        #[test]
        fn any_generated_token_parses(_seed in 0u8..255) {
            let token = PlainToken::generate();
            prop_assert_eq!(PlainToken::parse(token.expose()), Ok(token));
        }

        #[test]
        fn any_single_character_change_fails(position in 0usize..TOKEN_LEN, replacement in "[A-Za-z0-9_]") {
            let token = PlainToken::generate().expose().to_owned();
            let mut chars: Vec<char> = token.chars().collect();
            let new = replacement.chars().next().unwrap_or('0');
            prop_assume!(chars[position] != new);
            chars[position] = new;
            let changed: String = chars.into_iter().collect();
            prop_assert!(PlainToken::parse(&changed).is_err());
        }
    }
}
