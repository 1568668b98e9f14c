//! Rotating a token: a new value replaces the old one, which may keep working for a grace
//! period so the scripts holding it can be given the new one. The dialog and the server use
//! the same arithmetic, so the dialog says exactly when the old value stops.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{ExpiryChoice, INTERVALS, MAX_MONTHS, ParseError, add_months};

/// How long the old value keeps working after a rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Grace {
    /// The old value stops at the instant of the rotation.
    None,
    OneHour,
    /// What the dialog preselects.
    #[default]
    OneDay,
    SevenDays,
}

impl Grace {
    /// In the order the dialog offers them.
    pub const ALL: [Self; 4] = [Self::None, Self::OneHour, Self::OneDay, Self::SevenDays];

    /// Reads the wire value: `0`, `1h`, `24h` or `7d`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        match value.trim() {
            "0" => Ok(Self::None),
            "1h" => Ok(Self::OneHour),
            "24h" => Ok(Self::OneDay),
            "7d" => Ok(Self::SevenDays),
            _ => Err(ParseError::new(
                "Choose how long the old value keeps working: \"0\", \"1h\", \"24h\" or \"7d\".",
            )),
        }
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "0",
            Self::OneHour => "1h",
            Self::OneDay => "24h",
            Self::SevenDays => "7d",
        }
    }

    /// What the dialog calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "No time — stop it now",
            Self::OneHour => "1 hour",
            Self::OneDay => "24 hours",
            Self::SevenDays => "7 days",
        }
    }

    pub fn duration(self) -> Duration {
        match self {
            Self::None => Duration::zero(),
            Self::OneHour => Duration::hours(1),
            Self::OneDay => Duration::hours(24),
            Self::SevenDays => Duration::days(7),
        }
    }
}

/// When a rotated token's new value expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewExpiry {
    /// As long after the rotation as the value it replaces lasted (never, for a token that
    /// never expired), still at most 24 months.
    SameLength,
    /// One of the create dialog's choices.
    Choice(ExpiryChoice),
}

impl NewExpiry {
    /// Reads the dialog's wire values: `same`, or the create dialog's `kind` and `exact`.
    pub fn parse(kind: &str, exact: &str) -> Result<Self, ParseError> {
        match kind.trim() {
            "same" => Ok(Self::SameLength),
            _ => ExpiryChoice::parse(kind, exact).map(Self::Choice),
        }
    }

    /// Reads the REST API's `expires_in_months`: absent for the same length.
    pub fn from_months(months: Option<i64>) -> Result<Self, ParseError> {
        match months.map(u32::try_from) {
            None => Ok(Self::SameLength),
            Some(Ok(n)) if INTERVALS.contains(&n) => Ok(Self::Choice(ExpiryChoice::Months(n))),
            Some(_) => Err(ParseError::new("Choose expires_in_months from 2, 6, 12 or 24.")),
        }
    }

    /// The new value's expiry for a rotation at `now` of a value that was issued at `issued`
    /// (the token's creation or its last rotation) and expires at `expires`.
    pub fn expires_at(
        self,
        now: DateTime<Utc>,
        issued: DateTime<Utc>,
        expires: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, ParseError> {
        match self {
            Self::Choice(choice) => choice.expires_at(now),
            Self::SameLength => Ok(expires.map(|expires| {
                let length = (expires - issued).max(Duration::minutes(1));
                now.checked_add_signed(length)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC)
                    .min(add_months(now, MAX_MONTHS))
            })),
        }
    }
}

/// Until when the replaced value keeps working after a rotation at `now`: the grace period,
/// but never past the expiry the value had anyway.
pub fn old_value_until(now: DateTime<Utc>, grace: Grace, expires: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let end = now + grace.duration();
    expires.map_or(end, |expires| end.min(expires))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;
    use proptest::prelude::*;

    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(secs, 0).single().expect("an instant")
    }

    #[test]
    fn grace_wire_values_round_trip_and_others_are_refused() {
        for grace in Grace::ALL {
            assert_eq!(Grace::parse(grace.as_str()), Ok(grace));
        }
        for bad in ["", "1", "2h", "24H", "7 days", "-1h"] {
            let error = Grace::parse(bad).expect_err(bad).0;
            assert!(error.contains("\"1h\", \"24h\" or \"7d\""), "{bad}: {error}");
        }
        assert_eq!(Grace::default(), Grace::OneDay);
    }

    #[test]
    fn new_expiry_reads_the_dialog_and_the_api() {
        assert_eq!(NewExpiry::parse("same", ""), Ok(NewExpiry::SameLength));
        assert_eq!(
            NewExpiry::parse("6", ""),
            Ok(NewExpiry::Choice(ExpiryChoice::Months(6)))
        );
        assert_eq!(
            NewExpiry::parse("never", ""),
            Ok(NewExpiry::Choice(ExpiryChoice::Never))
        );
        assert!(NewExpiry::parse("5", "").is_err());
        assert_eq!(NewExpiry::from_months(None), Ok(NewExpiry::SameLength));
        assert_eq!(
            NewExpiry::from_months(Some(24)),
            Ok(NewExpiry::Choice(ExpiryChoice::Months(24)))
        );
        for bad in [-2, 0, 1, 3, 25, 36, i64::MAX] {
            assert!(NewExpiry::from_months(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_that_never_expired_keeps_never_expiring_by_default() {
        let now = at(1_800_000_000);
        assert_eq!(NewExpiry::SameLength.expires_at(now, at(1_700_000_000), None), Ok(None));
    }

    proptest! {
        /// The same length: the new value lasts as long as the old one did, at most 24
        /// months, and always ends after the rotation.
        #[test]
        fn the_same_length_is_kept_and_bounded(
            issued in 1_600_000_000_i64..1_900_000_000,
            length in 60_i64..(4 * 365 * 86_400),
            later in 0_i64..(3 * 365 * 86_400),
        ) {
            let issued_at = at(issued);
            let expires = at(issued + length);
            let now = at(issued + later);
            let new = NewExpiry::SameLength.expires_at(now, issued_at, Some(expires)).expect("a length").expect("an expiry");
            prop_assert!(new > now);
            prop_assert!(new <= add_months(now, MAX_MONTHS));
            let wanted = now + Duration::seconds(length);
            prop_assert_eq!(new, wanted.min(add_months(now, MAX_MONTHS)));
        }

        /// The old value stops after the grace period or at its own expiry, whichever is
        /// first, and never before the rotation.
        #[test]
        fn the_old_value_never_outlives_its_grace_or_its_expiry(
            now in 1_600_000_000_i64..1_900_000_000,
            grace in 0_usize..4,
            expires_in in proptest::option::of(1_i64..(30 * 86_400)),
        ) {
            let grace = Grace::ALL[grace];
            let now_at = at(now);
            let expires = expires_in.map(|s| at(now + s));
            let until = old_value_until(now_at, grace, expires);
            prop_assert!(until >= now_at);
            prop_assert!(until <= now_at + grace.duration());
            if let Some(expires) = expires {
                prop_assert!(until <= expires);
            }
            prop_assert!(until == now_at + grace.duration() || Some(until) == expires);
        }
    }
}
