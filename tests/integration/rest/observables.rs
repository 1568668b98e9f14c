//! Observables: stored and answered in canonical form, refused naming the value.

use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::OBSERVABLES;
use tessera_tests::{TestApp, assert_error};

#[tokio::test]
async fn observables_are_stored_and_answered_in_canonical_form() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    let md5 = "D41D8CD98F00B204E9800998ECF8427E";
    let sha1 = "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709";
    let sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    let padded_sha1 = format!("  {}\n", sha1.to_ascii_lowercase());
    let lower_md5 = md5.to_ascii_lowercase();
    let lower_sha256 = sha256.to_ascii_lowercase();
    let cases: Vec<(&str, &str, String)> = vec![
        ("ipv4", "192.0.2.1", "192.0.2.1".into()),
        ("ipv4", "  198.51.100.255 ", "198.51.100.255".into()),
        ("ipv6", "2001:DB8:0:0:0:0:0:1", "2001:db8::1".into()),
        ("ipv6", "[2001:db8::1]", "2001:db8::1".into()),
        ("ipv6", "::FFFF:C000:0201", "::ffff:192.0.2.1".into()),
        ("domain", "Example.COM.", "example.com".into()),
        ("domain", " WWW.Example.org ", "www.example.org".into()),
        ("domain", "xn--bcher-kva.Example", "xn--bcher-kva.example".into()),
        ("uri", "HTTPS://Example.COM/Path", "https://example.com/Path".into()),
        (
            "uri",
            "http://[2001:DB8::1]:8080/X?Q=1",
            "http://[2001:db8::1]:8080/X?Q=1".into(),
        ),
        (
            "uri",
            "hxxp://Evil.EXAMPLE/Payload",
            "hxxp://evil.example/Payload".into(),
        ),
        (
            "email",
            " Alice.Smith+tag@Example.ORG ",
            "Alice.Smith+tag@example.org".into(),
        ),
        ("email", "alice@example.org", "alice@example.org".into()),
        ("hash-md5", md5, md5.to_ascii_lowercase()),
        ("hash-md5", &lower_md5, lower_md5.clone()),
        ("hash-sha1", sha1, sha1.to_ascii_lowercase()),
        ("hash-sha1", &padded_sha1, sha1.to_ascii_lowercase()),
        ("hash-sha256", sha256, sha256.to_ascii_lowercase()),
        ("hash-sha256", &lower_sha256, lower_sha256.clone()),
    ];
    let mut created = Vec::new();
    for (kind, input, canonical) in &cases {
        let observable = token.create_observable(kind, input).await;
        assert_eq!(observable["type"], *kind, "{kind} {input:?}");
        assert_eq!(observable["value"], canonical.as_str(), "{kind} {input:?}");
        assert_eq!(observable["created_by"], "alice");
        let id = observable["id"].as_i64().expect("an id");
        let read = token.get(&format!("{OBSERVABLES}/{id}")).await;
        assert_eq!(read.json(), observable, "{kind} {input:?}");
        created.push(observable);
    }
    created.reverse();
    let response = token.get(&format!("{OBSERVABLES}?limit=100")).await;
    assert_eq!(response.json()["data"], json!(created), "newest first, as created");
}

#[tokio::test]
async fn invalid_observable_values_are_refused_naming_the_value() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    let md5 = "d41d8cd98f00b204e9800998ecf8427e";
    let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    let long_uri = format!("https://example.com/{}", "p".repeat(2048));
    let not_hex = "g".repeat(32);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("ipv4", "01.2.3.4", "leading zeros"),
        ("ipv4", "256.1.1.1", "0–255"),
        ("ipv4", "2001:db8::1", "choose the ipv6 type"),
        ("ipv6", "2001:db8::1::2", "eight groups"),
        ("ipv6", "192.0.2.1", "choose the ipv4 type"),
        ("domain", "localhost", "at least two labels"),
        ("domain", "bücher.example", "punycode"),
        ("domain", "exa_mple.com", "remove '_'"),
        ("uri", "example.com/x", "absolute URI"),
        ("uri", "https://", "needs a host"),
        ("uri", &long_uri, "at most 2048"),
        ("email", "alice", "'@'"),
        ("email", "alice@localhost", "after '@'"),
        ("hash-md5", &md5[..31], "exactly 32 hex digits"),
        ("hash-md5", &not_hex, "'g' is not a hex digit"),
        ("hash-sha1", md5, "exactly 40 hex digits"),
        ("hash-sha256", sha1, "exactly 64 hex digits"),
        ("hash-sha256", "", "Enter a hash-sha256 value"),
        ("ipv4", "192.0.2.1 10.0.0.1", "U+0020"),
        ("domain", "exa\u{0}mple.com", "U+0000"),
    ];
    for (kind, input, needle) in cases {
        let response = token.post(OBSERVABLES, json!({"type": kind, "value": input})).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(detail.starts_with("value: "), "{kind} {input:?}: {detail}");
        assert!(detail.contains(needle), "{kind} {input:?}: {detail}");
    }
    for kind in ["url", "IPv4", "hash_md5", "sha256", ""] {
        let response = token
            .post(OBSERVABLES, json!({"type": kind, "value": "192.0.2.1"}))
            .await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(detail.starts_with("type: "), "{kind:?}: {detail}");
        assert!(detail.contains("hash-sha256"), "{kind:?}: {detail}");
    }
    assert_eq!(token.list(OBSERVABLES).await, Vec::<Value>::new());
}
