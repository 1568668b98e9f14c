//! Access levels: a read-only token reads, describes itself and revokes itself, but every
//! creation is refused with 403 `insufficient_scope` before anything is written.

use http::StatusCode;
use serde_json::json;
use tessera_tests::api::{CURRENT_TOKEN, ENTITIES, ME, OBSERVABLES};
use tessera_tests::{TestApp, assert_error, assert_invalid, create_token_with_access};

const INSUFFICIENT_SCOPE: &str = "Bearer realm=\"tessera\", error=\"insufficient_scope\", scope=\"write\"";

#[tokio::test]
async fn a_read_only_token_reads_but_every_creation_is_refused_and_nothing_is_written() {
    let app = TestApp::new().await;
    let alice = app.signed_in("alice", &["Threat Research"]).await;
    let writer = alice.new_token("writer").await;
    let reader = alice.new_token_with_access("reader", "read").await;
    let entity = writer.create_entity("Seen by both").await;

    for (path, body) in [
        (ENTITIES, json!({"type": "report", "title": "Weekly"})),
        (OBSERVABLES, json!({"type": "domain", "value": "example.org"})),
        // An invalid body gets the same answer: the access level is checked first.
        (ENTITIES, json!({"type": "no such type", "title": ""})),
    ] {
        let response = reader.post(path, body).await;
        let detail = assert_error(&response, StatusCode::FORBIDDEN, "insufficient_scope");
        assert_eq!(response.header("www-authenticate"), Some(INSUFFICIENT_SCOPE));
        assert!(
            detail.contains("read-only") && detail.contains("Read and write"),
            "{detail}"
        );
    }

    // Nothing was written, and reading works.
    assert_eq!(reader.list(ENTITIES).await, std::slice::from_ref(&entity));
    assert_eq!(reader.list(OBSERVABLES).await, Vec::<serde_json::Value>::new());
    let one = reader.get(&format!("{ENTITIES}/{}", entity["id"])).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text());
    let listed = alice.tokens().await;
    let reader_row = listed.iter().find(|t| t["name"] == "reader").expect("listed");
    assert_eq!(
        (reader_row["entities"].clone(), reader_row["observables"].clone()),
        (json!(0), json!(0))
    );

    // /me says what the token may do; the token can still revoke itself.
    let me = reader.get(ME).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["token"]["access"], "read");
    assert_eq!(writer.get(ME).await.json()["token"]["access"], "read_write");
    let revoked = reader.delete(CURRENT_TOKEN).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text());
    assert_eq!(reader.get(ME).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_list_and_the_one_time_answer_carry_the_access_level_and_bad_levels_are_refused() {
    let (_app, alice) = TestApp::with_user("alice").await;

    let created = alice
        .call(create_token_with_access("reports", "never", "", "read"))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    assert_eq!(created.json()["token"]["access"], "read");
    alice.create_token("pipeline", "never", "").await;
    let listed = alice.tokens().await;
    let levels: Vec<_> = listed
        .iter()
        .map(|t| (t["name"].clone(), t["access"].clone()))
        .collect();
    assert_eq!(
        levels,
        [
            (json!("pipeline"), json!("read_write")),
            (json!("reports"), json!("read"))
        ]
    );

    for bad in ["", "write", "admin", "READ"] {
        let response = alice
            .call(create_token_with_access(&format!("bad {bad}"), "never", "", bad))
            .await;
        let message = assert_invalid(&response, "access");
        assert!(
            message.contains("\"read\"") && message.contains("\"read_write\""),
            "{message}"
        );
    }
    assert_eq!(alice.tokens().await.len(), 2, "a refused level creates nothing");
}

#[tokio::test]
async fn tokens_stored_before_access_levels_existed_can_read_and_write() {
    let app = TestApp::new().await;
    let alice = app.signed_in("alice", &["Threat Research"]).await;
    alice.create_token("new", "never", "").await;

    // A row written without the column, as every row was before access levels.
    let pool = sqlx::AnyPool::connect(&app.database_url()).await.expect("connect");
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, digest, created_at) \
         SELECT user_id, 'older', digest || '-older', created_at FROM api_tokens WHERE name = 'new'",
    )
    .execute(&pool)
    .await
    .expect("insert");
    pool.close().await;

    let listed = alice.tokens().await;
    let older = listed.iter().find(|t| t["name"] == "older").expect("listed");
    assert_eq!(older["access"], "read_write");
    assert_eq!(
        (older["hint"].clone(), older["description"].clone()),
        (json!(null), json!(null))
    );
}
