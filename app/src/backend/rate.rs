//! A rate limit per key, in memory: at most `per_minute` events in any minute, as a steady
//! allowance with bursts up to the whole minute's worth (the generic cell rate algorithm, which
//! keeps one instant per key). Keys idle for a minute are forgotten, so memory stays bounded
//! by the keys active in the last minute.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

const WINDOW: Duration = Duration::minutes(1);
/// Past this many keys, idle ones are dropped before a new one is added.
const PRUNE_AT: usize = 10_000;

/// Limits events per key.
#[derive(Debug)]
pub struct RateLimiter<K> {
    per_minute: u32,
    /// Per key: when the allowance will be whole again.
    full_at: Mutex<HashMap<K, DateTime<Utc>>>,
}

impl<K: Eq + Hash + Copy> RateLimiter<K> {
    /// At most `per_minute` events per key in any minute (at least one).
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            full_at: Mutex::default(),
        }
    }

    /// How many events a minute this limiter allows per key.
    pub fn limit(&self) -> u32 {
        self.per_minute
    }

    /// Takes one event for `key` at `now`: `Err(seconds)` to wait when the key is over its
    /// limit (nothing is taken then).
    pub fn take(&self, key: K, now: DateTime<Utc>) -> Result<(), u64> {
        let interval = WINDOW / i32::try_from(self.per_minute).unwrap_or(i32::MAX);
        let mut map = self.full_at.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= PRUNE_AT && !map.contains_key(&key) {
            map.retain(|_, full_at| *full_at > now);
        }
        let full_at = map.get(&key).copied().filter(|t| *t > now).unwrap_or(now);
        let next = full_at + interval;
        let over = next - now - WINDOW;
        if over > Duration::zero() {
            let secs = (over.num_milliseconds() + 999) / 1000;
            return Err(u64::try_from(secs).unwrap_or(1).max(1));
        }
        map.insert(key, next);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minutes_worth_passes_then_the_key_waits_for_its_allowance_to_return() {
        let limiter = RateLimiter::per_minute(30);
        let start = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        for i in 0..30 {
            assert_eq!(limiter.take(1, start), Ok(()), "{i}");
        }
        // Over the limit: wait for one event's share of the minute (2 s).
        assert_eq!(limiter.take(1, start), Err(2));
        assert_eq!(limiter.take(2, start), Ok(()), "other keys are not affected");
        assert_eq!(limiter.take(1, start + Duration::seconds(2)), Ok(()));
        assert!(limiter.take(1, start + Duration::seconds(2)).is_err());
        // A quiet minute restores the whole allowance.
        let later = start + Duration::seconds(62);
        for i in 0..30 {
            assert_eq!(limiter.take(1, later), Ok(()), "{i}");
        }
        assert!(limiter.take(1, later).is_err());
    }

    #[test]
    fn idle_keys_are_forgotten_once_many_are_held() {
        let limiter = RateLimiter::per_minute(10);
        let start = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        for key in 0..PRUNE_AT as u64 {
            limiter.take(key, start).expect("first event");
        }
        limiter
            .take(u64::MAX, start + Duration::seconds(61))
            .expect("a new key");
        assert_eq!(limiter.full_at.lock().expect("lock").len(), 1);
    }
}
