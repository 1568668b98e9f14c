//! Where the sign-in page may send a person after signing in.

/// The page to open after signing in: `next` when it is a path on this site, else My profile.
/// Anything a browser could read as another origin is refused: `//host`, backslashes (read as
/// slashes), and control characters such as a tab, which URL parsing drops (`/\t/host`).
pub fn safe_next(next: Option<&str>) -> String {
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
}
