//! What the store keeps of a token: its digest under the server's pepper and its metadata,
//! never the secret (which no log line carries either); revoked rows stay for audit.

use app::server_fns::tokens::ListTokens;
use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_tests::backend::{Pepper, PlainToken};
use tessera_tests::logs::LogCapture;
use tessera_tests::{TestApp, at, bytes_contain, create_token, start_time};

#[tokio::test]
async fn deactivating_a_user_revokes_all_their_tokens() {
    let (app, alice) = TestApp::with_user("alice").await;
    let alice_id = app.user_id("alice").await;
    let secrets = [
        alice.call_ok(create_token("CI pipeline", "never", "")).await.secret,
        alice.call_ok(create_token("nightly sync", "12", "")).await.secret,
    ];
    app.clock.advance(Duration::minutes(5));

    app.deactivate("alice").await;

    for secret in &secrets {
        let record = app.stored_token(secret).await.expect("the row stays for audit");
        assert_eq!(record.user_id, alice_id);
        assert_eq!(record.revoked_at, Some(app.clock.now()));
    }
    assert_eq!(app.active_tokens_in_store("alice").await, 0);
    assert_eq!(app.listed_tokens_in_store("alice").await, 0);
    assert_eq!(alice.call(ListTokens {}).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_store_keys_a_token_on_its_digest_under_the_servers_pepper() {
    let (app, alice) = TestApp::with_user("alice").await;
    let created = alice.create_token("CI pipeline", "2", "").await;
    let secret = created["secret"].as_str().expect("a secret");

    let record = app
        .stored_token(secret)
        .await
        .expect("the token is stored under its digest");

    assert_eq!(json!(record.id), created["token"]["id"]);
    assert_eq!(record.user_id, app.user_id("alice").await);
    assert_eq!(record.name, "CI pipeline");
    assert_eq!(record.created_at, start_time());
    assert_eq!(record.expires_at, Some(at("2026-03-01T00:00:00Z")));
    assert_eq!(record.revoked_at, None);
    assert_eq!(app.stored_token_under(&Pepper::generate(), secret).await, None);
    assert_eq!(app.stored_token(PlainToken::generate().expose()).await, None);
}

#[tokio::test(flavor = "current_thread")]
async fn token_secrets_are_neither_stored_nor_logged() {
    let capture = LogCapture::start();

    let (app, alice) = TestApp::with_user("alice").await;
    let mut secrets = Vec::new();
    for (name, expiry, exact) in [
        ("CI pipeline", "never", ""),
        ("nightly sync", "2", ""),
        ("exact", "exact", "2026-06-15T12:30:00Z"),
        ("to delete", "24", ""),
    ] {
        secrets.push(alice.call_ok(create_token(name, expiry, exact)).await.secret);
    }
    let refused = [
        create_token("CI pipeline", "never", ""),
        create_token("bad\u{202E}", "never", ""),
        create_token("past", "exact", "2020-01-01T00:00:00Z"),
    ];
    let expected = [
        StatusCode::CONFLICT,
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::UNPROCESSABLE_ENTITY,
    ];
    for (args, status) in refused.into_iter().zip(expected) {
        assert_eq!(alice.call(args).await.status, status);
    }
    let listed = alice.tokens().await;
    let doomed = listed.iter().find(|t| t["name"] == "to delete").expect("listed");
    assert_eq!(alice.delete_token(&doomed["id"]).await.status, StatusCode::OK);
    assert_eq!(alice.delete_token(&json!(999_999)).await.status, StatusCode::NOT_FOUND);
    alice.tokens().await;
    let digest = app.digest(&secrets[0]);
    let logs = capture.finish();

    let bytes = app.database_bytes().await;
    let text = String::from_utf8_lossy(&logs);
    assert!(bytes_contain(&bytes, &digest), "the check reads the right file");
    assert!(text.contains("created an API token"), "the capture works:\n{text}");
    assert!(text.contains("revoked an API token"), "{text}");
    for secret in &secrets {
        for needle in [secret.as_str(), &secret[4..], &secret[4..47]] {
            assert!(!bytes_contain(&bytes, needle), "a token is in the database file");
            assert!(!bytes_contain(&logs, needle), "a token is in the logs:\n{text}");
        }
    }
}
