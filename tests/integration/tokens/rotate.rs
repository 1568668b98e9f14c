//! Rotate in the profile: a new value for one of your tokens, the old one working for the
//! grace period chosen; refused for an expired, deleted or someone else's token, and for a
//! choice outside the lists.

use app::server_fns::CreatedToken;
use app::server_fns::tokens::RotateToken;
use http::StatusCode;
use serde_json::Value;
use tessera_tests::api::ME;
use tessera_tests::{TestApp, assert_invalid, at};

fn rotate(token: &Value, grace: &str, expiry: &str, expires_at: &str) -> RotateToken {
    RotateToken {
        id: token["id"].as_i64().expect("an id"),
        grace: grace.to_owned(),
        expiry: expiry.to_owned(),
        expires_at: expires_at.to_owned(),
    }
}

#[tokio::test]
async fn rotating_in_the_profile_gives_a_new_value_and_keeps_the_old_one_for_the_grace_chosen() {
    let (app, alice) = TestApp::with_user("alice").await;
    let created = alice.create_token("SIEM export", "12", "").await;
    let old = alice.with_secret(created["secret"].as_str().expect("a secret"));
    app.clock.set(at("2026-01-01T06:00:00Z"));
    // Six hours after signing in, rotating asks for the password again.
    alice.confirm_password_ok().await;

    let rotated: CreatedToken = alice.call_ok(rotate(&created["token"], "24h", "same", "")).await;

    assert_eq!(rotated.token.id, created["token"]["id"].as_i64().expect("an id"));
    assert_eq!(rotated.token.name, "SIEM export");
    assert_eq!(rotated.old_value_until, Some(at("2026-01-02T06:00:00Z")));
    assert_eq!(rotated.token.old_value_until, Some(at("2026-01-02T06:00:00Z")));
    assert_eq!(rotated.token.expires_at, Some(at("2027-01-01T06:00:00Z")));
    assert_eq!(
        rotated.token.hint.as_deref(),
        Some(&rotated.secret[rotated.secret.len() - 4..])
    );
    let new = alice.with_secret(&rotated.secret);
    assert_eq!(new.get(ME).await.status, StatusCode::OK);
    assert_eq!(old.get(ME).await.status, StatusCode::OK);
    assert!(old.get(ME).await.header("sunset").is_some());

    // A chosen expiry, and a grace of none: the value before stops at once.
    let again: CreatedToken = alice.call_ok(rotate(&created["token"], "0", "2", "")).await;
    assert_eq!(again.token.expires_at, Some(at("2026-03-01T06:00:00Z")));
    assert_eq!(again.token.old_value_until, None, "no grace: nothing to show");
    assert_eq!(new.get(ME).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(old.get(ME).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(alice.with_secret(&again.secret).get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn rotation_refuses_bad_choices_and_tokens_it_cannot_rotate() {
    let (app, alice) = TestApp::with_user("alice").await;
    let token = alice.create_token("nightly", "2", "").await["token"].clone();
    for (grace, expiry, expires_at, field) in [
        ("2h", "same", "", "grace"),
        ("", "same", "", "grace"),
        ("1h", "5", "", "expiry"),
        ("1h", "exact", "2025-12-31T00:00:00Z", "expiry"),
        ("1h", "exact", "2028-06-01T00:00:00Z", "expiry"),
    ] {
        let response = alice.call(rotate(&token, grace, expiry, expires_at)).await;
        let message = assert_invalid(&response, field);
        assert!(!message.is_empty(), "{grace} {expiry}");
    }

    // Someone else's token, and a deleted one: not found, alike.
    let bob = app.signed_in("bob", &["Threat Research"]).await;
    let response = bob.call(rotate(&token, "1h", "same", "")).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.text());
    let deleted = alice.create_token("gone", "never", "").await["token"].clone();
    assert_eq!(alice.delete_token(&deleted["id"]).await.status, StatusCode::OK);
    let response = alice.call(rotate(&deleted, "1h", "same", "")).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.text());

    // An expired token: nothing to rotate.
    app.clock.set(at("2026-03-01T00:00:00Z"));
    alice.sign_in_as("alice").await;
    let response = alice.call(rotate(&token, "1h", "same", "")).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    assert!(response.text().contains("expired"), "{}", response.text());
}
