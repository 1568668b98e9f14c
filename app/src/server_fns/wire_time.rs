//! How the browser reads the instants and days in server-function answers. They are written by
//! chrono's `Serialize` (RFC 3339, such as `2027-03-01T14:05:09.123Z`, and `2027-03-01`); the
//! browser reads them with chrono's strict RFC 3339 parser and `dates`' day parser instead of
//! chrono's `Deserialize`, whose relaxed parser would bring strftime's parsing machinery into
//! the wasm. The server keeps chrono's own; the tests below read what chrono writes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize as _;
use serde::de::{Deserializer, Error as _};

/// An RFC 3339 instant.
pub fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(D::Error::custom)
}

/// An RFC 3339 instant, or `null`.
pub fn optional_instant<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(&s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(D::Error::custom),
    }
}

/// A day, `YYYY-MM-DD`.
pub fn day<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    crate::dates::parse_day(&s).ok_or_else(|| D::Error::custom(format!("not a day: {s}")))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    struct Wire {
        #[serde(deserialize_with = "instant")]
        at: DateTime<Utc>,
        #[serde(deserialize_with = "optional_instant")]
        maybe: Option<DateTime<Utc>>,
        #[serde(deserialize_with = "day")]
        day: NaiveDate,
    }

    #[test]
    fn what_chrono_writes_reads_back_the_same() {
        for (secs, nanos) in [
            (1_800_000_000, 0),
            (1_800_000_009, 123_000_000),
            (0, 1),
            (-86_401, 999_999_999),
        ] {
            let at = DateTime::from_timestamp(secs, nanos).expect("valid");
            for maybe in [None, Some(at)] {
                let json = serde_json::json!({ "at": at, "maybe": maybe, "day": at.date_naive() });
                let wire: Wire = serde_json::from_value(json).expect("reads");
                assert_eq!((wire.at, wire.maybe, wire.day), (at, maybe, at.date_naive()));
            }
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for json in [
            serde_json::json!({ "at": "yesterday", "maybe": null, "day": "2027-03-01" }),
            serde_json::json!({ "at": "2027-03-01T14:05:09Z", "maybe": 5, "day": "2027-03-01" }),
            serde_json::json!({ "at": "2027-03-01T14:05:09Z", "maybe": null, "day": "2027-02-30" }),
        ] {
            assert!(serde_json::from_value::<Wire>(json).is_err());
        }
    }
}
