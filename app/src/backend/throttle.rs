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

    /// `Err(seconds)` when either the account or the address must wait that long.
    pub fn check(&self, account: &str, address: IpAddr) -> Result<(), u64> {
        let now = self.clock.now();
        let window = Duration::minutes(WINDOW_MINUTES);
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let mut wait = 0_i64;
        for (key, limit) in [
            (Key::Account(account.to_owned()), PER_ACCOUNT),
            (Key::Address(address), PER_ADDRESS),
        ] {
            if let Some(times) = map.get_mut(&key) {
                while times.front().is_some_and(|t| *t + window <= now) {
                    times.pop_front();
                }
                if times.len() >= limit
                    && let Some(oldest) = times.front()
                {
                    wait = wait.max((*oldest + window - now).num_seconds() + 1);
                }
            }
        }
        if wait > 0 {
            Err(u64::try_from(wait).unwrap_or(1))
        } else {
            Ok(())
        }
    }

    pub fn record_failure(&self, account: &str, address: IpAddr) {
        let now = self.clock.now();
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_KEYS {
            let window = Duration::minutes(WINDOW_MINUTES);
            map.retain(|_, times| times.back().is_some_and(|t| *t + window > now));
        }
        for key in [Key::Account(account.to_owned()), Key::Address(address)] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's count (not the address's).
    pub fn clear_account(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(&Key::Account(account.to_owned()));
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
    fn the_sixth_failure_for_an_account_waits_out_the_window() {
        let (clock, t) = throttle();
        for _ in 0..5 {
            assert_eq!(t.check("alice", IP), Ok(()));
            t.record_failure("alice", IP);
        }
        assert_eq!(t.check("alice", IP), Err(15 * 60 + 1));
        assert_eq!(t.check("bob", IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))), Ok(()));
        clock.advance(Duration::minutes(15));
        assert_eq!(t.check("alice", IP), Ok(()));
    }

    #[test]
    fn one_address_trying_many_accounts_is_throttled() {
        let (_, t) = throttle();
        for i in 0..30 {
            t.record_failure(&format!("user{i}"), IP);
        }
        assert!(t.check("someone-new", IP).is_err());
    }

    #[test]
    fn success_clears_the_account_count() {
        let (_, t) = throttle();
        for _ in 0..5 {
            t.record_failure("alice", IP);
        }
        t.clear_account("alice");
        assert_eq!(t.check("alice", IP), Ok(()));
    }
}
