//! Maps keyed by the ids the database assigns (tokens', users', days), on the path of every
//! API request. Those keys are small integers that nobody outside can choose, so a multiply
//! spreads them over a table well enough and the standard library's keyed SipHash, there
//! against crafted collisions, is not needed: each lookup costs a few instructions, not a
//! hundred.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` for database-assigned keys.
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Hashes integers by a multiply with an odd constant (2^64 over the golden ratio), which
/// spreads consecutive ids over both the low bits (the bucket) and the high bits (the
/// table's tag byte).
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n.cast_unsigned());
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher as _;

    use super::*;

    #[test]
    fn consecutive_ids_spread_over_buckets_and_tags() {
        let build = BuildHasherDefault::<IdHasher>::default();
        let hashes: Vec<u64> = (1..=4096_i64).map(|id| build.hash_one(id)).collect();
        // The bucket of a 4096-slot table (low 12 bits) and the tag (top 7 bits).
        let buckets: HashSet<u64> = hashes.iter().map(|h| h & 0xfff).collect();
        let tags: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        assert_eq!(buckets.len(), 4096, "consecutive ids share buckets");
        assert_eq!(tags.len(), 128, "tags are not spread");
    }

    #[test]
    fn a_map_keyed_by_ids_works_as_any_map() {
        let mut map = IdMap::<i64, &str>::default();
        for id in -50..50 {
            map.insert(id, "x");
        }
        map.remove(&0);
        assert_eq!(map.len(), 99);
        assert!(map.contains_key(&-50) && map.contains_key(&49) && !map.contains_key(&0));
    }
}
