//! A verified token, its owner and the owner's sources come from memory: a change on this
//! instance applies at once, a change elsewhere within the cache's bound.

use http::StatusCode;
use serde_json::Value;
use tessera_tests::backend::REVALIDATE_AFTER;
use tessera_tests::{Client, TestApp, update_profile};

async fn me(token: &Client) -> Value {
    let response = token.get("/api/v1/me").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

#[tokio::test]
async fn me_answers_from_memory_and_a_source_chosen_elsewhere_shows_within_the_bound() {
    let a = TestApp::new().await;
    let (alice, token) = a
        .signed_in_with_token("alice", &["Threat Research", "SOC Analysts"])
        .await;
    let b = a.second_instance().await;
    let token_on_b = token.on(&b);
    assert_eq!(me(&token_on_b).await["effective_source"]["name"], "Threat Research");
    let lookups = b.token_lookups();

    // Chosen through instance A: B keeps its answer until the bound, without asking the
    // database again.
    let soc = alice.group_id("SOC Analysts").await.to_string();
    assert_eq!(alice.set_default_source(&soc).await.status, StatusCode::OK);
    assert_eq!(me(&token_on_b).await["effective_source"]["name"], "Threat Research");
    assert_eq!(b.token_lookups(), lookups);

    b.clock.advance(REVALIDATE_AFTER);
    assert_eq!(me(&token_on_b).await["effective_source"]["name"], "SOC Analysts");
    assert_eq!(me(&token).await["effective_source"]["name"], "SOC Analysts");
}

#[tokio::test]
async fn a_change_on_this_instance_applies_to_cached_tokens_at_once() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    assert_eq!(me(&token).await["groups"].as_array().map(Vec::len), Some(1));

    app.create_user("bob", &["SOC Analysts"]).await;
    app.add_to_group("alice", "SOC Analysts").await;
    assert_eq!(me(&token).await["groups"].as_array().map(Vec::len), Some(2));

    let renamed = alice.call(update_profile("Alice Renamed", "")).await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(me(&token).await["display_name"], "Alice Renamed");

    app.remove_from_group("alice", "Threat Research").await;
    assert_eq!(me(&token).await["effective_source"]["name"], "SOC Analysts");
}
