//! The token format: `tsr_`, 43 base62 characters from the OS random generator (256 bits),
//! then a 6-character base62 CRC32 of everything before it. Scanners can spot leaked tokens
//! by the prefix, and a typo or garbage fails `parse` without a database query.

use std::fmt;

use rand::Rng as _;
use rand::distributions::Alphanumeric;

/// Never change this for issued tokens.
pub const PREFIX: &str = "tsr_";
const RANDOM_LEN: usize = 43;
const CHECKSUM_LEN: usize = 6;
/// The length of every token.
pub const TOKEN_LEN: usize = PREFIX.len() + RANDOM_LEN + CHECKSUM_LEN;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Why a string is not a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("a Tessera token starts with tsr_")]
    Prefix,
    #[error("a Tessera token has {TOKEN_LEN} characters")]
    Length,
    #[error("a Tessera token has only letters and digits after tsr_")]
    Alphabet,
    #[error("the token's checksum does not match (a typo?)")]
    Checksum,
}

/// A token in plain text. It exists only while creating a token (for the one response that
/// shows it) and while authenticating a request; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainToken(String);

fn checksum(body: &str) -> String {
    let mut n = crc32fast::hash(body.as_bytes());
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

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
        if !input.starts_with(PREFIX) {
            return Err(FormatError::Prefix);
        }
        if input.len() != TOKEN_LEN {
            return Err(FormatError::Length);
        }
        let rest = &input[PREFIX.len()..];
        if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(FormatError::Alphabet);
        }
        let (body, check) = input.split_at(TOKEN_LEN - CHECKSUM_LEN);
        if checksum(body) != check {
            return Err(FormatError::Checksum);
        }
        Ok(Self(input.to_owned()))
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

    #[test]
    fn the_checksum_is_six_base62_characters_of_crc32() {
        assert_eq!(checksum(""), "000000");
        // crc32("tsr_") = 0x757369CF, which is "29M0Xn" in six base62 digits
        assert_eq!(crc32fast::hash(b"tsr_"), 0x7573_69CF);
        assert_eq!(checksum("tsr_"), "29M0Xn");
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
