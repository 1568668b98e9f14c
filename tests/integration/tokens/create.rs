//! Creating a token: its secret shown once, then listed without it, newest first.

use app::server_fns::tokens::ListTokens;
use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::backend::PlainToken;
use tessera_tests::{TestApp, create_token};

fn secret_of(created: &Value) -> &str {
    created["secret"].as_str().expect("a secret")
}

#[tokio::test]
async fn a_created_token_is_shown_once_then_listed_newest_first_without_its_secret_until_deleted() {
    let (app, alice) = TestApp::with_user("alice").await;

    let response = alice.call(create_token("CI pipeline", "never", "")).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let first = response.json();
    let first_secret = secret_of(&first);
    assert!(first_secret.starts_with("tsr_"), "{first_secret}");
    assert_eq!(first_secret.len(), 53);
    assert!(PlainToken::parse(first_secret).is_ok());
    assert_eq!(first["token"]["name"], "CI pipeline");
    assert_eq!(first["token"]["created_at"], "2026-01-01T00:00:00Z");
    assert_eq!(first["token"]["expires_at"], json!(null));
    assert_eq!(first["token"]["last_used_at"], json!(null));
    assert_eq!(first["token"]["expired"], json!(false));

    app.clock.advance(Duration::minutes(1));
    let second = alice.create_token("nightly sync", "never", "").await;
    let second_secret = secret_of(&second);
    assert_ne!(first_secret, second_secret);
    assert_ne!(first["token"]["id"], second["token"]["id"]);

    let listed = alice.call(ListTokens {}).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    assert_eq!(listed.header("cache-control"), Some("no-store"));
    for needle in [first_secret, second_secret, "tsr_", "secret"] {
        assert!(!listed.text().contains(needle), "the list shows {needle:?}");
    }
    let tokens = listed.json();
    assert_eq!(tokens, json!([second["token"], first["token"]]), "newest first");
    for token in tokens.as_array().expect("a list") {
        let mut keys: Vec<&str> = token
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "access",
                "created_at",
                "description",
                "entities",
                "expired",
                "expires_at",
                "expiry_level",
                "hint",
                "id",
                "last_used_agent",
                "last_used_at",
                "last_used_ip",
                "name",
                "observables",
                "old_value_until",
                "source",
                "source_available",
                "usage"
            ]
        );
    }
    assert_eq!(alice.active_tokens().await, 2);

    let deleted = alice.delete_token(&first["token"]["id"]).await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());
    assert_eq!(deleted.header("cache-control"), Some("no-store"));
    assert_eq!(alice.tokens().await, vec![second["token"].clone()]);
    assert_eq!(alice.active_tokens().await, 1);
    let again = alice.delete_token(&first["token"]["id"]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.text());
}

// The store keeps milliseconds; the create response must say exactly what lists say later.
#[tokio::test]
async fn the_created_token_is_exactly_the_token_the_list_shows() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.clock.advance(Duration::nanoseconds(123_456_789)); // as precise as the system clock

    let created = alice
        .create_token("CI pipeline", "exact", "2026-06-15T12:30:45.987654321Z")
        .await;

    assert_eq!(alice.tokens().await, vec![created["token"].clone()]);
}
