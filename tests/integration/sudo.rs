//! "Sudo mode": creating or rotating a token asks for the password again when it was last
//! entered (at sign-in, changing it, or confirming it) more than an hour ago.

use app::server_fns::profile::ChangePassword;
use app::server_fns::tokens::RotateToken;
use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::ME;
use tessera_tests::{PASSWORD, TestApp, TestResponse, assert_invalid, create_token};

fn rotate(token: &Value) -> RotateToken {
    RotateToken {
        id: token["id"].as_i64().expect("an id"),
        grace: "0".to_owned(),
        expiry: "same".to_owned(),
        expires_at: String::new(),
    }
}

fn assert_reauth_required(response: &TestResponse) {
    assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.text());
    assert_eq!(response.json(), json!("ReauthRequired"));
}

#[tokio::test]
async fn right_after_sign_in_tokens_are_created_and_rotated_without_a_second_prompt() {
    let (_app, alice) = TestApp::with_user("alice").await;

    let created = alice.create_token("nightly export", "never", "").await;
    let rotated = alice.call(rotate(&created["token"])).await;

    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text());
}

#[tokio::test]
async fn an_hour_after_the_password_was_entered_creating_and_rotating_ask_for_it_again() {
    let (app, alice) = TestApp::with_user("alice").await;
    let created = alice.create_token("nightly export", "never", "").await;
    let script = alice.with_secret(created["secret"].as_str().expect("a secret"));

    // An hour exactly still counts; a minute more does not.
    app.clock.advance(Duration::minutes(60));
    alice.create_token("within the hour", "never", "").await;
    app.clock.advance(Duration::minutes(1));

    assert_reauth_required(&alice.call(create_token("too late", "never", "")).await);
    assert_reauth_required(&alice.call(rotate(&created["token"])).await);
    let names: Vec<Value> = alice.tokens().await.iter().map(|t| t["name"].clone()).collect();
    assert_eq!(
        names,
        [json!("within the hour"), json!("nightly export")],
        "nothing created"
    );
    assert_eq!(script.get(ME).await.status, StatusCode::OK, "nothing rotated");
    // What is not sensitive goes on: the session itself, listing, deleting.
    assert_eq!(alice.current_user().await["username"], "alice");
    let deleted = alice.delete_token(&created["token"]["id"]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());
}

#[tokio::test]
async fn confirming_the_password_lets_the_same_request_through_for_another_hour() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.clock.advance(Duration::minutes(61));
    assert_reauth_required(&alice.call(create_token("SIEM feed", "12", "")).await);

    alice.confirm_password_ok().await;

    let created = alice.create_token("SIEM feed", "12", "").await;
    assert_eq!(created["token"]["name"], "SIEM feed");
    app.clock.advance(Duration::minutes(59));
    let rotated = alice.call(rotate(&created["token"])).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text());
    app.clock.advance(Duration::minutes(2));
    assert_reauth_required(&alice.call(rotate(&created["token"])).await);
}

#[tokio::test]
async fn a_wrong_password_is_refused_at_its_field_and_counts_towards_the_sign_in_throttle() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.clock.advance(Duration::minutes(61));

    let empty = assert_invalid(&alice.confirm_password("").await, "password");
    assert!(empty.contains("Enter your password"), "{empty}");
    let mut throttled = None;
    for _ in 0..10 {
        let response = alice.confirm_password("a wrong guess at it").await;
        if response.status == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(response);
            break;
        }
        let message = assert_invalid(&response, "password");
        assert_eq!(message, "The password is not correct.");
    }
    let throttled = throttled.expect("guessing is throttled");
    assert!(
        throttled.json()["Throttled"]["retry_after_secs"].as_u64().is_some(),
        "{}",
        throttled.text()
    );

    // The guesses count for the account: the right password waits now, here and at sign-in.
    let right = alice.confirm_password(PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{}", right.text());
    let sign_in = app.anonymous().sign_in("alice", PASSWORD).await;
    assert_eq!(sign_in.status, StatusCode::TOO_MANY_REQUESTS, "{}", sign_in.text());
    assert_reauth_required(&alice.call(create_token("still asked", "never", "")).await);
}

#[tokio::test]
async fn confirming_a_password_needs_a_signed_in_session() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;

    let response = app.anonymous().confirm_password(PASSWORD).await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{}", response.text());
    assert_eq!(response.json(), json!("Unauthenticated"));
}

#[tokio::test]
async fn changing_the_password_counts_as_entering_it() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.clock.advance(Duration::hours(2));
    let new = "a much longer new passphrase";

    // Changing it checks the current password itself, so it asks for nothing more.
    let changed = alice
        .call(ChangePassword {
            current_password: PASSWORD.to_owned().into(),
            new_password: new.to_owned().into(),
            confirm_password: new.to_owned().into(),
        })
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());

    alice.create_token("after the change", "never", "").await;
    app.clock.advance(Duration::minutes(61));
    assert_reauth_required(&alice.call(create_token("an hour later", "never", "")).await);
    let confirmed = alice.confirm_password(new).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
}
