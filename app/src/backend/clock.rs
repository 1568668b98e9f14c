//! The one source of "now". Production reads the system clock; tests set and advance it.

use std::sync::{Arc, Mutex, PoisonError};

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Duration, SubsecRound as _, Utc};

/// A clock shared by every part of one server.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    Manual(Mutex<DateTime<Utc>>),
}

impl Clock {
    /// The real time.
    pub fn system() -> Self {
        Self(Arc::new(Source::System))
    }

    /// A clock that stands still at `start` until set or advanced.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Source::Manual(Mutex::new(start))))
    }

    /// Now, to the millisecond: the precision the store keeps, so a value returned before a
    /// round trip through the database equals the value read back.
    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            // Cut to the millisecond before it becomes a `DateTime`: several requests' worth
            // of instructions cheaper than truncating one, on every API request.
            // A clock before 1970 or past chrono's range takes chrono's own way, never a
            // default: an instant in the past would let expired tokens through.
            Source::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .ok()
                .and_then(|since| {
                    let secs = i64::try_from(since.as_secs()).ok()?;
                    DateTime::from_timestamp(secs, since.subsec_millis() * 1_000_000)
                })
                .unwrap_or_else(|| Utc::now().trunc_subsecs(3)),
            Source::Manual(t) => t.lock().unwrap_or_else(PoisonError::into_inner).trunc_subsecs(3),
        }
    }

    /// Moves a manual clock forward; a system clock cannot be moved and ignores this.
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(t) = &*self.0 {
            *t.lock().unwrap_or_else(PoisonError::into_inner) += by;
        }
    }

    /// Sets a manual clock; a system clock ignores this.
    pub fn set(&self, to: DateTime<Utc>) {
        if let Source::Manual(t) = &*self.0 {
            *t.lock().unwrap_or_else(PoisonError::into_inner) = to;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_reads_the_time_to_the_millisecond() {
        let before = Utc::now().trunc_subsecs(3);
        let now = Clock::system().now();
        let after = Utc::now();
        assert_eq!(now.timestamp_subsec_nanos() % 1_000_000, 0, "{now:?}");
        assert!(before <= now && now <= after, "{before:?} {now:?} {after:?}");
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).expect("valid");
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(5));
        assert_eq!(clock.now(), start + Duration::minutes(5));
        let shared = clock.clone();
        shared.set(start);
        assert_eq!(clock.now(), start);
    }
}
