//! A token's HMAC under the pepper: as hex, what the store keys on; as raw bytes, what the
//! verification cache keys on.

/// The HMAC-SHA256 of a token under the pepper, in hex: what the store keys on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenDigest(pub String);

/// The same HMAC as raw bytes: what the verification cache keys on, with no hex to write.
/// Its first eight bytes are its hash (see [`MacHasher`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenMac(pub(crate) [u8; 32]);

impl TokenMac {
    /// The digest the store knows this token by.
    pub(crate) fn digest(&self) -> TokenDigest {
        TokenDigest(to_hex(&self.0))
    }
}

impl std::hash::Hash for TokenMac {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut first = [0; 8];
        first.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(first));
    }
}

/// Hashes a [`TokenMac`] as what it already is: an HMAC under a secret key, uniformly
/// spread, that nobody without the pepper can choose. So no keyed hash over it is needed to
/// keep a table of them balanced against crafted collisions.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MacHasher(u64);

impl std::hash::Hasher for MacHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `TokenMac`; anything else is folded in all the same.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

pub(super) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    text
}

pub(super) fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::tokens::{Pepper, PlainToken};

    #[test]
    fn a_mac_hashes_as_its_first_eight_bytes() {
        use std::hash::{BuildHasher as _, BuildHasherDefault};
        let mac = Pepper::generate().mac(&PlainToken::generate());
        let first = u64::from_le_bytes(mac.0[..8].try_into().expect("eight bytes"));
        assert_eq!(BuildHasherDefault::<MacHasher>::default().hash_one(mac), first);
        let other = TokenMac(std::array::from_fn(|i| mac.0[i] ^ u8::from(i == 31)));
        assert_ne!(other, mac, "equality still compares every byte");
    }
}
