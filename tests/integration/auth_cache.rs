//! A verified token, its owner and the owner's sources come from memory: a change on this
//! instance applies at once, a change elsewhere as soon as this instance hears of it.

use app::backend::AppState;
use app::backend::invalidation::{self, Invalidation};
use app::backend::store::{Backend, TokenId};
use http::StatusCode;
use serde_json::Value;
use tessera_tests::api::ME;
use tessera_tests::{Client, TestApp, update_profile};

use crate::admin_cli::run;

/// Another process's state on `app`'s database, as the admin CLI opens it.
async fn a_cli_state(app: &TestApp) -> AppState {
    let store = app::backend::Store::connect(&app.database_url()).await.expect("open");
    AppState::new(store, app.clock.clone(), app.state.pepper.clone())
}

async fn me(token: &Client) -> Value {
    let response = token.get("/api/v1/me").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

/// How soon a running instance applies a change made elsewhere: 100 ms on PostgreSQL, a
/// poll of the change counter on SQLite.
const ANNOUNCED_WITHIN: std::time::Duration = std::time::Duration::from_secs(1);

#[tokio::test]
async fn me_answers_from_memory_and_a_source_chosen_elsewhere_shows_within_a_second() {
    let a = TestApp::new().await;
    let (alice, token) = a
        .signed_in_with_token("alice", &["Threat Research", "SOC Analysts"])
        .await;
    let b = a.second_instance().await;
    let token_on_b = token.on(&b);
    assert_eq!(me(&token_on_b).await["effective_source"]["name"], "Threat Research");
    let lookups = b.token_lookups();
    assert_eq!(me(&token_on_b).await["effective_source"]["name"], "Threat Research");
    assert_eq!(b.token_lookups(), lookups, "answered from memory");

    // Chosen through instance A: B hears of it and asks the database again, with its clock
    // standing still (its cache bound never passes).
    let soc = alice.group_id("SOC Analysts").await.to_string();
    assert_eq!(alice.set_default_source(&soc).await.status, StatusCode::OK);
    let chosen = std::time::Instant::now();
    while me(&token_on_b).await["effective_source"]["name"] != "SOC Analysts" {
        assert!(chosen.elapsed() < ANNOUNCED_WITHIN, "B still answers the old source");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(me(&token).await["effective_source"]["name"], "SOC Analysts");
}

#[tokio::test]
async fn a_deactivation_by_the_admin_cli_is_seen_by_running_instances_within_a_second() {
    let a = TestApp::new().await;
    let (_alice, token) = a.signed_in_with_token("alice", &["Threat Research"]).await;
    let b = a.second_instance().await;
    let token_on_b = token.on(&b);
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    assert_eq!(token_on_b.get(ME).await.status, StatusCode::OK);

    // `tessera user deactivate` in its own process, with its own state and no cache.
    run(&a, &["user", "deactivate", "alice"], "").await.expect("deactivate");
    let (on_a, on_b) = tokio::join!(
        token.refused_within(ANNOUNCED_WITHIN),
        token_on_b.refused_within(ANNOUNCED_WITHIN)
    );
    eprintln!("deactivation seen after {on_a:?} on A, {on_b:?} on B");
}

#[tokio::test]
async fn the_change_counter_is_polled_in_one_indexed_query_and_announcements_survive_pruning() {
    let app = TestApp::new().await;
    if app.state.store.backend() != Backend::Sqlite {
        eprintln!("change counter: skipped, PostgreSQL announces changes with NOTIFY");
        return;
    }
    let (_alice, token) = app.signed_in_with_token("alice", &["Threat Research"]).await;
    let id = token.token_id().await;
    let store = &app.state.store;
    // A deletion elsewhere that was announced, then every row pruned: the counter keeps
    // growing, so a poller that saw the old rows still sees the next one.
    let seen = store.latest_change().await.expect("latest");
    store.prune_changes(seen).await.expect("prune");
    assert!(app.revoke_in_store("alice", id).await);
    assert_eq!(token.get(ME).await.status, StatusCode::OK, "still cached");
    let other = a_cli_state(&app).await;
    invalidation::publish(&other, Invalidation::TokenRevoked(TokenId(id))).await;
    let rows = store.changes_after(seen).await.expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].seq > seen);
    token.refused_within(ANNOUNCED_WITHIN).await;

    let pool = sqlx::SqlitePool::connect(&app.database_url()).await.expect("open");
    let plan: Vec<String> =
        sqlx::query("EXPLAIN QUERY PLAN SELECT seq, kind, subject_id FROM changes WHERE seq > 1 ORDER BY seq")
            .fetch_all(&pool)
            .await
            .expect("plan")
            .iter()
            .map(|row| sqlx::Row::get(row, "detail"))
            .collect();
    assert_eq!(plan, ["SEARCH changes USING INTEGER PRIMARY KEY (rowid>?)"]);
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
