//! What only makes sense with a PostgreSQL server: the two schemas side by side, and two
//! server instances sharing one database. Each test says so and passes without checking
//! anything when `TEST_DATABASE_URL` is not set; the README test command then reports the
//! PostgreSQL half as skipped, and CI always sets it.

use app::backend::Store;
use app::backend::store::{Column, Index};
use chrono::Duration;
use http::{Method, StatusCode};
use serde_json::json;
use tessera_test_db::server_or_skip;
use tessera_tests::{PASSWORD, TestApp};

#[tokio::test]
async fn the_sqlite_and_postgresql_schemas_are_the_same() {
    let Some(server) = server_or_skip("schema comparison") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Store::connect(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .expect("sqlite");
    let pg = TestApp::on_postgres(&server).await;

    let (left, right) = (
        sqlite.schema().await.expect("sqlite schema"),
        pg.state.store.schema().await.expect("pg schema"),
    );

    let only = |a: &std::collections::BTreeSet<Column>, b: &std::collections::BTreeSet<Column>| -> Vec<Column> {
        a.difference(b).cloned().collect()
    };
    assert!(left.columns.len() > 40, "the schema was read: {:?}", left.columns);
    assert_eq!(only(&left.columns, &right.columns), vec![], "columns only in SQLite");
    assert_eq!(
        only(&right.columns, &left.columns),
        vec![],
        "columns only in PostgreSQL"
    );
    let missing = |a: &std::collections::BTreeSet<Index>, b: &std::collections::BTreeSet<Index>| -> Vec<Index> {
        a.difference(b).cloned().collect()
    };
    assert!(
        left.indexes.iter().any(|i| i.partial && i.unique),
        "the partial unique index was read"
    );
    assert_eq!(missing(&left.indexes, &right.indexes), vec![], "indexes only in SQLite");
    assert_eq!(
        missing(&right.indexes, &left.indexes),
        vec![],
        "indexes only in PostgreSQL"
    );
}

/// Two instances on one fresh PostgreSQL database, and a signed-in user on the first.
async fn two_instances(server: &str) -> (TestApp, TestApp) {
    let a = TestApp::on_postgres(server).await;
    a.create_user("alice", &["Threat Research"]).await;
    assert_eq!(a.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    let b = a.second_instance().await;
    (a, b)
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_the_other() {
    let Some(server) = server_or_skip("two instances: sessions") else {
        return;
    };
    let (a, b) = two_instances(&server).await;

    b.set_cookie(a.cookie());

    assert_eq!(b.rpc("current_user", &[]).await.json()["username"], "alice");
    assert_eq!(b.rpc("sign_out", &[]).await.status, StatusCode::OK);
    assert_eq!(
        a.rpc("current_user", &[]).await.json(),
        json!(null),
        "signed out everywhere"
    );
}

#[tokio::test]
async fn a_token_created_on_one_instance_works_on_the_other_until_deleted_there() {
    let Some(server) = server_or_skip("two instances: tokens") else {
        return;
    };
    let (a, b) = two_instances(&server).await;
    let token = a.create_token("shared").await;

    let me = b.api(Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    let id = me.json()["token"]["id"].as_i64().expect("id").to_string();

    assert_eq!(a.rpc("delete_token", &[("id", &id)]).await.status, StatusCode::OK);
    assert_eq!(
        a.api(Method::GET, "/api/v1/me", Some(&token), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // B verified the token moments ago; it may answer from its cache within the documented bound…
    b.clock.advance(Duration::seconds(4));
    let within = b.api(Method::GET, "/api/v1/me", Some(&token), None).await.status;
    assert!(within == StatusCode::OK || within == StatusCode::UNAUTHORIZED);
    // …and refuses it once the bound has passed.
    b.clock.advance(Duration::seconds(1));
    assert_eq!(
        b.api(Method::GET, "/api/v1/me", Some(&token), None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn last_used_writes_from_both_instances_keep_the_latest_use() {
    let Some(server) = server_or_skip("two instances: last used") else {
        return;
    };
    let (a, b) = two_instances(&server).await;
    let first = a.create_token("first").await;
    let second = a.create_token("second").await;

    // A sees the later use of `first`; B an earlier one. B flushes last: the later use stays.
    b.clock.advance(Duration::minutes(1));
    a.clock.advance(Duration::minutes(2));
    assert_eq!(
        b.api(Method::GET, "/api/v1/me", Some(&first), None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        a.api(Method::GET, "/api/v1/me", Some(&first), None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        b.api(Method::GET, "/api/v1/me", Some(&second), None).await.status,
        StatusCode::OK
    );
    a.state
        .last_used
        .flush_all(&a.state.store, a.clock.now())
        .await
        .expect("flush a");
    b.state
        .last_used
        .flush_all(&b.state.store, b.clock.now())
        .await
        .expect("flush b");

    let listed = a.rpc("list_tokens", &[]).await.json();
    let last_used = |name: &str| {
        listed
            .as_array()
            .expect("list")
            .iter()
            .find(|t| t["name"] == name)
            .expect("token")["last_used_at"]
            .clone()
    };
    assert_eq!(
        last_used("first"),
        json!((a.clock.now()).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    );
    assert_eq!(
        last_used("second"),
        json!((b.clock.now()).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    );
}
