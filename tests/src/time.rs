//! Instants for the manual clock every test app runs on.

use chrono::{DateTime, Utc};

/// The instant every test clock starts at: 2026-01-01T00:00:00Z.
pub fn start_time() -> DateTime<Utc> {
    at("2026-01-01T00:00:00Z")
}

/// The instant an RFC 3339 text names, e.g. `at("2026-03-01T00:00:00Z")`.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text:?} is not an RFC 3339 instant: {e}"))
        .with_timezone(&Utc)
}
