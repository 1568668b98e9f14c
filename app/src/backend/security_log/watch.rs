//! The per-token cap on noisy events and the addresses a token was used from lately.

use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::{NOISY_PER_MINUTE, REMEMBERED_ADDRESSES, REMEMBERED_TOKENS};
use crate::backend::id_map::IdMap;
use crate::backend::rate::RateLimiter;
use crate::backend::store::{TokenId, TokenRecord};

/// Per token, on this instance: how many noisy events were logged lately (the cap), how many
/// were left out since the last one logged, and the addresses it was used from lately.
pub struct TokenWatch {
    noisy: RateLimiter<TokenId>,
    state: Mutex<WatchState>,
}

#[derive(Default)]
struct WatchState {
    skipped: IdMap<TokenId, u64>,
    addresses: IdMap<TokenId, Vec<IpAddr>>,
}

impl Default for TokenWatch {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenWatch {
    pub fn new() -> Self {
        Self {
            noisy: RateLimiter::per_minute(NOISY_PER_MINUTE),
            state: Mutex::default(),
        }
    }

    /// Whether a noisy event of `token` may be logged at `now`: `Some(left out before it)`,
    /// or `None` (counted as left out).
    pub(super) fn admit(&self, token: TokenId, now: DateTime<Utc>) -> Option<u64> {
        let allowed = self.noisy.take(token, now).is_ok();
        let mut state = self.lock();
        if allowed {
            Some(state.skipped.remove(&token).unwrap_or(0))
        } else {
            if state.skipped.len() >= REMEMBERED_TOKENS && !state.skipped.contains_key(&token) {
                state.skipped.clear();
            }
            *state.skipped.entry(token).or_default() += 1;
            None
        }
    }

    /// Notes that `token` was used from `addr`: `Some(previous address)` when the address is
    /// not one it was used from lately (`Some(None)`: no use was ever recorded).
    pub(super) fn new_address(&self, token: &TokenRecord, addr: IpAddr) -> Option<Option<String>> {
        let mut state = self.lock();
        if state.addresses.len() >= REMEMBERED_TOKENS && !state.addresses.contains_key(&token.id) {
            state.addresses.clear();
        }
        let seen = state.addresses.entry(token.id).or_default();
        if seen.contains(&addr) {
            return None;
        }
        let previous = seen.last().map(ToString::to_string);
        let first_here = seen.is_empty();
        if seen.len() >= REMEMBERED_ADDRESSES {
            seen.remove(0);
        }
        seen.push(addr);
        // The first use on this instance: compare with the last use the database recorded.
        let recorded = token.last_used_ip.clone();
        if first_here && recorded.as_deref() == Some(addr.to_string().as_str()) {
            return None;
        }
        Some(previous.or(recorded))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WatchState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_lets_a_minutes_worth_through_then_counts_what_it_left_out() {
        let watch = TokenWatch::new();
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        for _ in 0..NOISY_PER_MINUTE {
            assert_eq!(watch.admit(TokenId(1), now), Some(0));
        }
        assert_eq!(watch.admit(TokenId(1), now), None);
        assert_eq!(watch.admit(TokenId(1), now), None);
        assert_eq!(watch.admit(TokenId(2), now), Some(0), "other tokens are not affected");
        let later = now + chrono::Duration::seconds(61);
        assert_eq!(watch.admit(TokenId(1), later), Some(2));
    }
}
