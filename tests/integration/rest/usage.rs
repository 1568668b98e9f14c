//! Requests per token per day: counted in memory (accepted and refused), listed at once,
//! written in the coalesced batches of "last used", kept 90 days.

use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::{ENTITIES, ME};
use tessera_tests::{TestApp, at};

fn usage_of<'a>(tokens: &'a [Value], name: &str) -> &'a Value {
    &tokens
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))["usage"]
}

#[tokio::test]
async fn requests_and_refusals_are_counted_per_day_and_listed_before_and_after_they_are_written() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let reader = alice.new_token_with_access("reader", "read").await;
    let short = alice.create_token("short", "exact", "2026-01-01T12:00:00Z").await;
    let short = alice.with_secret(short["secret"].as_str().expect("a secret"));
    for _ in 0..3 {
        assert_eq!(token.get(ME).await.status, StatusCode::OK);
    }
    assert_eq!(reader.get(ME).await.status, StatusCode::OK);
    // Refused: a read-only token writing.
    let refused = reader.post(ENTITIES, json!({"type": "report", "title": "no"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(short.get(ME).await.status, StatusCode::OK);
    app.clock.set(at("2026-01-01T12:00:00Z"));
    // Refused: an expired token, twice.
    assert_eq!(short.get(ME).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(short.get(ME).await.status, StatusCode::UNAUTHORIZED);

    // Listed at once, from memory.
    let listed = alice.tokens().await;
    let day = json!([{"day": "2026-01-01", "requests": 3, "refused": 0}]);
    assert_eq!(usage_of(&listed, "alice's token"), &day);
    assert_eq!(
        usage_of(&listed, "reader"),
        &json!([{"day": "2026-01-01", "requests": 1, "refused": 1}])
    );
    assert_eq!(
        usage_of(&listed, "short"),
        &json!([{"day": "2026-01-01", "requests": 1, "refused": 2}])
    );

    // Written, then counted on: the same numbers, added up across days.
    app.flush_last_used().await;
    let written = alice.tokens().await;
    for name in ["alice's token", "reader", "short"] {
        assert_eq!(usage_of(&written, name), usage_of(&listed, name), "{name}");
    }
    app.clock.set(at("2026-01-02T08:00:00Z"));
    alice.sign_in_as("alice").await;
    token.get(ME).await;
    app.flush_last_used().await;
    token.get(ME).await;
    assert_eq!(
        usage_of(&alice.tokens().await, "alice's token"),
        &json!([
            {"day": "2026-01-01", "requests": 3, "refused": 0},
            {"day": "2026-01-02", "requests": 2, "refused": 0}
        ])
    );

    // The list covers the last 30 days; the store keeps 90.
    app.clock.set(at("2026-01-31T00:00:00Z"));
    alice.sign_in_as("alice").await;
    assert_eq!(
        usage_of(&alice.tokens().await, "alice's token"),
        &json!([{"day": "2026-01-02", "requests": 2, "refused": 0}])
    );
    app.flush_last_used().await;
    assert_eq!(
        app.stored_usage_days("alice").await,
        4,
        "three tokens on day one, one on day two"
    );
    app.clock.advance(Duration::days(62));
    app.flush_last_used().await;
    assert_eq!(app.stored_usage_days("alice").await, 0, "older than 90 days");
}

#[tokio::test]
async fn a_list_made_while_a_flush_writes_counts_each_request_once() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    for round in 1..=20 {
        assert_eq!(token.get(ME).await.status, StatusCode::OK);
        // The flush takes the count out of memory first, then writes it; the list runs
        // while it writes.
        let (_, listed) = tokio::join!(app.flush_last_used(), alice.tokens());
        assert_eq!(
            usage_of(&listed, "alice's token")[0]["requests"],
            round,
            "round {round}: {listed:?}"
        );
    }
}

#[tokio::test]
async fn a_flush_that_fails_writes_no_count_and_keeps_every_count_for_the_next() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    // A store failure half-way through the batch: tokens are never deleted from the store,
    // so a count for an id it does not have breaks the foreign key.
    let missing = app::backend::store::TokenId(i64::MAX);
    app.state.last_used.count(missing, app.clock.now(), false);
    let flushed = app.state.last_used.flush_all(&app.state.store, app.clock.now()).await;
    assert!(flushed.is_err(), "the broken row fails the flush");
    assert_eq!(
        app.stored_usage_days("alice").await,
        0,
        "nothing of the batch was written"
    );
    let listed = alice.tokens().await;
    assert_eq!(
        usage_of(&listed, "alice's token")[0]["requests"],
        1,
        "the count is kept in memory, neither lost nor doubled: {listed:?}"
    );
    let unwritten = app.state.last_used.unwritten(&[missing]);
    assert_eq!(unwritten.len(), 1, "the broken row is kept to try again");
}
