//! Bodies the API cannot take: a source chosen by the body, the wrong shape, JSON that does
//! not parse, and a body not sent as JSON. None of them creates anything.

use axum::body::Body;
use http::{Method, StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::api::{ENTITIES, OBSERVABLES};
use tessera_tests::{TestApp, assert_error};

#[tokio::test]
async fn a_body_that_chooses_its_own_source_is_refused() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    for (path, body) in [
        (ENTITIES, json!({"type": "report", "title": "mine", "source": 1})),
        (ENTITIES, json!({"type": "report", "title": "mine", "source": null})),
        (
            ENTITIES,
            json!({"type": "report", "title": "mine", "source": {"id": 1, "name": "Threat Research"}}),
        ),
        (
            OBSERVABLES,
            json!({"type": "ipv4", "value": "192.0.2.1", "source": "SOC"}),
        ),
    ] {
        let response = token.post(path, body.clone()).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "source_not_allowed");
        assert!(detail.contains("default source"), "{body}: {detail}");
    }
    assert_eq!(token.list(ENTITIES).await, Vec::<Value>::new());
    assert_eq!(token.list(OBSERVABLES).await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_refused_with_what_to_fix() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    for (path, body, needle) in [
        (
            ENTITIES,
            json!({"type": "report", "title": "x", "colour": "red"}),
            "colour",
        ),
        (
            OBSERVABLES,
            json!({"type": "ipv4", "value": "192.0.2.1", "tags": []}),
            "tags",
        ),
        (ENTITIES, json!({"type": "report"}), "title"),
        (OBSERVABLES, json!({"value": "192.0.2.1"}), "type"),
        (ENTITIES, json!({"type": "report", "title": 5}), "string"),
        (ENTITIES, json!({"type": null, "title": "x"}), "string"),
        (
            ENTITIES,
            json!({"type": "report", "title": "x", "description": ["a"]}),
            "string",
        ),
        (ENTITIES, json!([{"type": "report", "title": "x"}]), "object"),
        (OBSERVABLES, json!("192.0.2.1"), "object"),
        (ENTITIES, json!(null), "object"),
    ] {
        let response = token.post(path, body.clone()).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
        assert!(detail.contains(needle), "{body}: {detail}");
    }
    assert_eq!(token.list(ENTITIES).await, Vec::<Value>::new());
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    for (path, body) in [
        (ENTITIES, &b"{\"type\":\"report\","[..]),
        (ENTITIES, b""),
        (ENTITIES, b"{\"type\":\"report\",\"title\":\"x\"} trailing"),
        (OBSERVABLES, b"{'type':'ipv4'}"),
        (OBSERVABLES, b"\xff\xfe{}"),
    ] {
        let request = token
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("request");
        let response = token.send(request).await;
        assert_error(&response, StatusCode::BAD_REQUEST, "malformed_json");
    }
    assert_eq!(token.list(ENTITIES).await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_body_not_sent_as_json_is_an_unsupported_media_type() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    let body = r#"{"type":"report","title":"typed"}"#;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        Some("application/json-patch+json"),
        None,
    ] {
        let mut builder = token.request(Method::POST, ENTITIES);
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let response = token.send(builder.body(Body::from(body)).expect("request")).await;
        assert_error(&response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    assert_eq!(token.list(ENTITIES).await, Vec::<Value>::new());
    for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
        let request = token
            .request(Method::POST, ENTITIES)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request");
        let response = token.send(request).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{content_type}: {}",
            response.text()
        );
    }
}
