//! An address inside the client (path, query, fragment) and its query's parameters, read the
//! way the browser's `URLSearchParams` reads them. Plain functions, tested natively.

/// A same-origin address, split into its parts (those of the browser's `location`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// `/admin/users`: as written, not decoded.
    pub path: String,
    /// `?q=dana&page=2`, or empty.
    pub search: String,
    /// `#tokens`, or empty.
    pub hash: String,
}

impl Address {
    /// The parts of a link's `href`, when it is a path on this origin (`/…`, but not `//host…`).
    pub fn parse(href: &str) -> Option<Self> {
        if !href.starts_with('/') || href.starts_with("//") {
            return None;
        }
        let (rest, hash) = href.find('#').map_or((href, ""), |at| href.split_at(at));
        let (path, search) = rest.find('?').map_or((rest, ""), |at| rest.split_at(at));
        Some(Self {
            path: path.to_owned(),
            search: search.to_owned(),
            hash: hash.to_owned(),
        })
    }

    /// The address as a link writes it.
    pub fn href(&self) -> String {
        format!("{}{}{}", self.path, self.search, self.hash)
    }
}

/// The parameters of a query string, in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Reads `?a=1&b=two%20words` (the leading `?` is optional). `+` is a space, `%XX` a byte,
    /// a parameter without `=` has the empty value, and empty pieces are skipped.
    pub fn parse(search: &str) -> Self {
        let search = search.strip_prefix('?').unwrap_or(search);
        Self(
            search
                .split('&')
                .filter(|piece| !piece.is_empty())
                .map(|piece| {
                    let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
                    (decode_form(name), decode_form(value))
                })
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, value)| value.clone())
    }
}

/// A query's piece: `+` is a space, then percent-decoding.
fn decode_form(piece: &str) -> String {
    percent_decode(&piece.replace('+', " "))
}

/// Decodes `%XX` escapes. An escape that is not two hex digits stays as written; bytes that
/// are not UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{Address, Query, percent_decode};

    #[test]
    fn a_link_is_split_into_path_query_and_fragment() {
        let address = Address::parse("/data?kind=entities&token=7#list").expect("a path");
        assert_eq!(address.path, "/data");
        assert_eq!(address.search, "?kind=entities&token=7");
        assert_eq!(address.hash, "#list");
        assert_eq!(address.href(), "/data?kind=entities&token=7#list");
        let fragment_only = Address::parse("/profile/edit#tokens?no").expect("a path");
        assert_eq!(
            (fragment_only.search.as_str(), fragment_only.hash.as_str()),
            ("", "#tokens?no")
        );
        let bare = Address::parse("/profile").expect("a path");
        assert_eq!(
            (bare.path.as_str(), bare.search.as_str(), bare.hash.as_str()),
            ("/profile", "", "")
        );
    }

    #[test]
    fn only_paths_on_this_origin_are_addresses() {
        for href in [
            "",
            "profile",
            "#main",
            "?q=1",
            "//evil.example/profile",
            "https://x.example/",
        ] {
            assert_eq!(Address::parse(href), None, "{href}");
        }
    }

    #[test]
    fn a_query_reads_as_the_browser_reads_it() {
        let query = Query::parse("?q=dana+b%C3%A1r&page=2&flag&&q=second&empty=");
        assert_eq!(query.get("q").as_deref(), Some("dana bár"));
        assert_eq!(query.get("page").as_deref(), Some("2"));
        assert_eq!(query.get("flag").as_deref(), Some(""));
        assert_eq!(query.get("empty").as_deref(), Some(""));
        assert_eq!(query.get("missing"), None);
        assert_eq!(Query::parse("rotate=12").get("rotate").as_deref(), Some("12"));
        assert_eq!(Query::parse(""), Query::default());
    }

    #[test]
    fn broken_escapes_stay_as_written() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%+1%-1"), "%+1%-1");
        assert_eq!(percent_decode("a%2Fb%2fc"), "a/b/c");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
    }
}
