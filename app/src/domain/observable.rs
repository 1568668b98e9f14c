//! Observables: the concrete technical values (addresses, domains, URIs, hashes) that an
//! indicator or sighting points at. Each value is stored in one canonical text form, so the
//! same address typed two ways is the same observable.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::entity::one_of;
use super::{Email, ParseError, text};

/// The kind of an observable. On the wire each kind is its name from
/// [`ObservableType::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObservableType {
    /// An IPv4 address (`ipv4`).
    Ipv4,
    /// An IPv6 address (`ipv6`).
    Ipv6,
    /// A DNS domain name in ASCII (punycode) form (`domain`).
    Domain,
    /// An absolute URI with a scheme (`uri`).
    Uri,
    /// An email address (`email`).
    Email,
    /// An MD5 digest in hex (`hash-md5`).
    HashMd5,
    /// A SHA-1 digest in hex (`hash-sha1`).
    HashSha1,
    /// A SHA-256 digest in hex (`hash-sha256`).
    HashSha256,
}

impl ObservableType {
    /// Every observable type, in the order a list or drop-down shows them.
    pub const ALL: [ObservableType; 8] = [
        Self::Ipv4,
        Self::Ipv6,
        Self::Domain,
        Self::Uri,
        Self::Email,
        Self::HashMd5,
        Self::HashSha1,
        Self::HashSha256,
    ];

    /// The wire name, such as `hash-sha256`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ipv4 => "ipv4",
            Self::Ipv6 => "ipv6",
            Self::Domain => "domain",
            Self::Uri => "uri",
            Self::Email => "email",
            Self::HashMd5 => "hash-md5",
            Self::HashSha1 => "hash-sha1",
            Self::HashSha256 => "hash-sha256",
        }
    }

    /// Reads a wire name exactly as [`ObservableType::as_str`] writes it.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(Self::as_str).collect();
            ParseError::new(format!("Choose an observable type from the list: {}.", one_of(&names)))
        })
    }

    /// "An ipv4 value", "A domain value": how messages name a value of this type.
    fn subject(self) -> String {
        let article = match self {
            Self::Ipv4 | Self::Ipv6 | Self::Email => "An",
            Self::Domain | Self::Uri | Self::HashMd5 | Self::HashSha1 | Self::HashSha256 => "A",
        };
        format!("{article} {} value", self.as_str())
    }
}

/// How a description of the API (the OpenAPI document) states what a value of one type
/// looks like: every value that fits the shape is accepted by [`ObservableValue::parse`]
/// (the shape may be stricter than `parse`, never looser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueShape {
    /// The JSON Schema `format`, when one fits.
    pub format: Option<&'static str>,
    /// A regular expression a whole value matches, written in the syntax ECMA-262 and Rust's
    /// `regex` share (classes, groups, alternation, counted repetition; no anchors).
    pub pattern: Option<String>,
    /// The most characters.
    pub max_length: Option<usize>,
    /// A value of this type.
    pub example: &'static str,
}

/// A DNS label: letters, digits and inner hyphens, 1–63 characters.
const LABEL: &str = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
/// A last DNS label, starting with a letter so it is never all digits.
const TOP_LABEL: &str = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
/// One number of a dotted quad, 0–255 without leading zeros.
const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
/// A character of a URI path segment (RFC 3986 `pchar` without percent-encoding).
const PCHAR: &str = "[A-Za-z0-9._~!$&'()*+,;=:@-]";
/// A character of a URI query or fragment.
const QCHAR: &str = "[A-Za-z0-9._~!$&'()*+,;=:@/?-]";

impl ObservableType {
    /// What values of this type look like, for the API's description.
    pub fn shape(self) -> ValueShape {
        let domain = format!("(?:{LABEL}\\.)+{TOP_LABEL}");
        let (format, pattern, max_length, example) = match self {
            Self::Ipv4 => (
                Some("ipv4"),
                Some(format!("{OCTET}(?:\\.{OCTET}){{3}}")),
                None,
                "192.0.2.1",
            ),
            Self::Ipv6 => (Some("ipv6"), None, None, "2001:db8::1"),
            Self::Domain => (
                Some("hostname"),
                Some(domain),
                Some(ObservableValue::MAX_DOMAIN),
                "example.com",
            ),
            Self::Uri => {
                let authority = "(?:[A-Za-z0-9._~!$&'()*+,;=:-]*@)?[A-Za-z0-9._~!$&'()*+,;=-]+(?::[0-9]*)?";
                let path =
                    format!("(?://{authority}(?:/{PCHAR}*)*|/(?:{PCHAR}+(?:/{PCHAR}*)*)?|{PCHAR}+(?:/{PCHAR}*)*)");
                let pattern = format!("[A-Za-z][A-Za-z0-9+.-]*:{path}(?:\\?{QCHAR}*)?(?:#{QCHAR}*)?");
                (
                    Some("uri"),
                    Some(pattern),
                    Some(ObservableValue::MAX_URI),
                    "https://example.com/",
                )
            }
            Self::Email => {
                let local = "[A-Za-z0-9_%+-]{1,32}(?:\\.[A-Za-z0-9_%+-]{1,31})?";
                (
                    Some("email"),
                    Some(format!("{local}@{domain}")),
                    Some(Email::MAX),
                    "name@example.org",
                )
            }
            Self::HashMd5 => (None, Some(hex(32)), None, "d41d8cd98f00b204e9800998ecf8427e"),
            Self::HashSha1 => (None, Some(hex(40)), None, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            Self::HashSha256 => (
                None,
                Some(hex(64)),
                None,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
        };
        ValueShape {
            format,
            pattern,
            max_length,
            example,
        }
    }
}

fn hex(digits: usize) -> String {
    format!("[0-9A-Fa-f]{{{digits}}}")
}

impl fmt::Display for ObservableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An observable of a given type, in canonical form: IP addresses as the standard library
/// prints them, domains and hashes lower-case, URIs with a lower-case scheme and host, and
/// email addresses with a lower-case domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ObservableWire", into = "ObservableWire")]
pub struct ObservableValue {
    kind: ObservableType,
    value: String,
}

/// The serialized shape of an [`ObservableValue`]; deserializing goes through `parse`.
#[derive(Serialize, Deserialize)]
struct ObservableWire {
    kind: ObservableType,
    value: String,
}

impl ObservableValue {
    /// The most characters a `domain` value may have (after dropping a trailing dot).
    pub const MAX_DOMAIN: usize = 253;
    /// The most characters one label of a `domain` value may have.
    pub const MAX_LABEL: usize = 63;
    /// The most characters a `uri` value may have.
    pub const MAX_URI: usize = 2048;

    /// Trims `input`, checks it against the rules for `kind` and stores it in canonical form.
    pub fn parse(kind: ObservableType, input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        let subject = kind.subject();
        if value.is_empty() {
            return Err(ParseError::new(format!("Enter {}.", lower_first(&subject))));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| c.is_whitespace() || text::forbidden_char(c.encode_utf8(&mut [0; 4])).is_some())
        {
            return Err(ParseError::new(format!(
                "{subject} cannot contain spaces, control, text-direction or invisible characters; remove {}.",
                text::describe(bad)
            )));
        }
        let value = match kind {
            ObservableType::Ipv4 => ipv4(value, &subject)?,
            ObservableType::Ipv6 => ipv6(value, &subject)?,
            ObservableType::Domain => domain(value, &subject)?,
            ObservableType::Uri => uri(value, &subject)?,
            ObservableType::Email => email(value, &subject)?,
            ObservableType::HashMd5 => hash(value, 32, &subject)?,
            ObservableType::HashSha1 => hash(value, 40, &subject)?,
            ObservableType::HashSha256 => hash(value, 64, &subject)?,
        };
        Ok(Self { kind, value })
    }

    /// The observable's type.
    pub fn kind(&self) -> ObservableType {
        self.kind
    }

    /// The value in canonical form.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl TryFrom<ObservableWire> for ObservableValue {
    type Error = ParseError;
    fn try_from(wire: ObservableWire) -> Result<Self, Self::Error> {
        Self::parse(wire.kind, &wire.value)
    }
}

impl From<ObservableValue> for ObservableWire {
    fn from(value: ObservableValue) -> Self {
        Self {
            kind: value.kind,
            value: value.value,
        }
    }
}

impl fmt::Display for ObservableValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `[2001:db8::1]` as typed in a URL, without the brackets.
fn unbracket(value: &str) -> &str {
    value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value)
}

fn ipv4(value: &str, subject: &str) -> Result<String, ParseError> {
    value.parse::<Ipv4Addr>().map(|ip| ip.to_string()).map_err(|_| {
        let hint = if unbracket(value).parse::<Ipv6Addr>().is_ok() {
            " This is an IPv6 address; choose the ipv6 type."
        } else {
            ""
        };
        ParseError::new(format!(
            "{subject} must be four decimal numbers 0–255 separated by dots, without leading \
             zeros, such as 192.0.2.1.{hint}"
        ))
    })
}

fn ipv6(value: &str, subject: &str) -> Result<String, ParseError> {
    unbracket(value)
        .parse::<Ipv6Addr>()
        .map(|ip| ip.to_string())
        .map_err(|_| {
            let hint = if value.parse::<Ipv4Addr>().is_ok() {
                " This is an IPv4 address; choose the ipv4 type."
            } else {
                ""
            };
            ParseError::new(format!(
                "{subject} must be eight groups of up to four hex digits separated by colons, \
                 with :: standing for a run of zero groups, such as 2001:db8::1.{hint}"
            ))
        })
}

fn domain(value: &str, subject: &str) -> Result<String, ParseError> {
    if !value.is_ascii() {
        return Err(ParseError::new(format!(
            "{subject} must be in ASCII; write a label in another script in its punycode \
             xn-- form, such as xn--bcher-kva.example for bücher.example."
        )));
    }
    let lower = value.to_ascii_lowercase();
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    let count = name.len();
    if count > ObservableValue::MAX_DOMAIN {
        return Err(ParseError::new(format!(
            "{subject} has at most {} characters; this one has {count}.",
            ObservableValue::MAX_DOMAIN
        )));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err(ParseError::new(format!(
            "{subject} needs at least two labels separated by dots, such as example.com."
        )));
    }
    for label in &labels {
        if label.is_empty() {
            return Err(ParseError::new(format!(
                "{subject} cannot have an empty label: remove the extra dot."
            )));
        }
        if label.len() > ObservableValue::MAX_LABEL {
            return Err(ParseError::new(format!(
                "Each label of {} has at most {} characters; one here has {}.",
                lower_first(subject),
                ObservableValue::MAX_LABEL,
                label.len()
            )));
        }
        if let Some(bad) = label.chars().find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-')) {
            return Err(ParseError::new(format!(
                "{subject} can contain only letters a–z, digits 0–9, hyphens and dots; remove '{bad}'."
            )));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(ParseError::new(format!(
                "In {}, a label cannot start or end with a hyphen: '{label}'.",
                lower_first(subject)
            )));
        }
    }
    if labels.last().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ParseError::new(format!(
            "{subject} cannot end in an all-digit label; for an IP address choose the ipv4 type."
        )));
    }
    Ok(name.to_owned())
}

fn uri(value: &str, subject: &str) -> Result<String, ParseError> {
    let absolute = || {
        ParseError::new(format!(
            "{subject} must be an absolute URI with a scheme, such as https://example.com/."
        ))
    };
    let (scheme, rest) = value.split_once(':').ok_or_else(absolute)?;
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(absolute());
    }
    let scheme = scheme.to_ascii_lowercase();
    if rest.is_empty() {
        return Err(ParseError::new(format!(
            "{subject} needs something after '{scheme}:', such as https://example.com/."
        )));
    }
    let normalised = match rest.strip_prefix("//") {
        None => format!("{scheme}:{rest}"),
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            let (authority, tail) = after.split_at(end);
            let (userinfo, host_port) = match authority.rfind('@') {
                Some(at) => authority.split_at(at + 1),
                None => ("", authority),
            };
            let host_end = if host_port.starts_with('[') {
                host_port.find(']').map_or(host_port.len(), |i| i + 1)
            } else {
                host_port.find(':').unwrap_or(host_port.len())
            };
            let (host, port) = host_port.split_at(host_end);
            if host.is_empty() {
                return Err(ParseError::new(format!(
                    "{subject} needs a host after '{scheme}://', such as {scheme}://example.com/."
                )));
            }
            format!("{scheme}://{userinfo}{}{port}{tail}", host.to_lowercase())
        }
    };
    let count = normalised.chars().count();
    if count > ObservableValue::MAX_URI {
        return Err(ParseError::new(format!(
            "{subject} has at most {} characters; this one has {count}.",
            ObservableValue::MAX_URI
        )));
    }
    Ok(normalised)
}

fn email(value: &str, subject: &str) -> Result<String, ParseError> {
    Email::parse(value).map(String::from).map_err(|err| {
        let message = match err.0.strip_prefix("An email address") {
            Some(rest) => format!("{subject}{rest}"),
            None => format!(
                "{subject} must be an address such as name@example.org: {}",
                lower_first(&err.0)
            ),
        };
        ParseError::new(message)
    })
}

fn hash(value: &str, digits: usize, subject: &str) -> Result<String, ParseError> {
    let count = value.chars().count();
    if let Some(bad) = value.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(ParseError::new(format!(
            "{subject} must be exactly {digits} hex digits (0–9, a–f); this one has {count} \
             characters and '{bad}' is not a hex digit."
        )));
    }
    if count != digits {
        return Err(ParseError::new(format!(
            "{subject} must be exactly {digits} hex digits (0–9, a–f); this one has {count}."
        )));
    }
    Ok(value.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    use ObservableType::{Domain, Email, HashMd5, HashSha1, HashSha256, Ipv4, Ipv6, Uri};

    fn ok(kind: ObservableType, input: &str) -> Result<String, ParseError> {
        ObservableValue::parse(kind, input).map(|v| {
            assert_eq!(v.kind(), kind);
            v.as_str().to_owned()
        })
    }

    fn assert_valid(kind: ObservableType, cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            assert_eq!(ok(kind, input), Ok((*expected).to_owned()), "{kind} {input:?}");
        }
    }

    fn assert_invalid(kind: ObservableType, cases: &[(&str, &str)]) {
        for (input, needle) in cases {
            let err = ObservableValue::parse(kind, input).expect_err(input);
            assert!(err.0.contains(needle), "{kind} {input:?}: {err}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        #[test]
        fn every_value_of_a_types_published_shape_is_accepted(
            (kind, value) in proptest::sample::select(ObservableType::ALL.to_vec()).prop_flat_map(|kind| {
                let pattern = kind.shape().pattern.unwrap_or_else(|| "[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}".to_owned());
                (proptest::strategy::Just(kind), proptest::string::string_regex(&pattern).expect("a pattern"))
            })
        ) {
            let shape = kind.shape();
            proptest::prop_assume!(shape.max_length.is_none_or(|max| value.chars().count() <= max));
            let parsed = ObservableValue::parse(kind, &value);
            proptest::prop_assert!(parsed.is_ok(), "{} {:?}: {:?}", kind, value, parsed);
        }
    }

    #[test]
    fn each_types_example_is_accepted_and_matches_its_shape() {
        for kind in ObservableType::ALL {
            let shape = kind.shape();
            assert!(ObservableValue::parse(kind, shape.example).is_ok(), "{kind}");
            assert!(shape.max_length.is_none_or(|max| shape.example.len() <= max), "{kind}");
            if let Some(pattern) = &shape.pattern {
                let whole = regex::Regex::new(&format!("^(?:{pattern})$")).expect("a pattern");
                assert!(whole.is_match(shape.example), "{kind}: {pattern}");
            }
        }
    }

    #[test]
    fn observable_types_have_their_wire_names() {
        for (kind, wire) in [
            (Ipv4, "ipv4"),
            (Ipv6, "ipv6"),
            (Domain, "domain"),
            (Uri, "uri"),
            (Email, "email"),
            (HashMd5, "hash-md5"),
            (HashSha1, "hash-sha1"),
            (HashSha256, "hash-sha256"),
        ] {
            assert_eq!(kind.as_str(), wire);
            assert_eq!(kind.to_string(), wire);
            assert_eq!(ObservableType::parse(wire), Ok(kind), "{wire:?}");
            assert_eq!(
                ObservableType::ALL.iter().filter(|k| **k == kind).count(),
                1,
                "{wire:?}"
            );
        }
    }

    #[test]
    fn observable_types_serialize_as_their_wire_names() {
        for kind in ObservableType::ALL {
            let json = serde_json::to_string(&kind).expect("serialize");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<ObservableType>(&json).ok(), Some(kind), "{json}");
        }
        assert!(serde_json::from_str::<ObservableType>("\"HashSha256\"").is_err());
        assert!(serde_json::from_str::<ObservableType>("\"hash-sha-256\"").is_err());
    }

    #[test]
    fn unknown_observable_types_list_the_allowed_values() {
        for input in ["", "IPv4", "ip", "sha256", "hash_md5", " uri", "url"] {
            let err = ObservableType::parse(input).expect_err(input);
            assert_eq!(
                err.0,
                "Choose an observable type from the list: ipv4, ipv6, domain, uri, email, \
                 hash-md5, hash-sha1 or hash-sha256.",
                "{input:?}"
            );
        }
    }

    #[test]
    fn every_type_refuses_blank_input_and_inner_spaces_or_control_characters() {
        for kind in ObservableType::ALL {
            let cases = [
                ("", "Enter a"),
                ("  \t\n", "Enter a"),
                ("a b", "remove U+0020"),
                ("a\tb", "remove U+0009"),
                ("a\u{a0}b", "remove U+00A0"),
                ("a\u{0}", "remove U+0000"),
                ("a\u{7f}b", "remove U+007F"),
                ("a\u{202E}b", "remove U+202E"),
            ];
            for (input, needle) in cases {
                let err = ObservableValue::parse(kind, input).expect_err(input);
                assert!(err.0.contains(needle), "{kind} {input:?}: {err}");
                assert!(err.0.contains(kind.as_str()), "{kind} {input:?}: {err}");
            }
        }
        assert_invalid(Ipv4, &[("", "Enter an ipv4 value.")]);
        assert_invalid(Uri, &[("a b", "A uri value cannot contain spaces")]);
    }

    #[test]
    fn ipv4_values_are_canonical_dotted_quads() {
        assert_valid(
            Ipv4,
            &[
                ("192.0.2.1", "192.0.2.1"),
                ("  198.51.100.255 \n", "198.51.100.255"),
                ("0.0.0.0", "0.0.0.0"),
                ("255.255.255.255", "255.255.255.255"),
                ("10.0.0.10", "10.0.0.10"),
            ],
        );
    }

    #[test]
    fn invalid_ipv4_values_say_what_to_fix() {
        let rule = "An ipv4 value must be four decimal numbers 0–255 separated by dots";
        assert_invalid(
            Ipv4,
            &[
                ("01.2.3.4", rule),
                ("1.2.3.04", "without leading zeros"),
                ("256.1.1.1", rule),
                ("1.2.3", rule),
                ("1.2.3.4.5", rule),
                ("1.2.3.4.", rule),
                ("192.0.2.1/24", rule),
                ("192.0.2.1:80", rule),
                ("0x7f.0.0.1", rule),
                ("example.com", rule),
                ("١٩٢.٠.٢.١", rule),
                ("2001:db8::1", "choose the ipv6 type"),
                ("[2001:db8::1]", "choose the ipv6 type"),
            ],
        );
    }

    #[test]
    fn ipv6_values_are_compressed_lower_case() {
        assert_valid(
            Ipv6,
            &[
                ("2001:db8::1", "2001:db8::1"),
                ("2001:DB8::1", "2001:db8::1"),
                ("[2001:DB8::1]", "2001:db8::1"),
                (" [2001:db8::1] ", "2001:db8::1"),
                ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
                ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
                ("::", "::"),
                ("::1", "::1"),
                ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
                ("::FFFF:C000:0201", "::ffff:192.0.2.1"),
                ("fe80::1", "fe80::1"),
            ],
        );
    }

    #[test]
    fn invalid_ipv6_values_say_what_to_fix() {
        let rule = "An ipv6 value must be eight groups of up to four hex digits separated by colons";
        assert_invalid(
            Ipv6,
            &[
                ("2001:db8::1::2", rule),
                ("2001:db8:::1", rule),
                ("12345::1", rule),
                ("2001:db8::g", rule),
                ("1:2:3:4:5:6:7:8:9", rule),
                ("[2001:db8::1", rule),
                ("2001:db8::1]", rule),
                ("[[2001:db8::1]]", rule),
                ("fe80::1%eth0", rule),
                ("2001:db8::/32", rule),
                ("[2001:db8::1]:443", rule),
                ("192.0.2.1", "choose the ipv4 type"),
            ],
        );
    }

    #[test]
    fn domains_are_lower_case_without_a_trailing_dot() {
        let label63 = "a".repeat(63);
        let at_limit = format!("{label63}.{label63}.{label63}.{}", "b".repeat(61));
        assert_eq!(at_limit.len(), 253);
        let at_limit_dot = format!("{at_limit}.");
        let long_label = format!("{label63}.com");
        assert_valid(
            Domain,
            &[
                ("example.com", "example.com"),
                ("  WWW.Example.COM  ", "www.example.com"),
                ("example.com.", "example.com"),
                ("a.b", "a.b"),
                ("xn--bcher-kva.example", "xn--bcher-kva.example"),
                ("my-host-01.sub.example.org", "my-host-01.sub.example.org"),
                ("1.2.3.example", "1.2.3.example"),
                ("123.com", "123.com"),
                ("example.xn--p1ai", "example.xn--p1ai"),
                ("a.co1", "a.co1"),
                (&long_label, &long_label),
                (&at_limit, &at_limit),
                (&at_limit_dot, &at_limit),
            ],
        );
    }

    #[test]
    fn invalid_domains_say_what_to_fix() {
        let label63 = "a".repeat(63);
        let too_long = format!("{label63}.{label63}.{label63}.{}", "b".repeat(62));
        assert_eq!(too_long.len(), 254);
        let long_label = format!("{}.com", "a".repeat(64));
        assert_invalid(
            Domain,
            &[
                ("bücher.example", "punycode xn-- form"),
                ("EXAMPLE.cöm", "punycode xn-- form"),
                ("例え.jp", "punycode xn-- form"),
                (&too_long, "at most 253 characters; this one has 254"),
                (&long_label, "at most 63 characters; one here has 64"),
                ("localhost", "at least two labels"),
                ("com.", "at least two labels"),
                (".", "at least two labels"),
                ("example..com", "empty label"),
                (".example.com", "empty label"),
                ("example.com..", "empty label"),
                ("exa_mple.com", "remove '_'"),
                ("example.com/path", "remove '/'"),
                ("user@example.com", "remove '@'"),
                ("example.com:443", "remove ':'"),
                ("-example.com", "cannot start or end with a hyphen: '-example'"),
                ("example-.com", "cannot start or end with a hyphen: 'example-'"),
                ("example.-com", "hyphen"),
                ("1.2.3.4", "all-digit label"),
                ("example.123", "all-digit label"),
                ("01.2.3.4", "choose the ipv4 type"),
            ],
        );
    }

    #[test]
    fn uris_get_a_lower_case_scheme_and_host() {
        let at_limit = format!("https://example.com/{}", "p".repeat(2048 - 20));
        assert_eq!(at_limit.chars().count(), 2048);
        assert_valid(
            Uri,
            &[
                ("HTTPS://Example.COM/Path?Q=1", "https://example.com/Path?Q=1"),
                ("https://example.com", "https://example.com"),
                (" http://Example.com:8080/A#Frag ", "http://example.com:8080/A#Frag"),
                ("https://User:PW@Example.COM/", "https://User:PW@example.com/"),
                ("https://a@b@Example.COM/", "https://a@b@example.com/"),
                ("http://[2001:DB8::1]:8080/X", "http://[2001:db8::1]:8080/X"),
                ("HTTP://EXAMPLE.COM?Q=A", "http://example.com?Q=A"),
                ("hxxp://Evil.EXAMPLE/Payload", "hxxp://evil.example/Payload"),
                ("ftp://FILES.example.org/a/B.txt", "ftp://files.example.org/a/B.txt"),
                ("git+SSH://Git@Example.com/Repo", "git+ssh://Git@example.com/Repo"),
                ("MAILTO:Alice@Example.ORG", "mailto:Alice@Example.ORG"),
                ("urn:ISBN:0-486-27557-4", "urn:ISBN:0-486-27557-4"),
                ("data:text/plain,Hi", "data:text/plain,Hi"),
                ("https://Bücher.Example/Straße", "https://bücher.example/Straße"),
                ("https://example.com/%7Euser", "https://example.com/%7Euser"),
                (&at_limit, &at_limit),
            ],
        );
    }

    #[test]
    fn invalid_uris_say_what_to_fix() {
        let rule = "A uri value must be an absolute URI with a scheme, such as https://example.com/.";
        let too_long = format!("https://example.com/{}", "p".repeat(2048 - 19));
        assert_invalid(
            Uri,
            &[
                ("example.com/x", rule),
                ("/relative/path", rule),
                ("//example.com/", rule),
                (":no-scheme", rule),
                ("1http://example.com/", rule),
                ("ht_tp://example.com/", rule),
                ("ht tp://example.com/", "remove U+0020"),
                ("https://example.com/a b", "remove U+0020"),
                ("https://example.com/\u{7}", "remove U+0007"),
                ("https://exa\u{202E}mple.com/", "remove U+202E"),
                ("https:", "needs something after 'https:'"),
                ("https:///path", "needs a host after 'https://'"),
                ("HTTPS://", "needs a host after 'https://'"),
                ("https://user@/x", "needs a host"),
                ("https://:443/", "needs a host"),
                ("file:///etc/passwd", "needs a host after 'file://'"),
                (&too_long, "at most 2048 characters; this one has 2049"),
            ],
        );
    }

    #[test]
    fn emails_lower_the_domain_only() {
        assert_valid(
            Email,
            &[
                ("alice@example.org", "alice@example.org"),
                (" Alice.Smith+tag@Example.ORG ", "Alice.Smith+tag@example.org"),
                ("zoë@Bücher.de", "zoë@bücher.de"),
            ],
        );
    }

    #[test]
    fn invalid_emails_say_what_to_fix_as_an_email_value() {
        assert_invalid(
            Email,
            &[
                ("alice", "An email value needs an '@'"),
                (
                    "@example.org",
                    "An email value must be an address such as name@example.org: the part before '@'",
                ),
                (
                    "alice@localhost",
                    "An email value must be an address such as name@example.org: the part after '@'",
                ),
                (
                    &format!("a@{}.org", "b".repeat(250)),
                    "An email value has at most 254 characters",
                ),
                ("al ice@example.org", "An email value cannot contain spaces"),
            ],
        );
    }

    #[test]
    fn hashes_are_lower_case_hex_of_the_right_length() {
        let md5 = "D41D8CD98F00B204E9800998ECF8427E";
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        let sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        for (kind, input) in [(HashMd5, md5), (HashSha1, sha1), (HashSha256, sha256)] {
            let padded = format!("  {input}\n");
            let lower = input.to_ascii_lowercase();
            assert_valid(kind, &[(input, lower.as_str()), (padded.as_str(), lower.as_str())]);
        }
    }

    #[test]
    fn invalid_hashes_say_how_many_hex_digits_are_needed() {
        let md5 = "d41d8cd98f00b204e9800998ecf8427e";
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let short_md5 = &md5[..31];
        let long_md5 = format!("{md5}0");
        let g_md5 = format!("{}g", &md5[..31]);
        let unicode_md5 = format!("{}é", &md5[..31]);
        let prefixed = format!("0x{sha1}");
        let colons = "d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e";
        assert_invalid(
            HashMd5,
            &[
                (
                    short_md5,
                    "A hash-md5 value must be exactly 32 hex digits (0–9, a–f); this one has 31.",
                ),
                (&long_md5, "exactly 32 hex digits (0–9, a–f); this one has 33."),
                (sha1, "exactly 32 hex digits (0–9, a–f); this one has 40."),
                (&g_md5, "this one has 32 characters and 'g' is not a hex digit"),
                (&unicode_md5, "this one has 32 characters and 'é' is not a hex digit"),
                (colons, "':' is not a hex digit"),
            ],
        );
        assert_invalid(
            HashSha1,
            &[
                (
                    md5,
                    "A hash-sha1 value must be exactly 40 hex digits (0–9, a–f); this one has 32.",
                ),
                (&prefixed, "this one has 42 characters and 'x' is not a hex digit"),
            ],
        );
        assert_invalid(
            HashSha256,
            &[
                (
                    sha1,
                    "A hash-sha256 value must be exactly 64 hex digits (0–9, a–f); this one has 40.",
                ),
                (&sha256[..63], "this one has 63."),
                (&format!("{sha256}a"), "this one has 65."),
            ],
        );
    }

    #[test]
    fn observable_values_round_trip_through_serde_and_are_checked_on_the_way_in() {
        let value = ObservableValue::parse(Domain, "Example.COM.").expect("valid");
        assert_eq!(value.to_string(), "example.com");
        let json = serde_json::to_string(&value).expect("serialize");
        assert_eq!(json, r#"{"kind":"domain","value":"example.com"}"#);
        assert_eq!(serde_json::from_str::<ObservableValue>(&json).ok(), Some(value));

        let typed: ObservableValue = serde_json::from_str(r#"{"kind":"ipv6","value":"[2001:DB8::1]"}"#).expect("valid");
        assert_eq!((typed.kind(), typed.as_str()), (Ipv6, "2001:db8::1"));
        assert!(serde_json::from_str::<ObservableValue>(r#"{"kind":"ipv4","value":"01.2.3.4"}"#).is_err());
        assert!(serde_json::from_str::<ObservableValue>(r#"{"kind":"url","value":"https://a.b/"}"#).is_err());
    }
}
