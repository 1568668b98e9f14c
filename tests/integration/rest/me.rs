//! `GET /api/v1/me`: who the token belongs to, and which token it is.

use http::StatusCode;
use serde_json::json;
use tessera_tests::TestApp;
use tessera_tests::api::ME;

#[tokio::test]
async fn me_describes_the_owner_their_groups_sources_and_the_token() {
    let app = TestApp::new().await;
    let (alice, token) = app.signed_in_with_token("alice", &["Threat Research", "SOC"]).await;
    let research = alice.group_id("Threat Research").await;
    let soc = alice.group_id("SOC").await;
    let listed = alice.tokens().await;

    let response = token.get(ME).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    response.assert_json_content_type();
    assert_eq!(
        response.json(),
        json!({
            "username": "alice",
            "display_name": "alice display",
            "groups": [
                {"id": research, "name": "Threat Research"},
                {"id": soc, "name": "SOC"},
            ],
            "default_source": null,
            "effective_source": {"id": research, "name": "Threat Research"},
            "token": {"id": listed[0]["id"], "name": "alice's token", "expires_at": null, "access": "read_write"},
        })
    );
    assert!(!response.text().contains(token.token()));
}
