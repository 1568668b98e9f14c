//! Instants in JSON exactly as chrono writes them (RFC 3339 in UTC with a `Z`, and as many
//! fractional digits as the value needs: none, 3, 6 or 9), without going through the
//! formatting machinery: `/me` writes three on every call. Instants outside years 0–9999 and
//! leap seconds are left to chrono.

use chrono::{DateTime, Datelike as _, Timelike as _, Utc};
use serde::Serializer;

/// The longest form: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
pub(super) const LONGEST: usize = 30;

/// Writes `n` as `width` decimal digits at the start of `out`.
fn digits(out: &mut [u8], mut n: u32, width: usize) {
    for slot in out[..width].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `at` in chrono's form, or `None` where chrono must write it.
pub(super) fn format(at: &DateTime<Utc>, out: &mut [u8; LONGEST]) -> Option<usize> {
    // The fields of the UTC date and time, read once: each accessor of a `DateTime` would
    // first add its (zero) offset again.
    let at = at.naive_utc();
    let year = u32::try_from(at.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = at.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    digits(&mut out[0..], year, 4);
    out[4] = b'-';
    digits(&mut out[5..], at.month(), 2);
    out[7] = b'-';
    digits(&mut out[8..], at.day(), 2);
    out[10] = b'T';
    digits(&mut out[11..], at.hour(), 2);
    out[13] = b':';
    digits(&mut out[14..], at.minute(), 2);
    out[16] = b':';
    digits(&mut out[17..], at.second(), 2);
    let mut len = 19;
    let (fraction, width) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    if width > 0 {
        out[len] = b'.';
        digits(&mut out[len + 1..], fraction, width);
        len += 1 + width;
    }
    out[len] = b'Z';
    Some(len + 1)
}

/// For `#[serde(serialize_with = "rfc3339::instant")]`.
pub fn instant<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut out = [0; LONGEST];
    // Only ASCII digits and separators are written; anything else would be chrono's to write.
    match format(at, &mut out).and_then(|len| std::str::from_utf8(&out[..len]).ok()) {
        Some(text) => serializer.serialize_str(text),
        None => serde::Serialize::serialize(at, serializer),
    }
}

/// For `#[serde(serialize_with = "rfc3339::optional")]`: `null` for none.
pub fn optional<S: Serializer>(at: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => instant(at, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What chrono writes, and what `instant` writes.
    fn both(at: DateTime<Utc>) -> (String, String) {
        let mut ours = serde_json::Serializer::new(Vec::new());
        instant(&at, &mut ours).expect("serializes");
        let ours = String::from_utf8(ours.into_inner()).expect("utf-8");
        (serde_json::to_string(&at).expect("serializes"), ours)
    }

    #[test]
    fn every_precision_reads_as_chrono_writes_it() {
        for (secs, nanos) in [
            (1_795_000_000, 0),
            (1_795_000_000, 123_000_000),
            (1_795_000_000, 123_456_000),
            (1_795_000_000, 123_456_789),
            (1_795_000_000, 1),
            (0, 0),
            (-62_167_219_200, 0),           // 0000-01-01
            (253_402_300_799, 999_999_999), // 9999-12-31T23:59:59.999999999
            (253_402_300_800, 0),           // year 10000: chrono's own form
            (-62_167_219_201, 0),           // year -1: chrono's own form
        ] {
            let at = DateTime::from_timestamp(secs, nanos).expect("in range");
            let (chrono, ours) = both(at);
            assert_eq!(ours, chrono, "{secs}.{nanos}");
        }
        let leap = DateTime::from_timestamp(1_483_228_799, 1_500_000_000).expect("a leap second");
        let (chrono, ours) = both(leap);
        assert_eq!(ours, chrono);
    }

    proptest! {
        #[test]
        fn any_instant_reads_as_chrono_writes_it(
            secs in -62_167_219_200_i64..253_402_300_800,
            nanos in prop_oneof![Just(0_u32), (0_u32..1000).prop_map(|n| n * 1_000_000),
                (0_u32..1_000_000).prop_map(|n| n * 1_000), 0_u32..1_000_000_000],
        ) {
            let at = DateTime::from_timestamp(secs, nanos).expect("in range");
            let (chrono, ours) = both(at);
            prop_assert_eq!(ours, chrono);
        }
    }

    #[test]
    fn none_is_null() {
        let mut out = serde_json::Serializer::new(Vec::new());
        optional(&None, &mut out).expect("serializes");
        assert_eq!(out.into_inner(), b"null");
    }
}
