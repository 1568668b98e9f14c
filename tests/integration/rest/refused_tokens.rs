//! Tokens that no longer (or never did) work: a bad checksum, an unknown token, expiry,
//! deletion in the profile, revoking itself, and a deactivated owner.

use app::server_fns::tokens::DeleteToken;
use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::{CURRENT_TOKEN, ME, assert_invalid_token};
use tessera_tests::backend::PlainToken;
use tessera_tests::{TestApp, at};

#[tokio::test]
async fn a_token_with_a_bad_checksum_is_refused_without_asking_the_store() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let token = token.token();
    let last = token.chars().last().expect("a last character");
    let typo = format!("{}{}", &token[..token.len() - 1], if last == 'A' { 'B' } else { 'A' });
    assert!(PlainToken::parse(&typo).is_err());
    let before = app.token_lookups();

    let response = app.bearer(&typo).get(ME).await;

    assert_eq!(
        app.token_lookups(),
        before,
        "a checksum failure must not reach the store"
    );
    assert_invalid_token(&app, &response).await;
}

#[tokio::test]
async fn an_unknown_well_formed_token_is_refused_as_invalid() {
    let (app, _, _) = TestApp::with_token("alice").await;
    let unknown = PlainToken::generate();
    let before = app.token_lookups();

    let response = app.bearer(unknown.expose()).get(ME).await;

    assert_invalid_token(&app, &response).await;
    assert!(app.token_lookups() > before, "a well-formed token is looked up");
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn an_expired_token_is_refused_from_the_instant_it_expires() {
    let (app, alice, _) = TestApp::with_token("alice").await;
    let created = alice.create_token("two months", "2", "").await;
    let token = app.bearer(created["secret"].as_str().expect("a secret"));
    let me = token.get(ME).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["token"]["expires_at"], "2026-03-01T00:00:00Z");

    app.clock.set(at("2026-02-28T23:59:59.999Z"));
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    // One millisecond later, while the token is still in the verification cache.
    app.clock.set(at("2026-03-01T00:00:00Z"));
    let response = token.get(ME).await;

    assert_invalid_token(&app, &response).await;
    app.clock.advance(Duration::days(1));
    assert_invalid_token(&app, &token.get(ME).await).await;
}

// Deleting a token in the profile evicts it from this instance's verification cache at once.
#[tokio::test]
async fn a_token_deleted_in_the_profile_is_refused_at_once() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let id = token.token_id().await; // the token is now in the verification cache

    let deleted = alice.call(DeleteToken { id }).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());

    let response = token.get(ME).await;
    assert_invalid_token(&app, &response).await;
}

#[tokio::test]
async fn a_token_can_revoke_itself_and_is_refused_from_then_on() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let other = alice.new_token("kept").await;
    assert_eq!(token.get(ME).await.status, StatusCode::OK);

    let response = token.delete(CURRENT_TOKEN).await;

    assert_eq!(response.status, StatusCode::NO_CONTENT, "{}", response.text());
    assert!(response.body.is_empty());
    assert_invalid_token(&app, &token.get(ME).await).await;
    assert_invalid_token(&app, &token.delete(CURRENT_TOKEN).await).await;
    let names: Vec<Value> = alice.tokens().await.iter().map(|t| t["name"].clone()).collect();
    assert_eq!(names, [json!("kept")]);
    assert_eq!(other.get(ME).await.status, StatusCode::OK, "only that token");
}

#[tokio::test]
async fn the_tokens_of_a_deactivated_user_are_refused_at_once() {
    let (app, _, token) = TestApp::with_token("alice").await;
    assert_eq!(token.get(ME).await.status, StatusCode::OK);

    app.deactivate("alice").await;

    assert_invalid_token(&app, &token.get(ME).await).await;
}
