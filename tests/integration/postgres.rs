//! What only makes sense with a PostgreSQL server: the two schemas side by side, and two
//! server instances sharing one database (and hearing of each other's revocations at once). Each test says so and passes without checking
//! anything when `TEST_DATABASE_URL` is not set; the README test command then reports the
//! PostgreSQL half as skipped, and CI always sets it.

use std::collections::BTreeSet;

use app::backend::store::LISTENER_NAME;
use app::server_fns::session::SignOut;
use app::server_fns::tokens::DeleteToken;
use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_test_db::server_or_skip;
use tessera_tests::api::ME;
use tessera_tests::backend::fresh_sqlite_schema;
use tessera_tests::{Client, TestApp};

use crate::admin_cli::run;

/// How soon another instance must refuse a token revoked elsewhere (LISTEN/NOTIFY).
const INSTANT: std::time::Duration = std::time::Duration::from_millis(100);

/// What is in `a` and not in `b`.
fn only<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Vec<T> {
    a.difference(b).cloned().collect()
}

#[tokio::test]
async fn the_sqlite_and_postgresql_schemas_are_the_same() {
    let Some(server) = server_or_skip("schema comparison") else {
        return;
    };
    let pg = TestApp::on_postgres(&server).await;

    let (left, right) = (fresh_sqlite_schema().await, pg.schema().await);

    assert!(left.columns.len() > 40, "the schema was read: {:?}", left.columns);
    assert_eq!(only(&left.columns, &right.columns), vec![], "columns only in SQLite");
    assert_eq!(
        only(&right.columns, &left.columns),
        vec![],
        "columns only in PostgreSQL"
    );
    assert!(
        left.indexes.iter().any(|i| i.partial && i.unique),
        "the partial unique index was read"
    );
    assert_eq!(only(&left.indexes, &right.indexes), vec![], "indexes only in SQLite");
    assert_eq!(
        only(&right.indexes, &left.indexes),
        vec![],
        "indexes only in PostgreSQL"
    );
}

/// Two instances on one fresh PostgreSQL database, and alice signed in on the first; `None`
/// (and `test` reported skipped) without a PostgreSQL server.
async fn two_instances(test: &str) -> Option<(TestApp, TestApp, Client)> {
    let server = server_or_skip(test)?;
    let a = TestApp::on_postgres(&server).await;
    let alice = a.signed_in("alice", &["Threat Research"]).await;
    let b = a.second_instance().await;
    Some((a, b, alice))
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_the_other() {
    let Some((_a, b, alice)) = two_instances("two instances: sessions").await else {
        return;
    };
    let alice_on_b = alice.on(&b);

    assert_eq!(alice_on_b.current_user().await["username"], "alice");
    assert_eq!(alice_on_b.call(SignOut {}).await.status, StatusCode::OK);
    assert_eq!(alice.current_user().await, json!(null), "signed out everywhere");
}

#[tokio::test]
async fn a_token_deleted_on_one_instance_is_refused_on_the_other_within_100_ms() {
    let Some((_a, b, alice)) = two_instances("two instances: tokens").await else {
        return;
    };
    let token = alice.new_token("shared").await;
    let token_on_b = token.on(&b);
    let id = token_on_b.token_id().await;
    // B's cache is warm: it answers without asking the database again.
    let lookups = b.token_lookups();
    assert_eq!(token_on_b.get(ME).await.status, StatusCode::OK);
    assert_eq!(b.token_lookups(), lookups, "answered from B's cache");

    assert_eq!(alice.call(DeleteToken { id }).await.status, StatusCode::OK);
    assert_eq!(token.get(ME).await.status, StatusCode::UNAUTHORIZED);
    // B's clock stands still: only the announcement can make B look again.
    token_on_b.refused_within(INSTANT).await;
}

#[tokio::test]
async fn a_deactivation_by_the_admin_cli_is_refused_on_every_instance_within_100_ms() {
    let Some((a, b, alice)) = two_instances("two instances: deactivation").await else {
        return;
    };
    let token = alice.new_token("shared").await;
    let token_on_b = token.on(&b);
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    assert_eq!(token_on_b.get(ME).await.status, StatusCode::OK);

    // The admin command runs with its own state, as `tessera user deactivate` does.
    run(&a, &["user", "deactivate", "alice"], "").await.expect("deactivate");
    let (on_a, on_b) = tokio::join!(token.refused_within(INSTANT), token_on_b.refused_within(INSTANT));
    eprintln!("deactivation seen after {on_a:?} on A, {on_b:?} on B");
}

#[tokio::test]
async fn a_lost_listener_connection_clears_the_cache_and_listening_resumes() {
    let Some((a, b, alice)) = two_instances("two instances: listener reconnects").await else {
        return;
    };
    let first = alice.new_token("first").await.on(&b);
    let second = alice.new_token("second").await;
    let second_on_b = second.on(&b);
    assert_eq!(first.get(ME).await.status, StatusCode::OK);
    assert_eq!(second_on_b.get(ME).await.status, StatusCode::OK);
    assert_eq!(b.state.verifier.len(), 2);

    // Both instances' listeners lose their connections; what was said meanwhile is lost.
    let database = sqlx::PgPool::connect(&b.database_url()).await.expect("connect");
    let terminated: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = $1",
    )
    .bind(LISTENER_NAME)
    .fetch_all(&database)
    .await
    .expect("terminate the listeners");
    assert_eq!(terminated, [true, true], "one listener per instance");

    // B reconnects and, having missed whatever was announced, forgets everything it cached.
    tokio::time::timeout(std::time::Duration::from_secs(5), b.changes_connected(2))
        .await
        .expect("B listens again");
    a.changes_connected(2).await;
    assert!(
        b.state.verifier.is_empty(),
        "B kept {} cached tokens",
        b.state.verifier.len()
    );

    // Listening again: a deletion on A reaches B's warm cache within the bound.
    assert_eq!(second_on_b.get(ME).await.status, StatusCode::OK);
    let id = second.token_id().await;
    assert_eq!(alice.call(DeleteToken { id }).await.status, StatusCode::OK);
    second_on_b.refused_within(INSTANT).await;
    assert_eq!(first.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn last_used_writes_from_both_instances_keep_the_latest_use() {
    let Some((a, b, alice)) = two_instances("two instances: last used").await else {
        return;
    };
    let first = alice.new_token("first").await;
    let second = alice.new_token("second").await;

    // A sees the later use of `first`; B an earlier one. B flushes last: the later use stays.
    b.clock.advance(Duration::minutes(1));
    a.clock.advance(Duration::minutes(2));
    assert_eq!(first.on(&b).get(ME).await.status, StatusCode::OK);
    assert_eq!(first.get(ME).await.status, StatusCode::OK);
    assert_eq!(second.on(&b).get(ME).await.status, StatusCode::OK);
    a.flush_last_used().await;
    b.flush_last_used().await;

    let listed = alice.tokens().await;
    let last_used = |name: &str| listed.iter().find(|t| t["name"] == name).expect("token")["last_used_at"].clone();
    assert_eq!(
        last_used("first"),
        json!((a.clock.now()).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    );
    assert_eq!(
        last_used("second"),
        json!((b.clock.now()).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    );
}
