//! A verified token, its owner and the owner's sources come from memory: a change on this
//! instance applies at once, a change elsewhere within the cache's bound.

use std::sync::atomic::Ordering;

use app::backend::tokens::verify::REVALIDATE_AFTER;
use http::{Method, StatusCode};
use serde_json::Value;
use tessera_tests::{PASSWORD, TestApp};

async fn me(app: &TestApp, token: &str) -> Value {
    let response = app.api(Method::GET, "/api/v1/me", Some(token), None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

#[tokio::test]
async fn me_answers_from_memory_and_a_source_chosen_elsewhere_shows_within_the_bound() {
    let a = TestApp::new().await;
    a.create_user("alice", &["Threat Research", "SOC Analysts"]).await;
    assert_eq!(a.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    let token = a.create_token("pipeline").await;
    let b = a.second_instance().await;
    assert_eq!(me(&b, &token).await["effective_source"]["name"], "Threat Research");
    let lookups = b.state.store.stats().token_lookups.load(Ordering::Relaxed);

    // Chosen through instance A: A's own cache would be evicted; B keeps its answer until the
    // bound, without asking the database again.
    let soc = a.rpc("current_user", &[]).await.json()["groups"][1]["id"].to_string();
    assert_eq!(
        a.rpc("set_default_source", &[("group_id", &soc)]).await.status,
        StatusCode::OK
    );
    assert_eq!(me(&b, &token).await["effective_source"]["name"], "Threat Research");
    assert_eq!(b.state.store.stats().token_lookups.load(Ordering::Relaxed), lookups);

    b.clock.advance(REVALIDATE_AFTER);
    assert_eq!(me(&b, &token).await["effective_source"]["name"], "SOC Analysts");
    assert_eq!(me(&a, &token).await["effective_source"]["name"], "SOC Analysts");
}

#[tokio::test]
async fn a_change_on_this_instance_applies_to_cached_tokens_at_once() {
    let app = TestApp::new().await;
    let alice = app.create_user("alice", &["Threat Research"]).await;
    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    let token = app.create_token("pipeline").await;
    assert_eq!(me(&app, &token).await["groups"].as_array().map(Vec::len), Some(1));

    let mut out = Vec::new();
    server::admin::create_group(&app.state, "SOC Analysts", &mut out)
        .await
        .expect("group");
    server::admin::add_to_group(&app.state, "alice", "SOC Analysts", &mut out)
        .await
        .expect("join");
    assert_eq!(me(&app, &token).await["groups"].as_array().map(Vec::len), Some(2));

    let renamed = app
        .rpc("update_profile", &[("display_name", "Alice Renamed"), ("email", "")])
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(me(&app, &token).await["display_name"], "Alice Renamed");

    server::admin::remove_from_group(&app.state, "alice", "Threat Research", &mut out)
        .await
        .expect("leave");
    assert_eq!(me(&app, &token).await["effective_source"]["name"], "SOC Analysts");
    assert_eq!(alice.username, "alice");
}
