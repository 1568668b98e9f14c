//! When a new API token expires. The dialog's preview and the server use the same
//! functions, so what the person sees before generating is what they get.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

use super::ParseError;

/// The predefined intervals offered in the drop-down, in months.
pub const INTERVALS: [u32; 4] = [2, 6, 12, 24];
/// No token may expire later than this many months after its creation.
pub const MAX_MONTHS: u32 = 24;

/// What the person chose in the create dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpiryChoice {
    /// "Select expiration date" unticked.
    Never,
    /// "Expire in N months".
    Months(u32),
    /// "Specify exact date": an instant chosen to the minute.
    Exact(DateTime<Utc>),
}

/// `t` plus `months` calendar months; a day that does not exist in the target month becomes
/// that month's last day (Jan 31 + 1 month = Feb 28 or 29).
pub fn add_months(t: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    t.checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl ExpiryChoice {
    /// Reads the form's wire values: `kind` is `never`, a number of months from
    /// [`INTERVALS`], or `exact` with `exact` an RFC 3339 instant.
    pub fn parse(kind: &str, exact: &str) -> Result<Self, ParseError> {
        match kind.trim() {
            "" | "never" => Ok(Self::Never),
            "exact" => DateTime::parse_from_rfc3339(exact.trim())
                .map(|t| Self::Exact(t.with_timezone(&Utc)))
                .map_err(|_| ParseError::new("Choose a date and a time for the token to expire.")),
            months => match months.parse::<u32>() {
                Ok(n) if INTERVALS.contains(&n) => Ok(Self::Months(n)),
                _ => Err(ParseError::new(
                    "Choose an expiration interval from the list: 2, 6, 12 or 24 months.",
                )),
            },
        }
    }

    /// The form's wire value for `kind`.
    pub fn kind(&self) -> String {
        match self {
            Self::Never => "never".into(),
            Self::Months(n) => n.to_string(),
            Self::Exact(_) => "exact".into(),
        }
    }

    /// The expiry instant for a token created at `now`, or `None` for never. An exact date
    /// must be in the future and at most 24 months ahead.
    pub fn expires_at(self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, ParseError> {
        match self {
            Self::Never => Ok(None),
            Self::Months(n) if INTERVALS.contains(&n) => Ok(Some(add_months(now, n))),
            Self::Months(_) => Err(ParseError::new(
                "Choose an expiration interval from the list: 2, 6, 12 or 24 months.",
            )),
            Self::Exact(t) if t <= now => Err(ParseError::new("The expiration date must be in the future.")),
            Self::Exact(t) if t > add_months(now, MAX_MONTHS) => Err(ParseError::new(
                "A token can expire at most 24 months from now; choose an earlier date.",
            )),
            Self::Exact(t) => Ok(Some(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("valid").with_timezone(&Utc)
    }

    #[test]
    fn months_are_calendar_months_clamped_to_the_month_end() {
        for (start, months, expected) in [
            ("2027-01-31T10:15:00Z", 1, "2027-02-28T10:15:00Z"),
            ("2028-01-31T10:15:00Z", 1, "2028-02-29T10:15:00Z"), // leap year
            ("2026-12-31T23:59:00Z", 2, "2027-02-28T23:59:00Z"),
            ("2026-08-31T00:00:00Z", 6, "2027-02-28T00:00:00Z"),
            ("2027-02-28T08:00:00Z", 12, "2028-02-28T08:00:00Z"),
            ("2028-02-29T08:00:00Z", 12, "2029-02-28T08:00:00Z"),
            ("2028-02-29T08:00:00Z", 24, "2030-02-28T08:00:00Z"),
            ("2026-11-28T12:34:56Z", 2, "2027-01-28T12:34:56Z"),
        ] {
            assert_eq!(add_months(at(start), months), at(expected), "{start} + {months}");
        }
    }

    #[test]
    fn choices_resolve_against_the_creation_time() {
        let now = at("2026-05-31T09:00:00Z");
        assert_eq!(ExpiryChoice::Never.expires_at(now), Ok(None));
        assert_eq!(
            ExpiryChoice::Months(6).expires_at(now),
            Ok(Some(at("2026-11-30T09:00:00Z")))
        );
        assert_eq!(
            ExpiryChoice::Months(24).expires_at(now),
            Ok(Some(at("2028-05-31T09:00:00Z")))
        );
        assert!(ExpiryChoice::Months(3).expires_at(now).is_err());
    }

    #[test]
    fn exact_dates_must_be_future_and_within_24_months() {
        let now = at("2026-05-31T09:00:00Z");
        let exact = |s| ExpiryChoice::Exact(at(s)).expires_at(now);
        assert_eq!(exact("2026-05-31T09:01:00Z"), Ok(Some(at("2026-05-31T09:01:00Z"))));
        assert_eq!(exact("2028-05-31T09:00:00Z"), Ok(Some(at("2028-05-31T09:00:00Z"))));
        assert!(
            exact("2028-05-31T09:01:00Z")
                .unwrap_err()
                .0
                .contains("at most 24 months")
        );
        assert!(exact("2026-05-31T09:00:00Z").unwrap_err().0.contains("in the future"));
        assert!(exact("2020-01-01T00:00:00Z").unwrap_err().0.contains("in the future"));
    }

    #[test]
    fn wire_values_parse_or_say_what_to_choose() {
        assert_eq!(ExpiryChoice::parse("never", ""), Ok(ExpiryChoice::Never));
        assert_eq!(ExpiryChoice::parse("12", ""), Ok(ExpiryChoice::Months(12)));
        assert_eq!(
            ExpiryChoice::parse("exact", "2027-03-01T10:30:00+01:00"),
            Ok(ExpiryChoice::Exact(at("2027-03-01T09:30:00Z")))
        );
        assert!(ExpiryChoice::parse("7", "").unwrap_err().0.contains("2, 6, 12 or 24"));
        assert!(ExpiryChoice::parse("forever", "").is_err());
        assert!(
            ExpiryChoice::parse("exact", "tomorrow")
                .unwrap_err()
                .0
                .contains("date and a time")
        );
        for choice in [ExpiryChoice::Never, ExpiryChoice::Months(2)] {
            assert_eq!(ExpiryChoice::parse(&choice.kind(), ""), Ok(choice));
        }
    }
}
