//! What only makes sense with a PostgreSQL server: the two schemas side by side, and two
//! server instances sharing one database. Each test says so and passes without checking
//! anything when `TEST_DATABASE_URL` is not set; the README test command then reports the
//! PostgreSQL half as skipped, and CI always sets it.

use std::collections::BTreeSet;

use app::server_fns::session::SignOut;
use app::server_fns::tokens::DeleteToken;
use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_test_db::server_or_skip;
use tessera_tests::api::ME;
use tessera_tests::backend::fresh_sqlite_schema;
use tessera_tests::{Client, TestApp};

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

/// Two instances on one fresh PostgreSQL database, and alice signed in on the first.
async fn two_instances(server: &str) -> (TestApp, TestApp, Client) {
    let a = TestApp::on_postgres(server).await;
    let alice = a.signed_in("alice", &["Threat Research"]).await;
    let b = a.second_instance().await;
    (a, b, alice)
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_the_other() {
    let Some(server) = server_or_skip("two instances: sessions") else {
        return;
    };
    let (_a, b, alice) = two_instances(&server).await;
    let alice_on_b = alice.on(&b);

    assert_eq!(alice_on_b.current_user().await["username"], "alice");
    assert_eq!(alice_on_b.call(SignOut {}).await.status, StatusCode::OK);
    assert_eq!(alice.current_user().await, json!(null), "signed out everywhere");
}

#[tokio::test]
async fn a_token_created_on_one_instance_works_on_the_other_until_deleted_there() {
    let Some(server) = server_or_skip("two instances: tokens") else {
        return;
    };
    let (_a, b, alice) = two_instances(&server).await;
    let token = alice.new_token("shared").await;
    let token_on_b = token.on(&b);

    let me = token_on_b.get(ME).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    let id = me.json()["token"]["id"].as_i64().expect("id");

    assert_eq!(alice.call(DeleteToken { id }).await.status, StatusCode::OK);
    assert_eq!(token.get(ME).await.status, StatusCode::UNAUTHORIZED);
    // B verified the token moments ago; it may answer from its cache within the documented bound…
    b.clock.advance(Duration::seconds(4));
    let within = token_on_b.get(ME).await.status;
    assert!(within == StatusCode::OK || within == StatusCode::UNAUTHORIZED);
    // …and refuses it once the bound has passed.
    b.clock.advance(Duration::seconds(1));
    assert_eq!(token_on_b.get(ME).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn last_used_writes_from_both_instances_keep_the_latest_use() {
    let Some(server) = server_or_skip("two instances: last used") else {
        return;
    };
    let (a, b, alice) = two_instances(&server).await;
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
