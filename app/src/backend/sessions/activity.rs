//! "Last seen" of a signed-in session: its latest request (when, from which address, with
//! which user agent), kept in the session's own data under `SEEN_KEY` and copied into the
//! `sessions` row when the session is written.
//!
//! Coalesced: a request is noted only when the last note is `SEEN_INTERVAL` old. The server
//! saves a session only when its data changed (tower-sessions' `always_save` is off), so this
//! note is also what moves the 12-hour idle timeout on and refreshes the cookie: an active
//! session costs one write a minute, not one per request (every SQLite write is synced to
//! disk). The price: "last seen" and the idle expiry lag real activity by under a minute.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{USER_KEY, internal};
use crate::backend::Result;

/// Session data key holding the latest request noted (`Seen`).
pub const SEEN_KEY: &str = "seen";
/// A session's requests are noted at most this often.
pub const SEEN_INTERVAL: Duration = Duration::minutes(1);
/// The longest user agent kept, in characters (like an API token's "last used").
pub const MAX_AGENT: usize = 256;

/// The latest request noted for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// When, in ms since the epoch.
    pub at: i64,
    /// From which address (`None`: the server could not tell).
    pub addr: Option<String>,
    /// With which user agent, cleaned by `clean_agent`.
    pub agent: Option<String>,
}

impl Seen {
    pub fn at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.at)
    }
}

/// A `User-Agent` header as kept: invalid UTF-8 replaced, control characters removed,
/// surrounding spaces trimmed, at most `MAX_AGENT` characters; `None` when nothing is left.
pub fn clean_agent(raw: &[u8]) -> Option<String> {
    let text: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let kept: String = text.trim().chars().take(MAX_AGENT).collect();
    let kept = kept.trim_end();
    (!kept.is_empty()).then(|| kept.to_owned())
}

/// Whether a session last noted at `last` should note a request at `now`: never noted, a
/// minute ago or more, or noted "in the future" (the clock was set back).
fn due(last: Option<&Seen>, now: DateTime<Utc>) -> bool {
    match last.and_then(Seen::at) {
        None => true,
        Some(at) => now < at || now - at >= SEEN_INTERVAL,
    }
}

/// Notes a request to the signed-in `session` at `now`, from `addr` with the raw `agent`
/// header, unless the last note is under a minute old. Sessions nobody is signed in to are
/// left alone. Answers whether it noted the request (the session will then be saved).
pub async fn record(session: &Session, now: DateTime<Utc>, addr: Option<IpAddr>, agent: Option<&[u8]>) -> Result<bool> {
    if session.get::<i64>(USER_KEY).await.map_err(internal)?.is_none() {
        return Ok(false);
    }
    // Data that does not read as a note (written by another version) is replaced.
    let last = session.get::<Seen>(SEEN_KEY).await.ok().flatten();
    if !due(last.as_ref(), now) {
        return Ok(false);
    }
    let seen = Seen {
        at: now.timestamp_millis(),
        addr: addr.filter(|ip| !ip.is_unspecified()).map(|ip| ip.to_string()),
        agent: agent.and_then(clean_agent),
    };
    session.insert(SEEN_KEY, seen).await.map_err(internal)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_kept_without_control_characters_trimmed_and_bounded() {
        let cases: [(&[u8], Option<&str>); 6] = [
            (
                b"Mozilla/5.0 (X11; Linux x86_64)",
                Some("Mozilla/5.0 (X11; Linux x86_64)"),
            ),
            (b"  curl/8.5.0\t\r\n", Some("curl/8.5.0")),
            (b"a\x07b\x1bc\x7fd", Some("abcd")),
            (b"caf\xc3\xa9 \xff", Some("caf\u{e9} \u{fffd}")),
            (b"", None),
            (b" \t\x00 ", None),
        ];
        for (raw, kept) in cases {
            assert_eq!(clean_agent(raw).as_deref(), kept, "{raw:?}");
        }
        let long = format!(" {}", "x".repeat(300));
        assert_eq!(clean_agent(long.as_bytes()), Some("x".repeat(MAX_AGENT)));
        let multibyte = "é".repeat(300);
        assert_eq!(
            clean_agent(multibyte.as_bytes()).map(|a| a.chars().count()),
            Some(MAX_AGENT)
        );
    }

    #[test]
    fn a_request_is_noted_when_the_last_note_is_a_minute_old() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).expect("an instant");
        let seen = Seen {
            at: t0.timestamp_millis(),
            addr: None,
            agent: None,
        };
        assert!(due(None, t0), "never noted");
        assert!(!due(Some(&seen), t0));
        assert!(!due(Some(&seen), t0 + SEEN_INTERVAL - Duration::milliseconds(1)));
        assert!(due(Some(&seen), t0 + SEEN_INTERVAL));
        assert!(due(Some(&seen), t0 - Duration::seconds(1)), "the clock went back");
    }
}
