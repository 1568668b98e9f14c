//! Database URLs carry passwords: they are shown, logged and debugged only with the password
//! masked.

use std::fmt;
use std::str::FromStr;

/// A database URL (`sqlite://…` or `postgres://…`) whose `Display` and `Debug` mask the
/// password; `expose` gives the URL itself, to connect with.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The URL with its password, for connecting only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(s))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", redact(&self.0))
    }
}

/// A database URL without its password, for messages. Works on mistyped URLs too: whatever
/// stands between the last `/` before the `@` and the `@` is taken as `user:password`.
pub fn redact(url: &str) -> String {
    let Some(at) = url.rfind('@') else {
        return url.to_owned();
    };
    let start = url[..at].rfind('/').map_or(0, |slash| slash + 1);
    match url[start..at].split_once(':') {
        Some((user, _)) => format!("{}{user}:***{}", &url[..start], &url[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_kept_out_of_messages() {
        for (url, shown) in [
            (
                "postgres://app:s3cret@db:5432/tessera",
                "postgres://app:***@db:5432/tessera",
            ),
            ("postgres://app@db/tessera", "postgres://app@db/tessera"),
            ("sqlite://data/tessera.db", "sqlite://data/tessera.db"),
            ("postgress//app:s3cret@db/tessera", "postgress//app:***@db/tessera"),
            ("app:s3cret@db/tessera", "app:***@db/tessera"),
            ("postgres://app:p@ss@db/tessera", "postgres://app:***@db/tessera"),
        ] {
            assert_eq!(redact(url), shown, "{url}");
            let typed = DatabaseUrl::new(url);
            assert!(!format!("{typed} {typed:?}").contains("s3cret"));
            assert_eq!(typed.expose(), url);
        }
    }
}
