//! Lists and paging: newest first, a limit of 1 to 100, and `next` cursors that are followed
//! to the end without duplicates.

use std::collections::HashSet;

use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_tests::api::{ENTITIES, OBSERVABLES, ids};
use tessera_tests::{TestApp, assert_error};

#[tokio::test]
async fn lists_are_newest_first() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let mut entities = Vec::new();
    let mut observables = Vec::new();
    for i in 1..=3 {
        entities.push(token.create_entity(&format!("report {i}")).await);
        observables.push(token.create_observable("ipv4", &format!("192.0.2.{i}")).await);
        app.clock.advance(Duration::seconds(1));
    }
    entities.reverse();
    observables.reverse();

    let response = token.get(ENTITIES).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(response.json(), json!({"data": entities, "next": null}));
    assert_eq!(token.list(OBSERVABLES).await, observables);
}

#[tokio::test]
async fn a_limit_outside_1_to_100_is_a_bad_request() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    token.create_entity("one").await;
    for path in [ENTITIES, OBSERVABLES] {
        for limit in ["101", "0", "abc", "-1", "1.5", "99999999999999999999", "%FF"] {
            let response = token.get(&format!("{path}?limit={limit}")).await;
            assert_eq!(
                response.status,
                StatusCode::BAD_REQUEST,
                "{path} {limit}: {}",
                response.text()
            );
            let (code, detail) = response.error();
            assert!(
                code == "invalid_limit" || code == "invalid_query",
                "{path} {limit}: {code} {detail}"
            );
            if code == "invalid_limit" {
                assert!(detail.contains("1 to 100"), "{detail}");
            }
        }
        for limit in ["1", "100", ""] {
            let response = token.get(&format!("{path}?limit={limit}")).await;
            assert_eq!(response.status, StatusCode::OK, "{path} {limit}: {}", response.text());
        }
    }
    let one = token.get(&format!("{ENTITIES}?limit=101")).await;
    assert_eq!(one.error().0, "invalid_limit");
}

#[tokio::test]
async fn pages_follow_next_until_it_is_null_without_duplicates() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    let mut created = Vec::new();
    for i in 1..=5 {
        created.push(token.create_entity(&format!("report {i}")).await);
    }
    created.reverse();

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut path = format!("{ENTITIES}?limit=2");
    loop {
        let response = token.get(&path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text());
        let page = response.json();
        let data = page["data"].as_array().expect("data").clone();
        sizes.push(data.len());
        seen.extend(data);
        match page["next"].as_str() {
            Some(next) => {
                assert!(sizes.len() < 10, "paging does not end");
                path = format!("{ENTITIES}?limit=2&cursor={next}");
            }
            None => {
                assert_eq!(page["next"], json!(null));
                break;
            }
        }
    }

    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(seen, created);
    let unique: HashSet<i64> = ids(&seen).into_iter().collect();
    assert_eq!(unique.len(), 5);
    // Exactly one page's worth: no next page.
    let all = token.get(&format!("{ENTITIES}?limit=5")).await.json();
    assert_eq!(all["next"], json!(null));
    assert_eq!(all["data"], json!(created));
}

#[tokio::test]
async fn a_cursor_that_is_not_a_next_value_is_a_bad_request() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    token.create_entity("one").await;
    // base64url of "after:1" and of "before:x"
    for cursor in ["garbage", "!!!", "%00", "YWZ0ZXI6MQ", "YmVmb3JlOng", "YmVmb3JlOjE=="] {
        for path in [ENTITIES, OBSERVABLES] {
            let response = token.get(&format!("{path}?cursor={cursor}")).await;
            assert_eq!(
                response.status,
                StatusCode::BAD_REQUEST,
                "{cursor}: {}",
                response.text()
            );
            let (code, _) = response.error();
            assert!(code == "invalid_cursor" || code == "invalid_query", "{cursor}: {code}");
        }
    }
    assert_error(
        &token.get(&format!("{ENTITIES}?cursor=garbage")).await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    );
}
