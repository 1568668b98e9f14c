//! The JSON Schema `format`s the document uses, checked (RFC 3339, 791, 4291, 5321, 1123,
//! 3986).

use std::net::{Ipv4Addr, Ipv6Addr};

/// Whether `text` is of the JSON Schema `format`; an unknown format is an error.
pub fn has_format(format: &str, text: &str) -> Result<bool, String> {
    Ok(match format {
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "ipv4" => text.parse::<Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<Ipv6Addr>().is_ok(),
        "hostname" => is_hostname(text),
        "email" => text.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && local
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !"()<>[]:;@\\,\"".contains(c))
                && is_hostname(domain)
        }),
        "uri" => is_uri(text),
        other => return Err(format!("the validator does not know the format {other:?}")),
    })
}

fn is_hostname(text: &str) -> bool {
    text.len() <= 253
        && text.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// An absolute URI: a scheme, a colon, then only characters RFC 3986 allows (a `%` starting
/// two hex digits), with at most one `#`.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let bytes = rest.as_bytes();
    let chars_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)
            || (b == b'%'
                && bytes
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)))
    });
    scheme_ok && chars_ok && rest.matches('#').count() <= 1
}

mod tests {
    use super::*;

    #[test]
    fn formats_accept_and_refuse() {
        for (format, good, bad) in [
            ("date-time", "2026-11-28T12:00:00Z", "2026-11-28 12:00"),
            ("ipv4", "192.0.2.1", "192.0.2.01"),
            ("ipv6", "2001:db8::1", "2001:db8::g"),
            ("hostname", "example.com", "-example.com"),
            ("email", "name@example.org", "name@@example.org"),
            ("uri", "https://example.com/a?b#c", "https://example.com/a b"),
        ] {
            assert_eq!(has_format(format, good), Ok(true), "{format} {good}");
            assert_eq!(has_format(format, bad), Ok(false), "{format} {bad}");
        }
        assert!(has_format("color", "red").is_err());
    }
}
