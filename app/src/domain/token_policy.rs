//! What an administrator allows for new token values (`--max-token-lifetime-months`,
//! `--require-token-expiry`). The dialogs offer only what the policy allows, and the server
//! checks every creation and rotation against it; tokens made before stay as they are.
//!
//! A maximum lifetime implies an expiry: a token that never expires outlives any maximum.
//! Rotating with "the same length as before" is capped at the maximum; a token that never
//! expired cannot keep never expiring under a policy, so that rotation is refused with the
//! reason and the person (or script) chooses a length.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ExpiryChoice, INTERVALS, MAX_MONTHS, NewExpiry, ParseError, add_months};

/// The administrator's rules for new token values; the default is no rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TokenPolicy {
    /// Every new value expires at most this many months (1–24) after it is issued.
    pub max_months: Option<u32>,
    /// Every new value has an expiry.
    pub require_expiry: bool,
}

/// "1 month", "6 months".
fn months(n: u32) -> String {
    if n == 1 {
        "1 month".to_owned()
    } else {
        format!("{n} months")
    }
}

impl TokenPolicy {
    /// Reads `--max-token-lifetime-months`: a whole number of months from 1 to 24.
    pub fn parse_max_months(input: &str) -> Result<u32, ParseError> {
        match input.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_MONTHS).contains(&n) => Ok(n),
            _ => Err(ParseError::new(format!(
                "Give the longest a token may last as a whole number of months from 1 to {MAX_MONTHS}, such as \
                 \"6\" (got {input:?})."
            ))),
        }
    }

    /// Whether any rule applies.
    pub fn is_set(self) -> bool {
        self.max_months.is_some() || self.require_expiry
    }

    /// Whether every new value must expire (required, or implied by a maximum).
    pub fn needs_expiry(self) -> bool {
        self.require_expiry || self.max_months.is_some()
    }

    /// The most months a new value may last.
    pub fn months_allowed(self) -> u32 {
        self.max_months.unwrap_or(MAX_MONTHS)
    }

    /// The dialog's intervals the policy allows, shortest first (none when the maximum is
    /// shorter than every interval: then only an exact date).
    pub fn intervals(self) -> Vec<u32> {
        INTERVALS.into_iter().filter(|n| *n <= self.months_allowed()).collect()
    }

    /// The latest expiry allowed for a value issued at `now`.
    pub fn latest(self, now: DateTime<Utc>) -> DateTime<Utc> {
        add_months(now, self.months_allowed())
    }

    /// The rule in one sentence, for the dialogs' hints and the profile; none without a policy.
    pub fn summary(self) -> Option<String> {
        match (self.max_months, self.require_expiry) {
            (Some(n), _) => Some(format!("Your administrator allows tokens of at most {}.", months(n))),
            (None, true) => Some("Your administrator requires every token to have an expiration date.".to_owned()),
            (None, false) => None,
        }
    }

    /// Why a choice was refused: the rule, then what may be chosen instead.
    fn refusal(self, now: DateTime<Utc>) -> ParseError {
        ParseError::new(format!("Your {}: {}.", self.rule(), self.alternatives(now)))
    }

    /// "administrator requires every token to …".
    fn rule(self) -> String {
        match self.max_months {
            Some(n) => format!("administrator requires every token to expire within {}", months(n)),
            None => "administrator requires every token to have an expiration date".to_owned(),
        }
    }

    /// "choose 2 or 6 months, or a date before …".
    fn alternatives(self, now: DateTime<Utc>) -> String {
        let latest = crate::dates::utc_minute(self.latest(now));
        let intervals = self.intervals();
        match intervals.split_last() {
            None => format!("choose a date before {latest}"),
            Some((last, [])) => format!("choose {last} months, or a date before {latest}"),
            Some((last, rest)) => {
                let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
                format!("choose {} or {last} months, or a date before {latest}", rest.join(", "))
            }
        }
    }

    /// The expiry of a new token created at `now` with `choice`, when the policy allows it.
    pub fn check_choice(self, choice: ExpiryChoice, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, ParseError> {
        let expires = choice.expires_at(now)?;
        match expires {
            None if self.needs_expiry() => Err(self.refusal(now)),
            Some(t) if t > self.latest(now) => Err(self.refusal(now)),
            _ => Ok(expires),
        }
    }

    /// The expiry of a value rotated at `now` (replacing one issued at `issued` that expires
    /// at `expires`), when the policy allows it. The same length is capped at the maximum; a
    /// token that never expired must be given an expiry.
    pub fn check_rotation(
        self,
        new: NewExpiry,
        now: DateTime<Utc>,
        issued: DateTime<Utc>,
        expires: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, ParseError> {
        match new {
            NewExpiry::Choice(choice) => self.check_choice(choice, now),
            NewExpiry::SameLength => match new.expires_at(now, issued, expires)? {
                None if self.needs_expiry() => Err(ParseError::new(format!(
                    "This token never expired, and your {}: {} for the new value.",
                    self.rule(),
                    self.alternatives(now)
                ))),
                Some(t) => Ok(Some(t.min(self.latest(now)))),
                None => Ok(None),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("valid").with_timezone(&Utc)
    }

    fn six() -> TokenPolicy {
        TokenPolicy {
            max_months: Some(6),
            require_expiry: false,
        }
    }

    const REQUIRED: TokenPolicy = TokenPolicy {
        max_months: None,
        require_expiry: true,
    };

    #[test]
    fn the_maximum_is_a_whole_number_of_months_from_1_to_24() {
        assert_eq!(TokenPolicy::parse_max_months("1"), Ok(1));
        assert_eq!(TokenPolicy::parse_max_months(" 24 "), Ok(24));
        for bad in ["0", "25", "abc", "", "-1", "6.5"] {
            let error = TokenPolicy::parse_max_months(bad).expect_err(bad).0;
            assert!(error.contains("from 1 to 24"), "{bad}: {error}");
        }
    }

    #[test]
    fn no_policy_allows_what_the_dialog_always_allowed() {
        let now = at("2026-05-31T09:00:00Z");
        let none = TokenPolicy::default();
        assert!(!none.is_set());
        assert_eq!(none.summary(), None);
        assert_eq!(none.intervals(), INTERVALS.to_vec());
        assert_eq!(none.check_choice(ExpiryChoice::Never, now), Ok(None));
        assert_eq!(
            none.check_choice(ExpiryChoice::Months(24), now),
            Ok(Some(at("2028-05-31T09:00:00Z")))
        );
    }

    #[test]
    fn a_maximum_offers_the_shorter_intervals_and_refuses_the_rest_naming_the_policy() {
        let now = at("2026-05-31T09:00:00Z");
        assert_eq!(six().intervals(), [2, 6]);
        assert_eq!(
            six().summary().as_deref(),
            Some("Your administrator allows tokens of at most 6 months.")
        );
        assert_eq!(
            six().check_choice(ExpiryChoice::Months(6), now),
            Ok(Some(at("2026-11-30T09:00:00Z")))
        );
        let refused = six().check_choice(ExpiryChoice::Months(12), now).expect_err("12 > 6").0;
        assert_eq!(
            refused,
            "Your administrator requires every token to expire within 6 months: choose 2 or 6 months, or a date \
             before 2026-11-30 09:00 UTC."
        );
        assert_eq!(six().check_choice(ExpiryChoice::Never, now), Err(ParseError(refused)));
        assert!(
            six()
                .check_choice(ExpiryChoice::Exact(at("2026-11-30T09:00:00Z")), now)
                .is_ok()
        );
        assert!(
            six()
                .check_choice(ExpiryChoice::Exact(at("2026-11-30T09:01:00Z")), now)
                .is_err()
        );
        let one = TokenPolicy {
            max_months: Some(1),
            require_expiry: false,
        };
        assert!(one.intervals().is_empty());
        let error = one.check_choice(ExpiryChoice::Months(2), now).expect_err("2 > 1").0;
        assert!(
            error.contains("within 1 month: choose a date before 2026-06-30"),
            "{error}"
        );
    }

    #[test]
    fn required_expiry_refuses_never_and_allows_up_to_24_months() {
        let now = at("2026-05-31T09:00:00Z");
        let error = REQUIRED.check_choice(ExpiryChoice::Never, now).expect_err("never").0;
        assert!(
            error.starts_with(
                "Your administrator requires every token to have an expiration date: choose 2, 6, 12 or 24"
            ),
            "{error}"
        );
        assert!(REQUIRED.check_choice(ExpiryChoice::Months(24), now).is_ok());
        assert_eq!(REQUIRED.intervals(), INTERVALS.to_vec());
    }

    #[test]
    fn the_same_length_is_capped_and_a_never_expiring_token_must_choose() {
        let now = at("2026-05-31T09:00:00Z");
        let issued = at("2025-05-31T09:00:00Z");
        let a_year_on = Some(at("2026-06-30T09:00:00Z"));
        assert_eq!(
            six().check_rotation(NewExpiry::SameLength, now, issued, a_year_on),
            Ok(Some(at("2026-11-30T09:00:00Z")))
        );
        let month = Some(at("2025-06-30T09:00:00Z"));
        assert_eq!(
            six().check_rotation(NewExpiry::SameLength, at("2025-06-01T09:00:00Z"), issued, month),
            Ok(Some(at("2025-07-01T09:00:00Z"))),
            "a shorter length is kept"
        );
        for policy in [six(), REQUIRED] {
            let error = policy
                .check_rotation(NewExpiry::SameLength, now, issued, None)
                .expect_err("never")
                .0;
            assert!(
                error.starts_with("This token never expired, and your administrator requires"),
                "{error}"
            );
            assert!(error.contains("choose 2"), "{error}");
        }
        assert_eq!(
            TokenPolicy::default().check_rotation(NewExpiry::SameLength, now, issued, None),
            Ok(None)
        );
        assert!(
            six()
                .check_rotation(NewExpiry::Choice(ExpiryChoice::Months(12)), now, issued, None)
                .is_err()
        );
    }
}
