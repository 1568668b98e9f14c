//! What one API token may create per minute.

use app::backend::state::DEFAULT_OBJECTS_PER_MINUTE;
use chrono::Duration;
use http::{Method, StatusCode};
use serde_json::json;
use tessera_tests::TestApp;

#[tokio::test]
async fn a_token_creates_a_limited_number_of_objects_a_minute_and_is_told_when_to_retry() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let busy = app.create_token("busy").await;
    let quiet = app.create_token("quiet").await;
    let entity = |title: String| Some(json!({"type": "report", "title": title}));
    for i in 0..DEFAULT_OBJECTS_PER_MINUTE {
        let response = app
            .api(Method::POST, "/api/v1/entities", Some(&busy), entity(format!("r{i}")))
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{i}: {}", response.text());
    }

    let refused = app
        .api(
            Method::POST,
            "/api/v1/observables",
            Some(&busy),
            Some(json!({"type": "domain", "value": "a.example"})),
        )
        .await;

    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.text());
    assert_eq!(refused.json()["errors"][0]["code"], "rate_limited");
    let retry: u64 = refused
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    // Reads are not limited, other tokens are not affected, and the allowance comes back.
    let read = app
        .api(Method::GET, "/api/v1/entities?limit=1", Some(&busy), None)
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let other = app
        .api(Method::POST, "/api/v1/entities", Some(&quiet), entity("q".into()))
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
    app.clock
        .advance(Duration::seconds(i64::try_from(retry).expect("small")));
    let later = app
        .api(Method::POST, "/api/v1/entities", Some(&busy), entity("later".into()))
        .await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text());
}
