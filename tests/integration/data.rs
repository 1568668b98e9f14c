//! The Data page's server functions, and deleting objects: only their creator may, through
//! the API (`DELETE /api/v1/entities/{id}`, `/observables/{id}`) or all that one of their
//! tokens created at once.

use app::server_fns::data::{DataPage, DataTokens, DeleteTokenData, DeletedData, ListData};
use app::server_fns::security_log::LoggedTokenView;
use http::StatusCode;
use serde_json::json;
use tessera_tests::api::{ENTITIES, OBSERVABLES};
use tessera_tests::{Client, TestApp, assert_error, assert_invalid};

fn list(kind: &str, object_type: &str, source: &str, token: &str, before: Option<i64>) -> ListData {
    ListData {
        kind: kind.to_owned(),
        object_type: object_type.to_owned(),
        source: source.to_owned(),
        token: token.to_owned(),
        before,
    }
}

async fn texts(client: &Client, args: ListData) -> Vec<String> {
    let page: DataPage = client.call_ok(args).await;
    page.items.into_iter().map(|o| o.text).collect()
}

#[tokio::test]
async fn the_data_page_lists_what_your_groups_see_filtered_by_kind_type_source_and_token() {
    let (app, alice, feed) = TestApp::with_token("alice").await;
    let other = alice.new_token("other").await;
    let (bob, bobs) = app.signed_in_with_token("bob", &["Threat Research"]).await;
    let (_carol, carols) = app.signed_in_with_token("carol", &["Elsewhere"]).await;
    feed.create_entity("Feed report").await;
    feed.post(ENTITIES, json!({"type": "incident", "title": "Feed incident"}))
        .await;
    other.create_entity("Other report").await;
    bobs.create_entity("Bob's report").await;
    carols.create_entity("Carol's report").await;
    feed.create_observable("domain", "evil.example").await;
    let feed_id = feed.token_id().await.to_string();
    let group = alice.group_id("Threat Research").await.to_string();

    assert_eq!(
        texts(&alice, list("entities", "", "", "", None)).await,
        ["Bob's report", "Other report", "Feed incident", "Feed report"],
        "newest first, never another group's"
    );
    assert_eq!(
        texts(&alice, list("entities", "incident", "", "", None)).await,
        ["Feed incident"]
    );
    assert_eq!(
        texts(&alice, list("entities", "", "", &feed_id, None)).await,
        ["Feed incident", "Feed report"]
    );
    assert_eq!(
        texts(&alice, list("observables", "", &group, "", None)).await,
        ["evil.example"]
    );
    assert_eq!(
        texts(&bob, list("entities", "", "", &feed_id, None)).await.len(),
        2,
        "bob sees them too"
    );
    let page: DataPage = alice.call_ok(list("entities", "", "", &feed_id, None)).await;
    assert_eq!(page.created_with_token, Some((2, 1)));
    let page: DataPage = bob.call_ok(list("entities", "", "", &feed_id, None)).await;
    assert_eq!(
        page.created_with_token,
        Some((0, 0)),
        "bob created nothing with alice's token"
    );

    let refused = alice.call(list("people", "", "", "", None)).await;
    assert_invalid(&refused, "kind");
    let refused = alice.call(list("entities", "", "x", "", None)).await;
    assert_invalid(&refused, "source");
}

#[tokio::test]
async fn the_data_page_pages_by_fifty() {
    let (_app, alice, token) = TestApp::with_token("alice").await;
    for i in 0..55 {
        token.create_entity(&format!("r{i}")).await;
    }
    let first: DataPage = alice.call_ok(list("entities", "", "", "", None)).await;
    assert_eq!(first.items.len(), 50);
    assert_eq!(first.items[0].text, "r54");
    let second: DataPage = alice.call_ok(list("entities", "", "", "", first.next)).await;
    assert_eq!(
        second.items.iter().map(|o| o.text.as_str()).collect::<Vec<_>>(),
        ["r4", "r3", "r2", "r1", "r0"]
    );
    assert_eq!(second.next, None);
}

#[tokio::test]
async fn only_the_creator_deletes_an_object() {
    let (app, _alice, token) = TestApp::with_token("alice").await;
    let (_bob, bobs) = app.signed_in_with_token("bob", &["Threat Research"]).await;
    let reader = _alice.new_token_with_access("reader", "read").await;
    let entity = token.create_entity("to delete").await;
    let observable = token.create_observable("ipv4", "192.0.2.1").await;
    let entity_path = format!("{ENTITIES}/{}", entity["id"]);
    let observable_path = format!("{OBSERVABLES}/{}", observable["id"]);

    // Someone else in the group sees it but cannot delete it; a read-only token may not.
    assert_eq!(bobs.get(&entity_path).await.status, StatusCode::OK);
    assert_error(&bobs.delete(&entity_path).await, StatusCode::NOT_FOUND, "not_found");
    assert_error(
        &reader.delete(&entity_path).await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    );
    assert_error(
        &token.delete(&format!("{ENTITIES}/x")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    assert_eq!(token.delete(&entity_path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(token.delete(&observable_path).await.status, StatusCode::NO_CONTENT);
    assert_error(&token.get(&entity_path).await, StatusCode::NOT_FOUND, "not_found");
    assert_error(&token.delete(&entity_path).await, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn deleting_what_a_token_created_removes_only_its_creations() {
    let (app, alice, leaked) = TestApp::with_token("alice").await;
    let other = alice.new_token("other").await;
    leaked.create_entity("one").await;
    leaked.create_entity("two").await;
    leaked.create_observable("domain", "a.example").await;
    other.create_entity("kept").await;
    let id = leaked.token_id().await;
    let bob = app.signed_in("bob", &["Threat Research"]).await;

    let by_bob: DeletedData = bob.call_ok(DeleteTokenData { token: id }).await;
    assert_eq!(
        by_bob,
        DeletedData {
            entities: 0,
            observables: 0
        },
        "not bob's to delete"
    );
    let deleted: DeletedData = alice.call_ok(DeleteTokenData { token: id }).await;

    assert_eq!(
        deleted,
        DeletedData {
            entities: 2,
            observables: 1
        }
    );
    assert_eq!(texts(&alice, list("entities", "", "", "", None)).await, ["kept"]);
    assert!(texts(&alice, list("observables", "", "", "", None)).await.is_empty());
    let tokens = alice.tokens().await;
    let listed = tokens.iter().find(|t| t["name"] == "alice's token").expect("listed");
    assert_eq!(
        (listed["entities"].as_i64(), listed["observables"].as_i64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn the_token_filter_offers_deleted_tokens_too_so_a_leaks_creations_can_be_found() {
    let (app, alice, leaked) = TestApp::with_token("alice").await;
    leaked.create_entity("planted by the thief").await;
    let id = leaked.token_id().await;
    let kept = alice.new_token("kept").await;
    assert_eq!(alice.delete_token(&json!(id)).await.status, StatusCode::OK);
    let bob = app.signed_in("bob", &["Threat Research"]).await;

    let offered: Vec<LoggedTokenView> = alice.call_ok(DataTokens {}).await;
    let offered: Vec<_> = offered.into_iter().map(|t| (t.id, t.label())).collect();
    assert_eq!(
        offered,
        [
            (kept.token_id().await, "kept".to_owned()),
            (id, "alice's token (deleted)".to_owned())
        ]
    );
    // What the deleted token created is still found by it.
    assert_eq!(
        texts(&alice, list("entities", "", "", &id.to_string(), None)).await,
        ["planted by the thief"]
    );
    // Nobody else's tokens are offered; a visitor gets none.
    let bobs: Vec<LoggedTokenView> = bob.call_ok(DataTokens {}).await;
    assert!(bobs.is_empty(), "{bobs:?}");
    assert_eq!(
        app.anonymous().call(DataTokens {}).await.status,
        StatusCode::UNAUTHORIZED
    );
}
