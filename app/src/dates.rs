//! How times read in the client: dates in the browser's time zone, and "3 minutes ago".

use chrono::{DateTime, Local, Utc};

/// A date and time in the local time zone, such as "Mar 1, 2027, 14:05".
pub fn local_date_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%b %-d, %Y, %H:%M").to_string()
}

/// A full local date-time with its UTC offset, for tooltips.
pub fn exact_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%A, %B %-d, %Y at %H:%M:%S (UTC%:z)")
        .to_string()
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

/// Reads a date input (`YYYY-MM-DD`) and a time input (`HH:MM`) in the local time zone.
pub fn local_to_utc(date: &str, time: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDate, NaiveTime, TimeZone as _};
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Local
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A local date as a date input's value.
pub fn local_date_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

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
}
