//! What one API token may create per minute.

use app::backend::state::DEFAULT_OBJECTS_PER_MINUTE;
use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_tests::TestApp;

#[tokio::test]
async fn a_token_creates_a_limited_number_of_objects_a_minute_and_is_told_when_to_retry() {
    let (app, alice, busy) = TestApp::with_token("alice").await;
    let quiet = alice.new_token("quiet").await;
    let entity = |title: String| json!({"type": "report", "title": title});
    for i in 0..DEFAULT_OBJECTS_PER_MINUTE {
        let response = busy.post("/api/v1/entities", entity(format!("r{i}"))).await;
        assert_eq!(response.status, StatusCode::CREATED, "{i}: {}", response.text());
    }

    let refused = busy
        .post("/api/v1/observables", json!({"type": "domain", "value": "a.example"}))
        .await;

    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.text());
    assert_eq!(refused.json()["errors"][0]["code"], "rate_limited");
    let retry = refused.retry_after();
    assert!((1..=60).contains(&retry), "{retry}");
    // Reads are not limited, other tokens are not affected, and the allowance comes back.
    assert_eq!(busy.get("/api/v1/entities?limit=1").await.status, StatusCode::OK);
    assert_eq!(
        quiet.post("/api/v1/entities", entity("q".into())).await.status,
        StatusCode::CREATED
    );
    app.clock
        .advance(Duration::seconds(i64::try_from(retry).expect("small")));
    let later = busy.post("/api/v1/entities", entity("later".into())).await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text());
}
