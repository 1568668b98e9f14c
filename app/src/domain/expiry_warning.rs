//! When a token's coming expiry is pointed out: "Expires soon" within the first threshold
//! (30 days by default), "Expires in N days" with a banner within the second (7 days).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ParseError;

/// The two thresholds, in days: `soon` > `urgent` ≥ 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryWarning {
    pub soon_days: u32,
    pub urgent_days: u32,
}

impl Default for ExpiryWarning {
    fn default() -> Self {
        Self {
            soon_days: 30,
            urgent_days: 7,
        }
    }
}

/// How near a token's expiry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpiryLevel {
    /// Within the first threshold.
    Soon,
    /// Within the second threshold: `days` whole days left (0 on its last day).
    Urgent { days: i64 },
}

/// The most days a threshold may be.
const MAX_DAYS: u32 = 365;

impl ExpiryWarning {
    /// Reads `SOON,URGENT`, such as `30,7`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let wrong = || {
            ParseError::new(format!(
                "Give two numbers of days, the larger first, each from 1 to {MAX_DAYS}, such as \"30,7\" \
                 (got {input:?})."
            ))
        };
        let (soon, urgent) = input.split_once(',').ok_or_else(wrong)?;
        let soon: u32 = soon.trim().parse().map_err(|_| wrong())?;
        let urgent: u32 = urgent.trim().parse().map_err(|_| wrong())?;
        if urgent == 0 || soon <= urgent || soon > MAX_DAYS {
            return Err(wrong());
        }
        Ok(Self {
            soon_days: soon,
            urgent_days: urgent,
        })
    }

    /// How near `expires_at` is at `now`; none when far off, or already past.
    pub fn level(self, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<ExpiryLevel> {
        let left = expires_at - now;
        if left <= chrono::Duration::zero() {
            return None;
        }
        if left <= chrono::Duration::days(i64::from(self.urgent_days)) {
            Some(ExpiryLevel::Urgent { days: left.num_days() })
        } else if left <= chrono::Duration::days(i64::from(self.soon_days)) {
            Some(ExpiryLevel::Soon)
        } else {
            None
        }
    }
}

impl std::str::FromStr for ExpiryWarning {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// "in 3 days", "in 1 day", "today": how soon an expiry is, for people.
pub fn days_left(days: i64) -> String {
    match days {
        ..=0 => "today".to_owned(),
        1 => "in 1 day".to_owned(),
        n => format!("in {n} days"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone as _};

    use super::*;

    #[test]
    fn thresholds_are_two_descending_day_counts() {
        assert_eq!(ExpiryWarning::parse("30,7"), Ok(ExpiryWarning::default()));
        assert_eq!(
            ExpiryWarning::parse(" 14 , 3 ").map(|w| (w.soon_days, w.urgent_days)),
            Ok((14, 3))
        );
        for bad in [
            "", "30", "7,30", "30,30", "30,0", "0,0", "366,7", "a,b", "30,7,1", "-1,-3",
        ] {
            let error = ExpiryWarning::parse(bad).expect_err(bad);
            assert!(error.0.contains("30,7"), "{error}");
        }
    }

    #[test]
    fn a_token_is_soon_within_the_first_threshold_and_urgent_within_the_second() {
        let now = Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).single().expect("a time");
        let w = ExpiryWarning::default();
        assert_eq!(w.level(now + Duration::days(31), now), None);
        assert_eq!(w.level(now + Duration::days(30), now), Some(ExpiryLevel::Soon));
        assert_eq!(w.level(now + Duration::days(8), now), Some(ExpiryLevel::Soon));
        assert_eq!(
            w.level(now + Duration::days(7), now),
            Some(ExpiryLevel::Urgent { days: 7 })
        );
        assert_eq!(
            w.level(now + Duration::hours(30), now),
            Some(ExpiryLevel::Urgent { days: 1 })
        );
        assert_eq!(
            w.level(now + Duration::minutes(5), now),
            Some(ExpiryLevel::Urgent { days: 0 })
        );
        assert_eq!(w.level(now, now), None, "expired is not expiring");
        assert_eq!(
            (days_left(0), days_left(1), days_left(5)),
            ("today".into(), "in 1 day".into(), "in 5 days".into())
        );
    }
}
