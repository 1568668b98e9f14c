//! A token's requests over the last 30 days: an inline SVG sparkline (accepted requests, and
//! refused ones stacked above in another colour) named by a sentence, and the same numbers in
//! a table behind a "Usage" disclosure for keyboard and screen-reader users.

use chrono::{DateTime, Days, NaiveDate, Utc};
use leptos::prelude::*;

use crate::server_fns::DayUsage;

/// Days shown, today included.
const DAYS: u64 = 30;
const BAR: u32 = 3;
const HEIGHT: u32 = 20;

/// "312 requests in the last 30 days, 4 refused".
pub fn usage_summary(usage: &[DayUsage]) -> String {
    let requests: i64 = usage.iter().map(|d| d.requests).sum();
    let refused: i64 = usage.iter().map(|d| d.refused).sum();
    let noun = if requests == 1 { "request" } else { "requests" };
    match (requests, refused) {
        (0, 0) => "No requests in the last 30 days".to_owned(),
        (_, 0) => format!("{requests} {noun} in the last 30 days"),
        _ => format!("{requests} {noun} in the last 30 days, {refused} refused"),
    }
}

/// The 30 days ending today (UTC), oldest first, each with its counts (zero when none).
fn last_days(usage: &[DayUsage], now: DateTime<Utc>) -> Vec<(NaiveDate, i64, i64)> {
    let today = now.date_naive();
    (0..DAYS)
        .rev()
        .filter_map(|back| today.checked_sub_days(Days::new(back)))
        .map(|day| {
            let found = usage.iter().find(|d| d.day == day);
            (day, found.map_or(0, |d| d.requests), found.map_or(0, |d| d.refused))
        })
        .collect()
}

#[component]
pub fn UsageChart(usage: Vec<DayUsage>, now: DateTime<Utc>) -> impl IntoView {
    let days = last_days(&usage, now);
    let top = days.iter().map(|(_, a, r)| a + r).max().unwrap_or(0).max(1);
    let scale = |n: i64| -> u32 {
        let h = (n * i64::from(HEIGHT) + top - 1) / top;
        u32::try_from(h).unwrap_or(HEIGHT).min(HEIGHT)
    };
    let bars = days
        .iter()
        .zip(0_u32..)
        .map(|((_, accepted, refused), i)| {
            let x = i * BAR;
            let (a, r) = (scale(*accepted), scale(*refused));
            view! {
                <rect class="usage-accepted" x=x y=HEIGHT - a width=BAR - 1 height=a/>
                <rect class="usage-refused" x=x y=HEIGHT - a - r width=BAR - 1 height=r/>
            }
        })
        .collect_view();
    let summary = usage_summary(&usage);
    let rows = days
        .iter()
        .rev()
        .filter(|(_, a, r)| a + r > 0)
        .map(|(day, a, r)| {
            view! {
                <tr>
                    <th scope="row"><time datetime=day.to_string()>{crate::dates::short_day(*day)}</time></th>
                    <td>{*a}</td>
                    <td>{*r}</td>
                </tr>
            }
        })
        .collect_view();
    let any = usage.iter().any(|d| d.requests + d.refused > 0);
    let width = u32::try_from(DAYS).unwrap_or(30) * BAR;
    view! {
        <span class="usage">
            <svg class="sparkline" role="img" aria-label=summary.clone() width=width height=HEIGHT
                viewBox=format!("0 0 {width} {HEIGHT}")>
                {bars}
            </svg>
            {any.then(|| view! {
                <details class="usage-details">
                    <summary>"Usage"</summary>
                    <table class="usage-table">
                        <caption>{summary}</caption>
                        <thead><tr><th scope="col">"Day (UTC)"</th><th scope="col">"Requests"</th><th scope="col">"Refused"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </details>
            })}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str, requests: i64, refused: i64) -> DayUsage {
        DayUsage {
            day: d.parse().expect("a date"),
            requests,
            refused,
        }
    }

    #[test]
    fn the_summary_says_requests_and_refusals_in_words() {
        assert_eq!(usage_summary(&[]), "No requests in the last 30 days");
        assert_eq!(
            usage_summary(&[day("2026-01-01", 1, 0)]),
            "1 request in the last 30 days"
        );
        assert_eq!(
            usage_summary(&[day("2026-01-01", 300, 3), day("2026-01-02", 12, 1)]),
            "312 requests in the last 30 days, 4 refused"
        );
    }

    #[test]
    fn thirty_days_end_today_with_zeros_where_nothing_happened() {
        let now = "2026-03-02T10:00:00Z".parse().expect("an instant");
        let days = last_days(&[day("2026-03-02", 5, 1), day("2026-02-01", 2, 0)], now);
        assert_eq!(days.len(), 30);
        assert_eq!(days[29], ("2026-03-02".parse().expect("date"), 5, 1));
        assert_eq!(days[0], ("2026-02-01".parse().expect("date"), 2, 0));
        assert_eq!(days[1].1 + days[1].2, 0);
    }
}
