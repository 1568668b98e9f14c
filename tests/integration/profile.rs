//! Editing one's own profile: display name and email.

use http::StatusCode;
use serde_json::json;
use tessera_tests::{TestApp, assert_invalid, update_profile};

#[tokio::test]
async fn a_signed_in_user_can_change_display_name_and_email() {
    let (_app, alice) = TestApp::with_user("alice").await;

    let response = alice
        .call(update_profile("  Alice Ångström ", "Alice@Example.ORG"))
        .await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["display_name"], "Alice Ångström");
    assert_eq!(response.json()["email"], "Alice@example.org");
    let me = alice.current_user().await;
    assert_eq!(me["display_name"], "Alice Ångström");

    let cleared = alice.call(update_profile("Alice", "  ")).await;
    assert_eq!(cleared.json()["email"], json!(null));
}

#[tokio::test]
async fn invalid_profile_values_are_refused_with_the_field_and_the_rule() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let long = "x".repeat(65);
    for (name, email, field, needle) in [
        ("", "", "display_name", "Enter a display name"),
        (long.as_str(), "", "display_name", "at most 64"),
        ("Al\u{7}ice", "", "display_name", "U+0007"),
        ("Alice\u{202E}", "", "display_name", "U+202E"),
        ("Alice", "alice", "email", "'@'"),
        ("Alice", "alice@localhost", "email", "domain"),
    ] {
        let response = alice.call(update_profile(name, email)).await;
        let message = assert_invalid(&response, field);
        assert!(message.contains(needle), "{name:?} {email:?}: {message}");
    }
    assert_eq!(alice.current_user().await["display_name"], "alice display");
}

#[tokio::test]
async fn updating_a_profile_needs_a_session() {
    let app = TestApp::new().await;
    let response = app.anonymous().call(update_profile("X", "")).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.json(), json!("Unauthenticated"));
}

#[tokio::test]
async fn markup_in_a_display_name_is_stored_as_text() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let name = "<img src=x onerror=alert(1)>";
    let response = alice.call(update_profile(name, "")).await;
    assert_eq!(response.json()["display_name"], name);
}
