//! The `Authorization` header parser. Each line of the input is one header value (a value
//! can never hold a line break, so nothing is lost); lines that are not valid header values
//! are skipped, as `http` would never hand them to us.
//!
//! Checked: it never panics; no header is `Missing`; two or more are `Malformed`; a
//! `Bearer` token is non-empty, has no whitespace and ends the one value sent.

#![no_main]

use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;
use server::rest::bearer::Credentials;

fuzz_target!(|data: &[u8]| {
    let values: Vec<HeaderValue> = data
        .split(|&b| b == b'\n')
        .filter_map(|line| HeaderValue::from_bytes(line).ok())
        .collect();
    let mut headers = HeaderMap::new();
    // Headers that are not Authorization must not count.
    headers.insert(header::USER_AGENT, HeaderValue::from_static("fuzz"));
    for value in &values {
        headers.append(header::AUTHORIZATION, value.clone());
    }

    let credentials = Credentials::from_headers(&headers);
    match (values.len(), &credentials) {
        (0, Credentials::Missing) => {}
        (0, other) => panic!("no Authorization header, yet {other:?}"),
        (1, _) => {}
        (_, Credentials::Malformed) => {}
        (n, other) => panic!("{n} Authorization headers, yet {other:?}"),
    }
    if let Credentials::Bearer(token) = credentials {
        assert!(!token.is_empty(), "empty bearer token");
        assert!(!token.contains(char::is_whitespace), "whitespace in {token:?}");
        let sent = values[0].to_str().expect("a token comes from a readable value");
        assert!(sent.trim_end().ends_with(token), "{token:?} does not end {sent:?}");
        assert!(
            sent.trim_start()
                .get(..6)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer")),
            "{sent:?} does not start with the Bearer scheme"
        );
    }
});
