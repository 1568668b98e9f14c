//! The token policy (`--max-token-lifetime-months`, `--require-token-expiry`): creations and
//! rotations, in the profile and through the REST API, get only what it allows and are told
//! why otherwise; tokens made before it keep working.

use app::domain::TokenPolicy;
use app::server_fns::CreatedToken;
use app::server_fns::tokens::RotateToken;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::ME;
use tessera_tests::{TestApp, assert_error, assert_invalid, at, create_token};

const SIX_MONTHS: TokenPolicy = TokenPolicy {
    max_months: Some(6),
    require_expiry: false,
};

const EXPIRY_REQUIRED: TokenPolicy = TokenPolicy {
    max_months: None,
    require_expiry: true,
};

async fn app_with(policy: TokenPolicy) -> TestApp {
    TestApp::with_state(|state| state.with_token_policy(policy)).await
}

fn rotate(token: &Value, expiry: &str, expires_at: &str) -> RotateToken {
    RotateToken {
        id: token["id"].as_i64().expect("an id"),
        grace: "1h".to_owned(),
        expiry: expiry.to_owned(),
        expires_at: expires_at.to_owned(),
    }
}

#[tokio::test]
async fn a_maximum_lifetime_refuses_longer_and_never_expiring_tokens_naming_the_policy() {
    let app = app_with(SIX_MONTHS).await;
    let alice = app.signed_in("alice", &["Threat Research"]).await;
    for (expiry, expires_at) in [("12", ""), ("24", ""), ("never", ""), ("exact", "2026-07-01T00:01:00Z")] {
        let response = alice.call(create_token("too long", expiry, expires_at)).await;
        let message = assert_invalid(&response, "expiry");
        assert_eq!(
            message,
            "Your administrator requires every token to expire within 6 months: choose 2 or 6 months, or a date \
             before 2026-07-01 00:00 UTC.",
            "{expiry} {expires_at}"
        );
    }
    assert!(alice.tokens().await.is_empty(), "nothing refused was created");

    let six = alice.create_token("six", "6", "").await;
    assert_eq!(six["token"]["expires_at"], "2026-07-01T00:00:00Z");
    let exact = alice.create_token("exact", "exact", "2026-07-01T00:00:00Z").await;
    assert_eq!(exact["token"]["expires_at"], "2026-07-01T00:00:00Z");
    assert_eq!(
        alice.create_token("two", "2", "").await["token"]["expires_at"],
        "2026-03-01T00:00:00Z"
    );
}

#[tokio::test]
async fn required_expiry_refuses_only_never_expiring_tokens() {
    let app = app_with(EXPIRY_REQUIRED).await;
    let alice = app.signed_in("alice", &["Threat Research"]).await;
    let response = alice.call(create_token("forever", "never", "")).await;
    let message = assert_invalid(&response, "expiry");
    assert!(
        message.starts_with(
            "Your administrator requires every token to have an expiration date: choose 2, 6, 12 or 24 months"
        ),
        "{message}"
    );
    assert_eq!(
        alice.create_token("long", "24", "").await["token"]["expires_at"],
        "2028-01-01T00:00:00Z"
    );
    assert_eq!(alice.profile().await.token_policy, EXPIRY_REQUIRED);
}

#[tokio::test]
async fn without_a_policy_the_profile_says_none_and_never_expiring_tokens_are_made() {
    let (_app, alice) = TestApp::with_user("alice").await;
    assert_eq!(alice.profile().await.token_policy, TokenPolicy::default());
    assert_eq!(
        alice.create_token("forever", "never", "").await["token"]["expires_at"],
        Value::Null
    );
}

#[tokio::test]
async fn rotating_in_the_profile_is_held_to_the_policy_and_the_same_length_is_capped() {
    let before = TestApp::new().await;
    let alice = before.signed_in("alice", &["Threat Research"]).await;
    let yearly = alice.create_token("yearly", "12", "").await["token"].clone();
    let forever = alice.create_token("forever", "never", "").await["token"].clone();

    let app = before.restarted_with(|state| state.with_token_policy(SIX_MONTHS)).await;
    let alice = alice.on(&app);
    assert_eq!(alice.profile().await.token_policy, SIX_MONTHS);

    let response = alice.call(rotate(&yearly, "12", "")).await;
    assert!(assert_invalid(&response, "expiry").contains("within 6 months"));
    // The same length as before (a year) is capped at the six months allowed.
    let capped: CreatedToken = alice.call_ok(rotate(&yearly, "same", "")).await;
    assert_eq!(capped.token.expires_at, Some(at("2026-07-01T00:00:00Z")));

    // A token that never expired cannot keep never expiring: its owner chooses.
    for expiry in ["same", "never"] {
        let response = alice.call(rotate(&forever, expiry, "")).await;
        let message = assert_invalid(&response, "expiry");
        assert!(
            message.contains("administrator requires every token to expire within 6 months"),
            "{message}"
        );
    }
    let chosen: CreatedToken = alice.call_ok(rotate(&forever, "2", "")).await;
    assert_eq!(chosen.token.expires_at, Some(at("2026-03-01T00:00:00Z")));
}

#[tokio::test]
async fn rest_rotation_is_held_to_the_policy_and_tokens_made_before_keep_working() {
    let before = TestApp::new().await;
    let (_alice, forever) = before.signed_in_with_token("alice", &["Threat Research"]).await;
    assert_eq!(forever.get(ME).await.status, StatusCode::OK);

    let app = before.restarted_with(|state| state.with_token_policy(SIX_MONTHS)).await;
    let forever = forever.on(&app);
    // Made before the policy, it is untouched: it works and still never expires.
    let me = forever.get(ME).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["token"]["expires_at"], Value::Null);

    let response = forever.rotate(Some(json!({"expires_in_months": 12}))).await;
    let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(
        detail.starts_with("expires_in_months: Your administrator requires every token to expire within 6 months"),
        "{detail}"
    );
    let response = forever.rotate(None).await;
    let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(
        detail.contains("This token never expired, and your administrator requires"),
        "{detail}"
    );
    assert_eq!(
        forever.get(ME).await.status,
        StatusCode::OK,
        "refused rotations change nothing"
    );

    let (answer, rotated) = forever.rotated(json!({"expires_in_months": 6})).await;
    assert_eq!(answer["expires_at"], "2026-07-01T00:00:00Z");
    assert_eq!(rotated.get(ME).await.status, StatusCode::OK);
}
