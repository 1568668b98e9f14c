//! When a token expires: calendar months from now, never, or an exact instant; and what an
//! expired token looks like in the list.

use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::{TestApp, assert_invalid, at, create_token, names};

#[tokio::test]
async fn interval_expiry_adds_calendar_months_to_now_and_never_means_null() {
    let (app, alice) = TestApp::with_user("alice").await;
    for (name, expiry, expected) in [
        ("two months", "2", json!("2026-03-01T00:00:00Z")),
        ("six months", "6", json!("2026-07-01T00:00:00Z")),
        ("a year", "12", json!("2027-01-01T00:00:00Z")),
        ("two years", "24", json!("2028-01-01T00:00:00Z")),
        ("forever", "never", json!(null)),
        ("default", "", json!(null)),
    ] {
        let created = alice.create_token(name, expiry, "").await;
        assert_eq!(created["token"]["expires_at"], expected, "{expiry:?}");
        assert_eq!(created["token"]["expired"], json!(false), "{expiry:?}");
    }

    // A day that the target month lacks becomes that month's last day.
    app.clock.set(at("2026-08-31T00:00:00Z"));
    alice.sign_in_as("alice").await; // the week-long session has ended
    let created = alice.create_token("from the end of August", "6", "").await;
    assert_eq!(created["token"]["expires_at"], "2027-02-28T00:00:00Z");

    let listed = alice.tokens().await;
    assert_eq!(listed[0]["expires_at"], "2027-02-28T00:00:00Z");
    assert_eq!(listed[0]["created_at"], "2026-08-31T00:00:00Z");
}

#[tokio::test]
async fn an_exact_expiry_in_the_future_is_kept_as_chosen() {
    let (_app, alice) = TestApp::with_user("alice").await;
    for (name, exact, expected) in [
        ("in June", "2026-06-15T12:30:00Z", "2026-06-15T12:30:00Z"),
        ("with an offset", "2026-06-15T14:31:00+02:00", "2026-06-15T12:31:00Z"),
        ("in a minute", "2026-01-01T00:01:00Z", "2026-01-01T00:01:00Z"),
        ("the latest allowed", "2028-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
    ] {
        let created = alice.create_token(name, "exact", exact).await;
        assert_eq!(created["token"]["expires_at"], expected, "{exact}");
    }
    let listed = alice.tokens().await;
    assert_eq!(
        listed
            .iter()
            .map(|t| t["expires_at"].as_str().expect("a date"))
            .collect::<Vec<_>>(),
        [
            "2028-01-01T00:00:00Z",
            "2026-01-01T00:01:00Z",
            "2026-06-15T12:31:00Z",
            "2026-06-15T12:30:00Z"
        ]
    );
}

#[tokio::test]
async fn invalid_expiry_choices_are_refused_with_the_field_and_the_rule() {
    let (_app, alice) = TestApp::with_user("alice").await;
    for (expiry, exact, needle) in [
        ("exact", "2025-12-31T23:59:00Z", "in the future"),
        ("exact", "2026-01-01T00:00:00Z", "in the future"),
        ("exact", "2028-01-01T00:01:00Z", "at most 24 months"),
        ("exact", "2030-01-01T00:00:00Z", "at most 24 months"),
        ("exact", "", "date and a time"),
        ("exact", "2026-06-15", "date and a time"),
        ("7", "", "2, 6, 12 or 24"),
        ("3", "", "2, 6, 12 or 24"),
        ("forever", "", "2, 6, 12 or 24"),
    ] {
        let response = alice.call(create_token("CI pipeline", expiry, exact)).await;
        let message = assert_invalid(&response, "expiry");
        assert!(message.contains(needle), "{expiry:?} {exact:?}: {message}");
    }
    assert_eq!(alice.tokens().await, Vec::<Value>::new());
    assert_eq!(alice.active_tokens().await, 0);
}

#[tokio::test]
async fn an_expired_token_stays_listed_marked_expired_and_no_longer_counts_as_active() {
    let (app, alice) = TestApp::with_user("alice").await;
    let short = alice.create_token("short-lived", "2", "").await;
    alice.create_token("long-lived", "never", "").await;
    let expires_at = at(short["token"]["expires_at"].as_str().expect("a date"));

    app.clock.set(expires_at - Duration::seconds(1));
    alice.sign_in_as("alice").await;
    let listed = alice.tokens().await;
    assert_eq!(names(&listed), ["long-lived", "short-lived"]);
    assert_eq!(listed[1]["expired"], json!(false));
    assert_eq!(alice.active_tokens().await, 2);

    app.clock.advance(Duration::seconds(1));

    let listed = alice.tokens().await;
    assert_eq!(names(&listed), ["long-lived", "short-lived"]);
    assert_eq!(listed[0]["expired"], json!(false));
    assert_eq!(listed[1]["expired"], json!(true));
    assert_eq!(listed[1]["id"], short["token"]["id"]);
    assert_eq!(alice.active_tokens().await, 1);
    // An expired token can still be deleted from the list.
    assert_eq!(alice.delete_token(&short["token"]["id"]).await.status, StatusCode::OK);
    assert_eq!(names(&alice.tokens().await), ["long-lived"]);
}

#[tokio::test]
async fn a_coming_expiry_is_pointed_out_soon_at_30_days_and_urgently_at_7() {
    let (app, alice) = TestApp::with_user("alice").await;
    alice.create_token("Quarterly", "2", "").await;
    alice.create_token("Forever", "never", "").await;
    let level = |tokens: &[serde_json::Value]| {
        tokens.iter().find(|t| t["name"] == "Quarterly").expect("listed")["expiry_level"].clone()
    };

    // Jan 1 + 2 months is Mar 1: 59 days to go.
    assert_eq!(level(&alice.tokens().await), serde_json::json!(null));
    assert_eq!(alice.profile().await.expiring_tokens, Vec::new());
    // Sessions end after 7 days: sign in again after each jump.
    app.clock.advance(chrono::Duration::days(30));
    let alice = app.sign_in_as("alice").await;
    assert_eq!(level(&alice.tokens().await), serde_json::json!("Soon"));
    assert_eq!(alice.profile().await.expiring_tokens, Vec::new());

    app.clock.advance(chrono::Duration::days(25));
    let alice = app.sign_in_as("alice").await;
    assert_eq!(level(&alice.tokens().await), serde_json::json!({"Urgent": {"days": 4}}));
    let expiring = alice.profile().await.expiring_tokens;
    assert_eq!(expiring.len(), 1, "{expiring:?}");
    assert_eq!((expiring[0].name.as_str(), expiring[0].days_left), ("Quarterly", 4));

    // Once it has expired it is no longer "expiring".
    app.clock.advance(chrono::Duration::days(5));
    let alice = app.sign_in_as("alice").await;
    assert_eq!(level(&alice.tokens().await), serde_json::json!(null));
    assert_eq!(alice.profile().await.expiring_tokens, Vec::new());
}
