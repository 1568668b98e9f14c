//! Unknown routes, wrong methods, and no 500 for bad input: every refusal in the one error
//! envelope.

use axum::body::Body;
use http::{Method, StatusCode, header};
use serde_json::json;
use tessera_tests::api::{CURRENT_TOKEN, ENTITIES, ME, OBSERVABLES, OPENAPI, assert_invalid_token, with_authorization};
use tessera_tests::{TestApp, assert_error};

#[tokio::test]
async fn an_unknown_api_path_is_a_404_in_the_envelope() {
    let (app, _, token) = TestApp::with_token("alice").await;
    for path in [
        "/api/v1/nope",
        "/api/v1",
        "/api/v1/entities/1/extra",
        "/api/v1/tokens",
        "/api/v1/me/",
    ] {
        for client in [&app.anonymous(), &token] {
            let response = client.get(path).await;
            let detail = assert_error(&response, StatusCode::NOT_FOUND, "not_found");
            assert!(detail.contains("openapi.json"), "{path}: {detail}");
        }
    }
}

// The API's root with a trailing slash is not a page of the web client.
#[tokio::test]
async fn the_api_root_with_a_trailing_slash_is_a_404_in_the_envelope() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    let response = token.get("/api/v1/").await;
    assert_error(&response, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_method_a_route_does_not_accept_is_a_405_in_the_envelope() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    for (method, path) in [
        (Method::PUT, ME),
        (Method::POST, ME),
        (Method::DELETE, ENTITIES),
        (Method::PATCH, "/api/v1/entities/1"),
        (Method::PUT, "/api/v1/observables/1"),
        (Method::GET, CURRENT_TOKEN),
        (Method::POST, OPENAPI),
    ] {
        let response = token.send_json(method, path, json!({"title": "x"})).await;
        assert_error(&response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    assert_eq!(token.get(ME).await.status, StatusCode::OK, "the token still works");
}

#[tokio::test]
async fn no_bad_input_gets_a_server_error() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let nested = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let huge_title = json!({"type": "report", "title": "x".repeat(100_000)}).to_string();
    let big_body = format!(r#"{{"type":"report","title":"{}"}}"#, "y".repeat(3 * 1024 * 1024));
    let deep_object = format!("{}{}", "{\"a\":".repeat(1_000), "1".to_owned() + &"}".repeat(1_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        (ENTITIES, nested.clone().into_bytes()),
        (ENTITIES, huge_title.into_bytes()),
        (ENTITIES, big_body.into_bytes()),
        (OBSERVABLES, deep_object.into_bytes()),
        (ENTITIES, b"\"\\ud800\"".to_vec()),
        (ENTITIES, br#"{"type":"report","title":"\ud800"}"#.to_vec()),
        (ENTITIES, br#"{"type":"report","title":"nul\u0000"}"#.to_vec()),
        (OBSERVABLES, br#"{"type":"ipv4","value":1e999}"#.to_vec()),
        (OBSERVABLES, br#"{"type":"uri","value":"https://\u0000/"}"#.to_vec()),
        (OBSERVABLES, br#"{"type":"email","value":"a@b@c"}"#.to_vec()),
        (
            ENTITIES,
            b"\xef\xbb\xbf{\"type\":\"report\",\"title\":\"bom\"}".to_vec(),
        ),
        (ENTITIES, b"123".to_vec()),
        (ENTITIES, b"{}".to_vec()),
    ];
    for (path, body) in bodies {
        let request = token
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .expect("request");
        let response = token.send(request).await;
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        assert!(
            response.status.is_client_error(),
            "{path} {shown:?}: {}",
            response.status
        );
        response.error();
    }
    let paths = [
        format!("{ENTITIES}/9223372036854775807"),
        format!("{ENTITIES}/9223372036854775808"),
        format!("{ENTITIES}/-9223372036854775808"),
        format!("{ENTITIES}/%00"),
        format!("{ENTITIES}/%20"),
        format!("{OBSERVABLES}/{}", "9".repeat(1_000)),
        format!("{ENTITIES}?limit=1&limit=2"),
        format!("{ENTITIES}?cursor=a&cursor=b"),
        format!("{ENTITIES}?limit=%FF%FE"),
        format!("{ENTITIES}?cursor=%FF"),
        format!("{OBSERVABLES}?cursor={}", "A".repeat(10_000)),
        format!("{OBSERVABLES}?cursor=YmVmb3JlOi05MjIzMzcyMDM2ODU0Nzc1ODA4"), // before:i64::MIN
        format!("{OBSERVABLES}?cursor=YmVmb3JlOjk5OTk5OTk5OTk5OTk5OTk5OTk5"), // before:too big
        format!("{ENTITIES}?unknown=1&limit=3"),
    ];
    for path in &paths {
        let response = token.get(path).await;
        assert!(
            response.status.as_u16() < 500,
            "{path}: {} {}",
            response.status,
            response.text()
        );
        if !response.status.is_success() {
            response.error();
        }
    }
    let long_token = format!("tsr_{}", "a".repeat(10_000));
    for value in [long_token.as_bytes(), b"Bearer \xff", b"Bearer tsr_\xc3\x28"] {
        let response = with_authorization(&app, Some(value)).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        response.error();
    }
    let response = with_authorization(&app, Some(format!("Bearer {long_token}").as_bytes())).await;
    assert_invalid_token(&app, &response).await;
}

// An id that does not decode still gets the envelope.
#[tokio::test]
async fn an_id_that_is_not_utf8_is_refused_in_the_envelope() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    for path in [ENTITIES, OBSERVABLES] {
        let response = token.get(&format!("{path}/%FF")).await;
        assert!(response.status.is_client_error(), "{path}: {}", response.status);
        response.error();
    }
}
