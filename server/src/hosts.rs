//! The names this server answers to, and the origins whose pages may call its server functions.
//!
//! DNS rebinding points an attacker's host name at our address, so the victim's browser sends
//! the attacker's name in `Host` and treats our answers as the attacker's own origin. Every
//! request must therefore name one of *our* hosts, and a cookie-authenticated call must come
//! from a page of one of our origins (scheme, host and port), compared with what the operator
//! configured, never with the request's own `Host`.
//!
//! Names are compared the way DNS and browsers see them: case-insensitively, with a trailing
//! dot ignored (`example.org.` is `example.org`), and IPv6 addresses by value (`[::1]` is
//! `[0:0:0:0:0:0:0:1]`). A missing port means the scheme's default.

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

/// What is wrong with a host, origin or URL someone gave us.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("{0:?} is not a host name or address (letters, digits, '-', '_' and '.'; an IPv6 address in brackets)")]
    Host(String),
    #[error("{0:?} has a port that is not a number from 1 to 65535")]
    Port(String),
    #[error("{0:?} does not start with http:// or https://")]
    Scheme(String),
    #[error(
        "{0:?} must be just scheme, host and optional port: Tessera is served at the root, without path, query or user"
    )]
    NotAnOrigin(String),
}

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

/// A host name or address with an optional port, as a `Host` header or `--allowed-host` gives
/// it. Kept normalised: lower case, no trailing dot, IPv6 in brackets in its shortest form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    host: String,
    port: Option<u16>,
}

impl HostPort {
    /// `host` (an IPv6 address without brackets is accepted here) and `port`.
    pub fn new(host: &str, port: u16) -> Result<Self, AddressError> {
        let host = match host.parse::<Ipv6Addr>() {
            Ok(ip) => format!("[{ip}]"),
            Err(_) => normalise_name(host)?,
        };
        Ok(Self { host, port: Some(port) })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> Option<u16> {
        self.port
    }
}

impl FromStr for HostPort {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, AddressError> {
        let bad_host = || AddressError::Host(s.to_owned());
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (inside, after) = rest.split_once(']').ok_or_else(bad_host)?;
            let ip: Ipv6Addr = inside.parse().map_err(|_| bad_host())?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':').ok_or_else(bad_host)?),
            };
            (format!("[{ip}]"), port)
        } else {
            let (name, port) = match s.split_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (s, None),
            };
            (normalise_name(name).map_err(|_| bad_host())?, port)
        };
        let port = match port {
            // RFC 3986 allows an empty port; it means the default one.
            None | Some("") => None,
            Some(digits) => Some(parse_port(digits).ok_or_else(|| AddressError::Port(s.to_owned()))?),
        };
        Ok(Self { host, port })
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// A web origin: scheme, host and port, as an `Origin` header gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    port: u16,
}

impl Origin {
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

impl FromStr for Origin {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, AddressError> {
        let (scheme, rest) = s.split_once("://").ok_or_else(|| AddressError::Scheme(s.to_owned()))?;
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            Scheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else {
            return Err(AddressError::Scheme(s.to_owned()));
        };
        if rest.contains(['/', '?', '#', '@']) {
            return Err(AddressError::NotAnOrigin(s.to_owned()));
        }
        let authority: HostPort = rest.parse()?;
        Ok(Self {
            scheme,
            port: authority.port.unwrap_or(scheme.default_port()),
            host: authority.host,
        })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        if self.port != self.scheme.default_port() {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

/// The URL people open to reach Tessera (`--public-url`), e.g. `https://tessera.example.org`:
/// an origin, optionally written with a final `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(Origin);

impl PublicUrl {
    pub fn origin(&self) -> &Origin {
        &self.0
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme == Scheme::Https
    }
}

impl FromStr for PublicUrl {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, AddressError> {
        let origin = s.strip_suffix('/').unwrap_or(s).parse::<Origin>();
        match origin {
            // Say what is wrong with the URL as given, not with the part we looked at.
            Err(AddressError::NotAnOrigin(_)) => Err(AddressError::NotAnOrigin(s.to_owned())),
            other => other.map(Self),
        }
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The hosts requests may name and the origins whose pages may call server functions.
/// Empty (the default) allows nothing.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    hosts: Vec<(String, u16)>,
    origins: Vec<Origin>,
}

impl AllowedHosts {
    /// The public URL's host and origin, and each of `hosts` with the origin a browser gives
    /// it: `https` when `secure` (the server is reached over https), `http` otherwise; a host
    /// without a port stands for that scheme's default port.
    pub fn new(public_url: Option<&PublicUrl>, hosts: &[HostPort], secure: bool) -> Self {
        let scheme = if secure { Scheme::Https } else { Scheme::Http };
        let mut allowed = Self::default();
        let public = public_url.map(|url| url.0.clone());
        let others = hosts.iter().map(|h| Origin {
            scheme,
            host: h.host.clone(),
            port: h.port.unwrap_or(scheme.default_port()),
        });
        for origin in public.into_iter().chain(others) {
            let host = (origin.host.clone(), origin.port);
            if !allowed.hosts.contains(&host) {
                allowed.hosts.push(host);
            }
            if !allowed.origins.contains(&origin) {
                allowed.origins.push(origin);
            }
        }
        allowed
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Whether a request naming `host` is for us. A `Host` without a port matches an allowed
    /// host on port 80 or 443: behind a proxy we cannot tell which scheme the browser used.
    pub fn allows_host(&self, host: &HostPort) -> bool {
        self.hosts.iter().any(|(name, port)| {
            *name == host.host
                && match host.port {
                    Some(p) => p == *port,
                    None => *port == 80 || *port == 443,
                }
        })
    }

    /// Whether `origin` (an `Origin` header's value) is one of ours: same scheme, host and
    /// port. `null` and anything unparsable are not.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin.parse::<Origin>().is_ok_and(|o| self.origins.contains(&o))
    }

    /// The allowed origins, for messages and logs.
    pub fn origins(&self) -> impl Iterator<Item = &Origin> {
        self.origins.iter()
    }
}

/// A DNS name or IPv4 address, lower-cased and without its trailing dot.
fn normalise_name(name: &str) -> Result<String, AddressError> {
    let bad = || AddressError::Host(name.to_owned());
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    let well_formed = !trimmed.is_empty()
        && trimmed.split('.').all(|label| !label.is_empty())
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !well_formed {
        return Err(bad());
    }
    Ok(trimmed.to_ascii_lowercase())
}

/// 1–65535 in plain digits (`u16::from_str` would also take a sign).
fn parse_port(digits: &str) -> Option<u16> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u16>().ok().filter(|p| *p != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(s: &str) -> HostPort {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn public(s: &str) -> PublicUrl {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn host_names_are_normalised_for_case_trailing_dots_and_ipv6_spelling() {
        for (given, normal) in [
            ("Tessera.Example.ORG", "tessera.example.org"),
            ("tessera.example.org.", "tessera.example.org"),
            ("tessera.example.org.:8443", "tessera.example.org:8443"),
            ("127.0.0.1:3000", "127.0.0.1:3000"),
            ("[::1]:3000", "[::1]:3000"),
            ("[0:0:0:0:0:0:0:1]:3000", "[::1]:3000"),
            ("[2001:DB8::A]", "[2001:db8::a]"),
            ("localhost:", "localhost"),
            ("my_host", "my_host"),
        ] {
            assert_eq!(host(given).to_string(), normal, "{given}");
        }
    }

    #[test]
    fn malformed_hosts_are_refused_with_the_reason() {
        for bad in [
            "",
            ".",
            "a..b",
            ".a",
            "::1",
            "[::1",
            "[::1]x",
            "[nope]:80",
            "a b",
            "user@host",
            "host/path",
            "ä.example",
        ] {
            assert!(
                matches!(bad.parse::<HostPort>(), Err(AddressError::Host(_))),
                "{bad:?} was accepted"
            );
        }
        for bad in ["host:0", "host:65536", "host:+80", "host:8o", "[::1]:-1", "host:80:80"] {
            assert!(bad.parse::<HostPort>().is_err(), "{bad:?} was accepted");
        }
        assert_eq!(
            "host:99999".parse::<HostPort>(),
            Err(AddressError::Port("host:99999".into()))
        );
    }

    #[test]
    fn a_host_matches_only_with_its_port_and_a_bare_host_means_a_default_port() {
        let allowed = AllowedHosts::new(None, &[host("localhost:3000"), host("[::1]:3000")], false);
        assert!(allowed.allows_host(&host("localhost:3000")));
        assert!(allowed.allows_host(&host("LOCALHOST.:3000")));
        assert!(allowed.allows_host(&host("[0::1]:3000")));
        assert!(!allowed.allows_host(&host("localhost:3001")));
        assert!(!allowed.allows_host(&host("localhost")));
        assert!(!allowed.allows_host(&host("rebind.attacker:3000")));
        assert!(!allowed.allows_host(&host("[::2]:3000")));

        let behind_proxy = AllowedHosts::new(Some(&public("https://Tessera.example.org/")), &[], true);
        assert!(behind_proxy.allows_host(&host("tessera.example.org")));
        assert!(behind_proxy.allows_host(&host("tessera.example.org:443")));
        assert!(behind_proxy.allows_host(&host("tessera.example.org.")));
        assert!(!behind_proxy.allows_host(&host("tessera.example.org:8443")));
        assert!(!behind_proxy.allows_host(&host("example.org")));
        assert!(!behind_proxy.allows_host(&host("tessera.example.org.evil")));
    }

    #[test]
    fn an_origin_must_match_in_scheme_host_and_port() {
        let allowed = AllowedHosts::new(
            Some(&public("https://tessera.example.org")),
            &[host("10.0.0.5:3000")],
            true,
        );
        for ours in [
            "https://tessera.example.org",
            "https://tessera.example.org:443",
            "HTTPS://TESSERA.EXAMPLE.ORG",
            "https://tessera.example.org.",
            "https://10.0.0.5:3000",
        ] {
            assert!(allowed.allows_origin(ours), "{ours} was refused");
        }
        for theirs in [
            "http://tessera.example.org",
            "https://tessera.example.org:8443",
            "https://evil.example",
            "https://tessera.example.org.evil.example",
            "http://10.0.0.5:3000",
            "https://tessera.example.org/",
            "https://user@tessera.example.org",
            "null",
            "",
            "tessera.example.org",
        ] {
            assert!(!allowed.allows_origin(theirs), "{theirs} was accepted");
        }
    }

    #[test]
    fn loopback_origins_over_plain_http_include_ipv6() {
        let allowed = AllowedHosts::new(
            None,
            &[
                HostPort::new("localhost", 3000).expect("host"),
                HostPort::new("::1", 3000).expect("host"),
            ],
            false,
        );
        assert!(allowed.allows_origin("http://[::1]:3000"));
        assert!(allowed.allows_origin("http://localhost:3000"));
        assert!(!allowed.allows_origin("https://localhost:3000"));
        assert!(!allowed.allows_origin("http://localhost"));
        assert_eq!(
            allowed.origins().map(ToString::to_string).collect::<Vec<_>>(),
            ["http://localhost:3000", "http://[::1]:3000"]
        );
    }

    #[test]
    fn a_public_url_is_an_origin_with_at_most_a_final_slash() {
        assert_eq!(
            public("https://tessera.example.org/").to_string(),
            "https://tessera.example.org"
        );
        assert_eq!(
            public("http://tessera.example.org:80").to_string(),
            "http://tessera.example.org"
        );
        assert!(public("https://a.example:8443").is_https());
        assert!(!public("http://a.example").is_https());
        assert_eq!(
            "https://a.example/tessera".parse::<PublicUrl>(),
            Err(AddressError::NotAnOrigin("https://a.example/tessera".into()))
        );
        assert!(matches!(
            "ftp://a.example".parse::<PublicUrl>(),
            Err(AddressError::Scheme(_))
        ));
        assert!(matches!("a.example".parse::<PublicUrl>(), Err(AddressError::Scheme(_))));
    }

    #[test]
    fn nothing_is_allowed_by_default() {
        let none = AllowedHosts::default();
        assert!(none.is_empty());
        assert!(!none.allows_host(&host("localhost")));
        assert!(!none.allows_origin("http://localhost"));
    }
}
