//! Where a request came from, cleaned before it is kept.

use std::net::IpAddr;

use super::MAX_AGENT;

/// Where a request came from: the client's address (none when unknown) and its user agent
/// (control characters removed, at most `MAX_AGENT` characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    addr: Option<IpAddr>,
    agent: Option<String>,
}

impl Origin {
    /// The origin of a request with this address and `User-Agent` header.
    pub fn new(addr: Option<IpAddr>, agent: Option<&[u8]>) -> Self {
        Self {
            addr: addr.filter(|a| !a.is_unspecified()),
            agent: agent.map(clean_agent).filter(|a| !a.is_empty()),
        }
    }

    /// No request: an administrator's command.
    pub fn none() -> Self {
        Self::default()
    }

    pub fn addr(&self) -> Option<IpAddr> {
        self.addr
    }

    /// The address, or the unspecified address when unknown (one throttle bucket for all).
    pub fn ip(&self) -> IpAddr {
        self.addr.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    pub fn agent(&self) -> Option<&str> {
        self.agent.as_deref()
    }
}

/// A `User-Agent` header as stored: no token, no control character, trimmed, at most
/// `MAX_AGENT` characters. Nearly every agent is short printable ASCII already, and is then
/// copied once as it is: this runs on every request made with a token.
fn clean_agent(agent: &[u8]) -> String {
    let already_clean = agent.len() <= MAX_AGENT
        && agent.iter().all(|b| (b' '..=b'~').contains(b))
        && agent.first().is_none_or(|&b| b != b' ')
        && agent.last().is_none_or(|&b| b != b' ')
        && !agent
            .windows(crate::domain::token_format::PREFIX.len())
            .any(|w| w == crate::domain::token_format::PREFIX.as_bytes());
    match already_clean.then(|| std::str::from_utf8(agent).ok()).flatten() {
        Some(text) => text.to_owned(),
        None => clean(&without_tokens(&String::from_utf8_lossy(agent)), MAX_AGENT),
    }
}

/// `text` with anything shaped like a token (its prefix and what follows it) replaced, so a
/// script that puts its token in its user agent does not get it stored.
fn without_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(crate::domain::token_format::PREFIX) {
        out.push_str(&rest[..at]);
        out.push_str("[token removed]");
        let after = &rest[at + crate::domain::token_format::PREFIX.len()..];
        let end = after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// `text` without control characters, trimmed, at most `max` characters.
pub(super) fn clean(text: &str, max: usize) -> String {
    let kept: String = text.chars().filter(|c| !c.is_control()).collect();
    kept.trim().chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_lose_control_characters_and_are_bounded() {
        let long = format!("curl/8.0\u{7}\r\nX-Injected: 1{}", "a".repeat(400));
        let origin = Origin::new(Some("203.0.113.9".parse().expect("ip")), Some(long.as_bytes()));
        let agent = origin.agent().expect("an agent");
        assert!(agent.starts_with("curl/8.0X-Injected: 1"), "{agent}");
        assert_eq!(agent.chars().count(), MAX_AGENT);
        let leaky = Origin::new(None, Some(b"deploy.sh tsr_abcDEF123 (tsr_x)"));
        assert_eq!(leaky.agent(), Some("deploy.sh [token removed] ([token removed])"));
        let unknown = Origin::new(Some(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)), Some(b"  "));
        assert_eq!((unknown.addr(), unknown.agent()), (None, None));
        // What is already clean is kept as it is; anything else goes the long way.
        let plain = Origin::new(None, Some(b"tessera-sync/1.2 (linux; +https://example.com)"));
        assert_eq!(plain.agent(), Some("tessera-sync/1.2 (linux; +https://example.com)"));
        let padded = Origin::new(None, Some(b" curl/8.0 "));
        assert_eq!(padded.agent(), Some("curl/8.0"));
        let accented = Origin::new(None, Some("caf\u{e9}/1 tsr_abc".as_bytes()));
        assert_eq!(accented.agent(), Some("caf\u{e9}/1 [token removed]"));
        let exact = "a".repeat(MAX_AGENT);
        assert_eq!(Origin::new(None, Some(exact.as_bytes())).agent(), Some(exact.as_str()));
        let invalid = Origin::new(None, Some(b"bad\xff/1"));
        assert_eq!(invalid.agent(), Some("bad\u{fffd}/1"));
    }
}
