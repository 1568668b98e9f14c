//! `GET /api/v1/me`: who the token belongs to, and which token it is.

use http::StatusCode;
use serde_json::json;
use tessera_tests::TestApp;
use tessera_tests::api::{ENTITIES, ME};

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
            "token": {
                "id": listed[0]["id"],
                "name": "alice's token",
                "created_at": listed[0]["created_at"],
                "expires_at": null,
                "expires_in_seconds": null,
                "last_used_at": null,
                "access": "read_write",
            },
        })
    );
    assert!(!response.text().contains(token.token()));
}

#[tokio::test]
async fn every_answer_to_an_expiring_token_says_when_it_expires_and_me_counts_down() {
    let app = TestApp::new().await;
    let alice = app.signed_in("alice", &["Threat Research"]).await;
    let created = alice.create_token("quarterly", "2", "").await;
    let expires_at = created["token"]["expires_at"].as_str().expect("an expiry").to_owned();
    let token = alice.with_secret(created["secret"].as_str().expect("a secret"));
    let forever = alice.new_token("forever").await;
    app.clock.advance(chrono::Duration::seconds(90));

    let expected = chrono::DateTime::parse_from_rfc3339(&expires_at).expect("rfc 3339");
    for response in [
        token.get(ME).await,
        token.post(ENTITIES, json!({"type": "report", "title": "Weekly"})).await,
        token
            .post(ENTITIES, json!({"type": "nonsense", "title": "Weekly"}))
            .await,
        token.get(&format!("{ENTITIES}/999999")).await,
    ] {
        let header = response.header("tessera-token-expires").expect("the expiry header");
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(header).expect("rfc 3339"),
            expected,
            "{}",
            response.text()
        );
    }
    let me = token.get(ME).await.json();
    let left = (expected.to_utc() - app.clock.now()).num_seconds();
    assert_eq!(me["token"]["expires_in_seconds"], left);
    assert!(left > 58 * 24 * 3600, "about two months (Jan 1 to Mar 1): {left}");

    // A token that never expires, and an answer to no token at all, carry none.
    assert_eq!(forever.get(ME).await.header("tessera-token-expires"), None);
    assert_eq!(app.anonymous().get(ME).await.header("tessera-token-expires"), None);
}
