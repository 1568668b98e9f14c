//! How times read in the client: dates in the browser's time zone, and "3 minutes ago".
//!
//! Written with chrono's accessors rather than its `format`/`parse_from_str`: the strftime
//! machinery would be compiled into the browser's wasm for five fixed patterns. The tests
//! below check every pattern against chrono's own formatting and parsing.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveTime, Offset as _, TimeZone, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "March" (strftime `%B`).
fn month_name(d: &impl Datelike) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// "Mar" (strftime `%b`): every English month name starts with its three-letter abbreviation.
fn month_abbr(d: &impl Datelike) -> &'static str {
    &month_name(d)[..3]
}

/// "2027" (strftime `%Y`): four digits, with a sign outside 0–9999.
fn year(d: &impl Datelike) -> String {
    let y = d.year();
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{y:+05}")
    }
}

/// "14:05" (strftime `%H:%M`).
fn hour_minute(t: &impl Timelike) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "2027-03-01" (strftime `%Y-%m-%d`).
fn iso_date(d: &impl Datelike) -> String {
    format!("{}-{:02}-{:02}", year(d), d.month(), d.day())
}

/// "Mar 1, 2027, 14:05" (strftime `%b %-d, %Y, %H:%M`).
fn date_time<Tz: TimeZone>(t: &DateTime<Tz>) -> String {
    format!("{} {}, {}, {}", month_abbr(t), t.day(), year(t), hour_minute(t))
}

/// "Monday, March 1, 2027 at 14:05:09 (UTC+01:00)"
/// (strftime `%A, %B %-d, %Y at %H:%M:%S (UTC%:z)`).
fn exact<Tz: TimeZone>(t: &DateTime<Tz>) -> String {
    let mut out = format!(
        "{}, {} {}, {} at {}:{:02} (UTC",
        WEEKDAYS[t.weekday().num_days_from_monday() as usize],
        month_name(t),
        t.day(),
        year(t),
        hour_minute(t),
        t.second() + t.nanosecond() / 1_000_000_000,
    );
    let offset = t.offset().fix().local_minus_utc();
    let (sign, offset) = if offset < 0 { ('-', -offset) } else { ('+', offset) };
    let minutes = (offset + 30) / 60;
    let _ = write!(out, "{sign}{:02}:{:02})", minutes / 60, minutes % 60);
    out
}

/// A date and time in the local time zone, such as "Mar 1, 2027, 14:05".
pub fn local_date_time(t: DateTime<Utc>) -> String {
    date_time(&t.with_timezone(&Local))
}

/// A full local date-time with its UTC offset, for tooltips.
pub fn exact_local(t: DateTime<Utc>) -> String {
    exact(&t.with_timezone(&Local))
}

/// A UTC instant to the minute, such as "2027-03-01 14:05 UTC".
pub fn utc_minute(t: DateTime<Utc>) -> String {
    format!("{} {} UTC", iso_date(&t), hour_minute(&t))
}

/// A day without its year, such as "Mar 1".
pub fn short_day(day: NaiveDate) -> String {
    format!("{} {}", month_abbr(&day), day.day())
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

/// How long before `now` `then` was, in the largest whole unit.
pub fn relative(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds();
    match secs {
        ..60 => "just now".to_owned(),
        60..3_600 => plural(secs / 60, "minute"),
        3_600..86_400 => plural(secs / 3_600, "hour"),
        86_400..2_592_000 => plural(secs / 86_400, "day"),
        2_592_000..31_536_000 => plural(secs / 2_592_000, "month"),
        _ => plural(secs / 31_536_000, "year"),
    }
}

/// How long after `now` `then` is, in the largest whole unit: "in 5 days", "in 3 hours".
pub fn relative_until(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (then - now).num_seconds();
    let unit = |n: i64, unit: &str| {
        if n == 1 {
            format!("in 1 {unit}")
        } else {
            format!("in {n} {unit}s")
        }
    };
    match secs {
        ..60 => "in less than a minute".to_owned(),
        60..3_600 => unit(secs / 60, "minute"),
        3_600..86_400 => unit(secs / 3_600, "hour"),
        86_400..5_184_000 => unit(secs / 86_400, "day"),
        5_184_000..31_536_000 => unit(secs / 2_592_000, "month"),
        _ => unit(secs / 31_536_000, "year"),
    }
}

/// Leading whitespace, then 1 to `max` ASCII digits, as strftime parsing reads a number.
fn number(s: &str, max: usize) -> Option<(&str, i64)> {
    let s = s.trim_start();
    let digits = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n = s
        .bytes()
        .take(digits)
        .try_fold(0_i64, |n, c| n.checked_mul(10)?.checked_add(i64::from(c - b'0')))?;
    Some((&s[digits..], n))
}

/// A day as a date input or chrono writes it (`%Y-%m-%d`: a year of up to four digits, or
/// signed of any length).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim_start();
    let (s, year) = if let Some(rest) = s.strip_prefix('-') {
        let (rest, v) = number(rest, usize::MAX)?;
        (rest, v.checked_neg()?)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let (s, month) = number(s.strip_prefix('-')?, 2)?;
    let (s, day) = number(s.strip_prefix('-')?, 2)?;
    if !s.is_empty() {
        return None;
    }
    NaiveDate::from_ymd_opt(year.try_into().ok()?, month.try_into().ok()?, day.try_into().ok()?)
}

/// A time input's value (`%H:%M`).
fn parse_time(s: &str) -> Option<NaiveTime> {
    let (s, hour) = number(s, 2)?;
    let (s, minute) = number(s.strip_prefix(':')?, 2)?;
    if !s.is_empty() {
        return None;
    }
    NaiveTime::from_hms_opt(hour.try_into().ok()?, minute.try_into().ok()?, 0)
}

/// Reads a date input (`YYYY-MM-DD`) and a time input (`HH:MM`) in the local time zone.
pub fn local_to_utc(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let date = parse_day(date.trim())?;
    let time = parse_time(time.trim())?;
    Local
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A local date as a date input's value.
pub fn local_date_input(t: DateTime<Utc>) -> String {
    iso_date(&t.with_timezone(&Local))
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, FixedOffset};

    use super::*;

    #[test]
    fn relative_times_use_the_largest_whole_unit() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        for (ago, expected) in [
            (Duration::seconds(-30), "just now"),
            (Duration::seconds(59), "just now"),
            (Duration::seconds(60), "1 minute ago"),
            (Duration::minutes(3), "3 minutes ago"),
            (Duration::minutes(59), "59 minutes ago"),
            (Duration::hours(1), "1 hour ago"),
            (Duration::hours(23), "23 hours ago"),
            (Duration::days(1), "1 day ago"),
            (Duration::days(29), "29 days ago"),
            (Duration::days(30), "1 month ago"),
            (Duration::days(364), "12 months ago"),
            (Duration::days(365), "1 year ago"),
            (Duration::days(800), "2 years ago"),
        ] {
            assert_eq!(relative(now - ago, now), expected, "{ago}");
        }
    }

    /// Instants across years (before year 0 and after 9999 too), months, weekdays and times of
    /// day, in offsets east and west.
    fn instants() -> Vec<DateTime<FixedOffset>> {
        let offsets = [0, 3_600, -18_000, 19_800, -34_200, 45_900, 50_400, -43_200];
        let mut out = Vec::new();
        for (i, secs) in (-70_000_000_000_i64..260_000_000_000).step_by(987_654_321).enumerate() {
            let utc = DateTime::from_timestamp(secs, 0).expect("in range");
            let offset = FixedOffset::east_opt(offsets[i % offsets.len()]).expect("valid offset");
            out.push(utc.with_timezone(&offset));
        }
        out.push(
            DateTime::from_timestamp(1_800_000_009, 0)
                .expect("valid")
                .fixed_offset(),
        );
        out
    }

    #[test]
    fn dates_read_as_chrono_would_write_them() {
        for t in instants() {
            assert_eq!(date_time(&t), t.format("%b %-d, %Y, %H:%M").to_string(), "{t:?}");
            assert_eq!(
                exact(&t),
                t.format("%A, %B %-d, %Y at %H:%M:%S (UTC%:z)").to_string(),
                "{t:?}"
            );
            assert_eq!(iso_date(&t), t.format("%Y-%m-%d").to_string(), "{t:?}");
            let utc = t.with_timezone(&Utc);
            assert_eq!(utc_minute(utc), utc.format("%Y-%m-%d %H:%M UTC").to_string(), "{t:?}");
            let day = t.date_naive();
            assert_eq!(short_day(day), day.format("%b %-d").to_string(), "{t:?}");
        }
    }

    #[test]
    fn date_and_time_inputs_read_as_chrono_would_read_them() {
        for input in [
            "2027-03-01",
            "2027-3-1",
            "0999-12-31",
            "999-12-31",
            "12345-01-01",
            "+12345-01-01",
            "-0044-03-15",
            "2027-02-29",
            "2028-02-29",
            "2027-13-01",
            "2027-00-10",
            "2027-01-32",
            "2027- 01-05",
            "2027-01-05x",
            "2027/01/05",
            "2027-01",
            "",
            "-",
            "+99999999999999999999-01-01",
            "٢٠٢٧-03-01",
        ] {
            assert_eq!(
                parse_day(input),
                NaiveDate::parse_from_str(input, "%Y-%m-%d").ok(),
                "{input:?}"
            );
        }
        for input in [
            "14:05", "4:5", "00:00", "23:59", "24:00", "12:60", "12: 30", "12:30:00", "12", "12:", ":30", "", "1230",
            "123:00",
        ] {
            assert_eq!(
                parse_time(input),
                NaiveTime::parse_from_str(input, "%H:%M").ok(),
                "{input:?}"
            );
        }
    }
}
