//! Sign-in throttling: at most 5 failures per account and 30 per client address in any
//! 15 minutes. Kept in memory per instance and bounded in size.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

use super::Clock;

const WINDOW_MINUTES: i64 = 15;
const PER_ACCOUNT: usize = 5;
const PER_ADDRESS: usize = 30;
const MAX_KEYS: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

/// Counts failed sign-ins and says how long to wait once a limit is reached.
pub struct SignInThrottle {
    clock: Clock,
    failures: Mutex<HashMap<Key, VecDeque<DateTime<Utc>>>>,
}

impl SignInThrottle {
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Starts a sign-in attempt: `Err(seconds)` when the account or the address must wait;
    /// otherwise the attempt is counted as a failure at once, in the same step, so parallel
    /// requests cannot all slip through before any failure is recorded. A successful attempt
    /// takes it back with [`Self::succeeded`].
    pub fn attempt(&self, account: &str, address: IpAddr) -> Result<(), u64> {
        let now = self.clock.now();
        let window = Duration::minutes(WINDOW_MINUTES);
        let keys = [
            (Key::Account(account.to_owned()), PER_ACCOUNT),
            (Key::Address(address), PER_ADDRESS),
        ];
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let mut wait = 0_i64;
        for (key, limit) in &keys {
            if let Some(times) = map.get_mut(key) {
                while times.front().is_some_and(|t| *t + window <= now) {
                    times.pop_front();
                }
                if times.len() >= *limit
                    && let Some(oldest) = times.front()
                {
                    wait = wait.max((*oldest + window - now).num_seconds() + 1);
                }
            }
        }
        if wait > 0 {
            return Err(u64::try_from(wait).unwrap_or(1));
        }
        if map.len() + keys.len() > MAX_KEYS {
            map.retain(|_, times| times.back().is_some_and(|t| *t + window > now));
            // Still full: forget the oldest entries rather than grow without bound.
            while map.len() + keys.len() > MAX_KEYS {
                let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, t)| t.back().copied())
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                map.remove(&oldest);
            }
        }
        for (key, _) in keys {
            map.entry(key).or_default().push_back(now);
        }
        Ok(())
    }

    /// The attempt succeeded: the account's count is cleared and the address's reservation
    /// taken back.
    pub fn succeeded(&self, account: &str, address: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(&Key::Account(account.to_owned()));
        if let Some(times) = map.get_mut(&Key::Address(address)) {
            times.pop_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn throttle() -> (Clock, SignInThrottle) {
        let clock = Clock::manual(DateTime::from_timestamp(1_700_000_000, 0).expect("valid"));
        (clock.clone(), SignInThrottle::new(clock))
    }

    const IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[test]
    fn the_sixth_attempt_for_an_account_waits_out_the_window() {
        let (clock, t) = throttle();
        for _ in 0..5 {
            assert_eq!(t.attempt("alice", IP), Ok(()));
        }
        assert_eq!(t.attempt("alice", IP), Err(15 * 60 + 1));
        assert_eq!(t.attempt("bob", IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))), Ok(()));
        clock.advance(Duration::minutes(15));
        assert_eq!(t.attempt("alice", IP), Ok(()));
    }

    #[test]
    fn attempts_count_before_their_outcome_is_known() {
        // Five attempts in flight at once: the sixth is refused although none has failed yet.
        let (_, t) = throttle();
        let in_flight: Vec<_> = (0..5).map(|_| t.attempt("alice", IP)).collect();
        assert!(in_flight.iter().all(Result::is_ok));
        assert!(t.attempt("alice", IP).is_err());
    }

    #[test]
    fn one_address_trying_many_accounts_is_throttled() {
        let (_, t) = throttle();
        for i in 0..30 {
            assert_eq!(t.attempt(&format!("user{i}"), IP), Ok(()));
        }
        assert!(t.attempt("someone-new", IP).is_err());
    }

    #[test]
    fn success_clears_the_account_and_takes_back_the_address_reservation() {
        let (_, t) = throttle();
        for _ in 0..4 {
            t.attempt("alice", IP).expect("allowed");
        }
        t.attempt("alice", IP).expect("allowed");
        t.succeeded("alice", IP);
        assert_eq!(t.attempt("alice", IP), Ok(()));
        // 30 successful sign-ins from one address never throttle it.
        let (_, t) = throttle();
        for _ in 0..40 {
            t.attempt("bob", IP).expect("allowed");
            t.succeeded("bob", IP);
        }
    }
}
