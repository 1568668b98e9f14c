//! Who may call the REST API: the `Authorization: Bearer` header, and nothing else.

use axum::body::Body;
use http::{Method, StatusCode, header};
use serde_json::json;
use tessera_tests::TestApp;
use tessera_tests::api::{
    CURRENT_TOKEN, ENTITIES, ME, OBSERVABLES, assert_invalid_token, assert_missing_credentials, with_authorization,
};

#[tokio::test]
async fn a_request_without_an_authorization_header_gets_a_bare_bearer_challenge() {
    let (app, _, _) = TestApp::with_token("alice").await;
    let anonymous = app.anonymous();

    let response = anonymous.get(ME).await;

    assert_missing_credentials(&response);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    // Every endpoint asks for credentials before it reads the body.
    for (method, path) in [
        (Method::GET, ENTITIES),
        (Method::GET, "/api/v1/entities/1"),
        (Method::GET, OBSERVABLES),
        (Method::GET, "/api/v1/observables/1"),
        (Method::DELETE, CURRENT_TOKEN),
    ] {
        assert_missing_credentials(&anonymous.fetch(method, path).await);
    }
    for path in [ENTITIES, OBSERVABLES] {
        let request = anonymous
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("{not json"))
            .expect("request");
        assert_missing_credentials(&anonymous.send(request).await);
    }
}

#[tokio::test]
async fn an_empty_authorization_header_counts_as_missing_credentials() {
    let (app, _, _) = TestApp::with_token("alice").await;
    for value in [&b""[..], b"   "] {
        assert_missing_credentials(&with_authorization(&app, Some(value)).await);
    }
}

#[tokio::test]
async fn another_authorization_scheme_counts_as_missing_credentials() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let token = token.token();
    for value in [
        "Basic YWxpY2U6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==".to_owned(),
        format!("Token {token}"),
        format!("Bearer{token}"),
        token.to_owned(),
    ] {
        let response = with_authorization(&app, Some(value.as_bytes())).await;
        assert_missing_credentials(&response);
    }
}

#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let token = token.token();
    for value in [
        format!("bearer {token}"),
        format!("BEARER {token}"),
        format!("Bearer   {token}  "),
    ] {
        let response = with_authorization(&app, Some(value.as_bytes())).await;
        assert_eq!(response.status, StatusCode::OK, "{value:?}: {}", response.text());
        assert_eq!(response.json()["username"], "alice");
    }
}

#[tokio::test]
async fn a_bearer_header_that_is_not_one_token_is_refused_as_an_invalid_token() {
    let (app, _, client) = TestApp::with_token("alice").await;
    let token = client.token();
    for value in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        format!("Bearer {token} {token}"),
        format!("Bearer {token}\textra"),
        "Bearer tsr_short".to_owned(),
        format!("Bearer {}", token.to_uppercase()),
    ] {
        let response = with_authorization(&app, Some(value.as_bytes())).await;
        assert_invalid_token(&app, &response).await;
    }
    let not_utf8 = with_authorization(&app, Some(b"Bearer tsr_\xff\xfe")).await;
    assert_invalid_token(&app, &not_utf8).await;
    // The token's own header and a second one.
    let request = client
        .request(Method::GET, ME)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    assert_invalid_token(&app, &client.send(request).await).await;
}

#[tokio::test]
async fn a_token_in_the_query_string_is_not_accepted() {
    let (app, _, token) = TestApp::with_token("alice").await;
    for query in ["access_token", "token", "bearer"] {
        let response = app.anonymous().get(&format!("{ME}?{query}={}", token.token())).await;
        assert_missing_credentials(&response);
    }
}

#[tokio::test]
async fn a_session_cookie_alone_does_not_authenticate_the_api() {
    let (_app, alice, _) = TestApp::with_token("alice").await;
    assert!(alice.cookie().is_some(), "signed in");
    assert_eq!(alice.current_user().await["username"], "alice");

    let response = alice.get(ME).await;

    assert_missing_credentials(&response);
    let created = alice
        .post(ENTITIES, json!({"type": "report", "title": "via cookie"}))
        .await;
    assert_missing_credentials(&created);
}
