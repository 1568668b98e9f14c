//! Who may call the token functions, and how: only with a session, only on one's own tokens,
//! only from the app's own origin, and with arguments that decode.

use app::server_fns::tokens::{CreateToken, DeleteToken, ListTokens};
use http::{StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::{TestApp, create_token, names};

#[tokio::test]
async fn a_user_cannot_see_or_delete_someone_elses_token() {
    let (app, alice) = TestApp::with_user("alice").await;
    let alices = alice.create_token("CI pipeline", "never", "").await;
    let bob = app.signed_in("bob", &[]).await;

    assert_eq!(bob.tokens().await, Vec::<Value>::new());
    let theirs = bob.delete_token(&alices["token"]["id"]).await;
    let missing = bob.call(DeleteToken { id: 999_999 }).await;

    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.text());
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text());
    assert_eq!(theirs.body, missing.body, "the answers must not tell the two apart");
    assert!(theirs.json()["NotFound"].is_string(), "{}", theirs.text());
    // Names are unique per user only.
    let bobs = bob.create_token("CI pipeline", "never", "").await;
    assert_eq!(names(&bob.tokens().await), ["CI pipeline"]);

    assert_eq!(alice.tokens().await, vec![alices["token"].clone()]);
    assert_eq!(alice.delete_token(&bobs["token"]["id"]).await.body, missing.body);
    assert_eq!(alice.active_tokens().await, 1);
}

#[tokio::test]
async fn token_functions_need_a_session() {
    let app = TestApp::new().await;
    let anonymous = app.anonymous();
    for (name, response) in [
        ("list_tokens", anonymous.call(ListTokens {}).await),
        (
            "create_token",
            anonymous.call(create_token("CI pipeline", "never", "")).await,
        ),
        ("delete_token", anonymous.call(DeleteToken { id: 1 }).await),
    ] {
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{name}: {}", response.text());
        assert_eq!(response.json(), json!("Unauthenticated"), "{name}");
    }
    app.create_user("alice", &[]).await;
    assert_eq!(app.active_tokens_in_store("alice").await, 0);
}

#[tokio::test]
async fn creating_or_deleting_a_token_from_another_origin_is_refused() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let evil = "https://evil.example".parse().expect("an origin");
    let mut request = alice.call_request(&create_token("evil", "never", ""));
    request.headers_mut().insert(header::ORIGIN, evil);

    let response = alice.send(request).await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.json(), json!("Forbidden"));
    assert!(!response.text().contains("tsr_"));
    assert_eq!(alice.tokens().await, Vec::<Value>::new());

    let kept = alice.create_token("CI pipeline", "never", "").await;
    let id = kept["token"]["id"].as_i64().expect("an id");
    let mut request = alice.call_request(&DeleteToken { id });
    request
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().expect("an origin"));
    assert_eq!(alice.send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.tokens().await, vec![kept["token"].clone()]);
}

// Arguments that do not decode fail before the function body runs; they are still bad input.
#[tokio::test]
async fn malformed_token_arguments_are_refused_as_invalid_not_as_a_server_error() {
    let (_app, alice) = TestApp::with_user("alice").await;
    for (form, response) in [
        ("id=abc", alice.call_with_form::<DeleteToken>("id=abc").await),
        ("", alice.call_with_form::<DeleteToken>("").await),
        (
            "name=CI+pipeline",
            alice.call_with_form::<CreateToken>("name=CI+pipeline").await,
        ),
    ] {
        assert_eq!(response.json()["Invalid"]["field"], "request", "{form:?}");
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}: {}",
            response.text()
        );
    }
}
