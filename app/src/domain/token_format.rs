//! The token format, checked the same way in the browser ("Which token is this?") and on the
//! server (every bearer request): `tsr_`, 43 base62 characters, then a 6-character base62
//! CRC-32 of everything before it. A typo or a token cut short fails here, without a database
//! query and without a round trip.

/// Never change this for issued tokens.
pub const PREFIX: &str = "tsr_";
/// How many random base62 characters follow the prefix.
pub const RANDOM_LEN: usize = 43;
const CHECKSUM_LEN: usize = 6;
/// The length of every token.
pub const TOKEN_LEN: usize = PREFIX.len() + RANDOM_LEN + CHECKSUM_LEN;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Why a string is not a token, in words for the person who typed or pasted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("A Tessera token starts with tsr_.")]
    Prefix,
    #[error("A Tessera token has 53 characters.")]
    Length,
    #[error("A Tessera token has only letters and digits after tsr_.")]
    Alphabet,
    #[error("The checksum does not match: the token was mistyped or cut short.")]
    Checksum,
}

/// The CRC-32 (IEEE 802.3, reflected, as zip and PNG use) lookup table, built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0_u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            bit += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    !bytes
        .iter()
        .fold(u32::MAX, |crc, &b| CRC_TABLE[usize::from((crc as u8) ^ b)] ^ (crc >> 8))
}

/// The six base62 checksum characters of a token's first 47 characters.
pub fn checksum(body: &str) -> String {
    checksum_chars(body).iter().map(|&b| char::from(b)).collect()
}

fn checksum_chars(body: &str) -> [u8; CHECKSUM_LEN] {
    let mut n = crc32(body.as_bytes());
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// Checks prefix, length, alphabet and checksum, in that order.
pub fn check(input: &str) -> Result<(), FormatError> {
    if !input.starts_with(PREFIX) {
        return Err(FormatError::Prefix);
    }
    if input.len() != TOKEN_LEN {
        return Err(FormatError::Length);
    }
    if !input[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FormatError::Alphabet);
    }
    let (body, check) = input.split_at(TOKEN_LEN - CHECKSUM_LEN);
    if checksum_chars(body) != check.as_bytes() {
        return Err(FormatError::Checksum);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_checksum_is_six_base62_characters_of_crc32() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the standard check value");
        // crc32("tsr_") = 0x757369CF, which is "29M0Xn" in six base62 digits
        assert_eq!(crc32(b"tsr_"), 0x7573_69CF);
        assert_eq!(checksum("tsr_"), "29M0Xn");
        assert_eq!(checksum(""), "000000");
    }

    #[test]
    fn each_mistake_gets_its_own_words() {
        let body = format!("{PREFIX}{}", "a".repeat(RANDOM_LEN));
        let good = format!("{body}{}", checksum(&body));
        assert_eq!(check(&good), Ok(()));
        assert_eq!(check(""), Err(FormatError::Prefix));
        assert_eq!(check(&good.replacen("tsr_", "ghp_", 1)), Err(FormatError::Prefix));
        assert_eq!(check(&good[..52]), Err(FormatError::Length));
        assert_eq!(
            check(&format!("{}-{}", &good[..20], &good[21..])),
            Err(FormatError::Alphabet)
        );
        assert_eq!(
            check(&format!("{}é{}", &good[..20], &good[22..])),
            Err(FormatError::Alphabet)
        );
        let typo = good.replacen("aaaa", "aaab", 1);
        assert_eq!(check(&typo), Err(FormatError::Checksum));
        assert_eq!(
            FormatError::Checksum.to_string(),
            "The checksum does not match: the token was mistyped or cut short."
        );
    }

    proptest! {
        /// The table-driven CRC-32 is the standard one.
        #[test]
        fn crc32_matches_the_reference(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut reference = u32::MAX;
            for b in &bytes {
                reference ^= u32::from(*b);
                for _ in 0..8 {
                    reference = if reference & 1 == 1 { 0xEDB8_8320 ^ (reference >> 1) } else { reference >> 1 };
                }
            }
            prop_assert_eq!(crc32(&bytes), !reference);
        }
    }
}
