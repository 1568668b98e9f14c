//! Where the sign-in page may send a person after signing in.

use std::fmt::Write as _;

use http::HeaderValue;

/// The page to open after signing in: `next` when it is a path on this site, else My profile.
/// Anything a browser could read as another origin is refused: `//host`, backslashes (read as
/// slashes), and control characters such as a tab, which URL parsing drops (`/\t/host`).
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/login")
                && !n.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            n.to_owned()
        }
        _ => "/profile".to_owned(),
    }
}

/// `path` (from `safe_next`) as a `Location` header: every byte outside printable ASCII
/// percent-encoded, so a path with letters beyond ASCII goes out as a browser would send it.
pub(super) fn location(path: &str) -> HeaderValue {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    HeaderValue::from_str(&encoded).unwrap_or_else(|_| HeaderValue::from_static("/profile"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for (next, expected) in [
            (Some("/profile/edit"), "/profile/edit"),
            (Some("/profile?tab=tokens"), "/profile?tab=tokens"),
            (None, "/profile"),
            (Some(""), "/profile"),
            (Some("https://evil.example"), "/profile"),
            (Some("//evil.example"), "/profile"),
            (Some("/\\evil.example"), "/profile"),
            (Some("/\t/evil.example"), "/profile"),
            (Some("/\n/evil.example"), "/profile"),
            (Some("/ /evil.example"), "/profile"),
            (Some("/x\\..\\..\\evil"), "/profile"),
            (Some("/login?next=/profile"), "/profile"),
            (Some("javascript:alert(1)"), "/profile"),
        ] {
            assert_eq!(safe_next(next), expected, "{next:?}");
        }
    }

    #[test]
    fn the_location_header_percent_encodes_what_is_not_ascii() {
        assert_eq!(location("/profile/edit?tab=tokens"), "/profile/edit?tab=tokens");
        assert_eq!(location("/admin/users/jürgen"), "/admin/users/j%C3%BCrgen");
        assert_eq!(location("/a%20b"), "/a%20b");
    }
}
