//! The active-token limit: at most 500 per user, kept under concurrent creation; expired and
//! deleted tokens free a place. And the creation rate: at most 30 a minute per user.

use chrono::Duration;
use http::StatusCode;
use serde_json::Value;
use tessera_tests::backend::MAX_ACTIVE_TOKENS;
use tessera_tests::{TestApp, at, create_token};

#[tokio::test]
async fn a_user_has_at_most_500_active_tokens_and_expired_or_deleted_ones_free_a_place() {
    let (app, alice) = TestApp::with_user("alice").await;
    let soon = "2026-01-01T01:00:00Z";
    let expiring = alice.create_token("expiring 1", "exact", soon).await;
    alice.create_token("expiring 2", "exact", soon).await;
    let mut last = Value::Null;
    for i in 3..=500 {
        // One every 3 seconds stays within 30 creations a minute.
        app.clock.advance(Duration::seconds(3));
        last = alice.create_token(&format!("token {i}"), "never", "").await;
    }
    assert_eq!(alice.active_tokens().await, 500);
    let one_too_many = || alice.call(create_token("one too many", "never", ""));

    let refused = one_too_many().await;

    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    let error = &refused.json()["Conflict"];
    assert!(error["message"].as_str().is_some_and(|m| m.contains("500")), "{error}");
    assert_eq!(alice.tokens().await.len(), 500);

    app.clock.set(at(soon));
    assert_eq!(alice.active_tokens().await, 498);
    alice.create_token("after expiry 1", "never", "").await;
    alice.create_token("after expiry 2", "never", "").await;
    assert_eq!(one_too_many().await.status, StatusCode::CONFLICT);
    assert_eq!(alice.tokens().await.len(), 502, "expired tokens stay listed");

    assert_eq!(alice.delete_token(&last["token"]["id"]).await.status, StatusCode::OK);
    alice.create_token("after deleting", "never", "").await;
    assert_eq!(one_too_many().await.status, StatusCode::CONFLICT);
    assert_eq!(alice.active_tokens().await, 500);
    // Deleting an expired token frees nothing.
    assert_eq!(
        alice.delete_token(&expiring["token"]["id"]).await.status,
        StatusCode::OK
    );
    assert_eq!(one_too_many().await.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creations_cannot_overshoot_the_limit() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.insert_tokens_in_store("alice", MAX_ACTIVE_TOKENS - 3).await;

    let attempts = (0..12).map(|i| {
        let alice = &alice;
        async move {
            let name = format!("racer {i}");
            alice.call(create_token(&name, "never", "")).await.status
        }
    });
    let statuses = futures::future::join_all(attempts).await;

    let created = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(created, 3, "{statuses:?}");
    assert_eq!(app.active_tokens_in_store("alice").await, MAX_ACTIVE_TOKENS);
}

#[tokio::test]
async fn a_user_creates_at_most_30_tokens_a_minute_and_is_told_when_to_retry() {
    let (app, alice) = TestApp::with_user("alice").await;
    for i in 0..30 {
        alice.create_token(&format!("burst {i}"), "never", "").await;
    }

    let refused = alice.call(create_token("one too fast", "never", "")).await;

    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.text());
    assert_eq!(refused.header("retry-after"), Some("60"));
    let message = refused.json()["TooFast"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("too fast") && message.contains("60 s"), "{message}");
    assert_eq!(alice.tokens().await.len(), 30, "nothing was created");
    // Deleting does not make room: creations are what count.
    let first = alice.tokens().await[0]["id"].clone();
    assert_eq!(alice.delete_token(&first).await.status, StatusCode::OK);
    let again = alice.call(create_token("still too fast", "never", "")).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(Duration::seconds(61));
    alice.create_token("a minute later", "never", "").await;
}
