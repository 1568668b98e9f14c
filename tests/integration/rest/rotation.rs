//! `POST /api/v1/tokens/current/rotate`: a token replaces its own value; the old value keeps
//! working for a grace period with `Deprecation` and `Sunset`, a replaced value asking to
//! rotate revokes the token, and of rotations racing exactly one happens.

use std::collections::BTreeSet;

use chrono::Duration;
use http::{Method, StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::api::{ME, ROTATE, assert_invalid_token};
use tessera_tests::{TestApp, assert_error, at};

/// The `Sunset` header's HTTP date for an RFC 3339 instant.
fn http_date(instant: &str) -> String {
    at(instant).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn a_rotated_token_keeps_what_it_was_and_its_old_value_works_for_an_hour() {
    let (app, alice, _) = TestApp::with_token("alice").await;
    let created = alice.create_token("nightly sync", "6", "").await;
    let old = app.bearer(created["secret"].as_str().expect("a secret"));
    old.create_entity("before the rotation").await;
    app.clock.set(at("2026-01-11T00:00:00Z"));

    let response = old.rotate(None).await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    response.assert_json_content_type();
    let answer = response.json();
    assert_eq!(
        keys(&answer),
        BTreeSet::from(["id", "name", "token", "expires_at", "old_value_valid_until"])
    );
    assert_eq!(answer["id"], created["token"]["id"]);
    assert_eq!(answer["name"], "nightly sync");
    // The same length as before (181 days), from now; the old value gets the default hour.
    assert_eq!(answer["expires_at"], "2026-07-11T00:00:00Z");
    assert_eq!(answer["old_value_valid_until"], "2026-01-11T01:00:00Z");
    let secret = answer["token"].as_str().expect("a new value");
    assert_ne!(secret, old.token());

    let new = app.bearer(secret);
    let me = new.get(ME).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["token"]["id"], created["token"]["id"]);
    assert_eq!(me.json()["token"]["access"], "read_write");
    assert_eq!(me.header("deprecation"), None);
    assert_eq!(me.header("tessera-token-expires"), Some("2026-07-11T00:00:00Z"));

    // The old value still works, and says it is deprecated and when it stops.
    let with_old = old.get(ME).await;
    assert_eq!(with_old.status, StatusCode::OK, "{}", with_old.text());
    let rotated_at = at("2026-01-11T00:00:00Z").timestamp();
    assert_eq!(with_old.header("deprecation"), Some(format!("@{rotated_at}").as_str()));
    assert_eq!(
        with_old.header("sunset"),
        Some(http_date("2026-01-11T01:00:00Z").as_str())
    );
    old.create_entity("during the grace period").await;

    // The list keeps the token, with the new value's hint and its history (signed in again:
    // ten days idle ended the session).
    alice.sign_in_as("alice").await;
    let listed = alice.tokens().await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    let token = listed
        .iter()
        .find(|t| t["id"] == created["token"]["id"])
        .expect("still listed");
    assert_eq!(token["hint"], secret[secret.len() - 4..]);
    assert_eq!(token["entities"], 2);
    assert_eq!(token["created_at"], created["token"]["created_at"]);
    assert_eq!(token["old_value_until"], "2026-01-11T01:00:00Z");

    app.clock.set(at("2026-01-11T00:59:59.999Z"));
    assert_eq!(old.get(ME).await.status, StatusCode::OK);
    app.clock.set(at("2026-01-11T01:00:00Z"));
    assert_invalid_token(&app, &old.get(ME).await).await;
    assert_eq!(new.get(ME).await.status, StatusCode::OK);
    let listed = alice.tokens().await;
    assert!(listed.iter().all(|t| t["old_value_until"].is_null()), "{listed:?}");
}

#[tokio::test]
async fn grace_and_expiry_can_be_chosen_and_never_outlive_their_bounds() {
    let (app, alice, never) = TestApp::with_token("alice").await;
    // A grace of 0 ends the old value at once, even where it was just verified.
    assert_eq!(never.get(ME).await.status, StatusCode::OK);
    let (answer, renewed) = never.rotated(json!({"grace": "0", "expires_in_months": 24})).await;
    assert_eq!(answer["old_value_valid_until"], "2026-01-01T00:00:00Z");
    assert_eq!(answer["expires_at"], "2028-01-01T00:00:00Z");
    assert_invalid_token(&app, &never.get(ME).await).await;
    assert_eq!(renewed.get(ME).await.status, StatusCode::OK);

    // A token that never expired keeps never expiring by default.
    let forever = app.bearer(
        alice.create_token("forever", "never", "").await["secret"]
            .as_str()
            .expect("a secret"),
    );
    let (answer, _) = forever.rotated(json!({})).await;
    assert_eq!(answer["expires_at"], Value::Null);

    // Seven days of grace for a value that expires in three: the grace ends with it.
    let soon = alice.create_token("soon", "exact", "2026-01-04T00:00:00Z").await;
    let soon = app.bearer(soon["secret"].as_str().expect("a secret"));
    let (answer, _) = soon.rotated(json!({"grace": "7d"})).await;
    assert_eq!(answer["old_value_valid_until"], "2026-01-04T00:00:00Z");
    assert_eq!(
        answer["expires_at"], "2026-01-04T00:00:00Z",
        "three days, the same length"
    );
}

#[tokio::test]
async fn bad_rotation_requests_say_what_to_fix_and_change_nothing() {
    let (app, _, token) = TestApp::with_token("alice").await;
    for (body, code, words) in [
        (
            json!({"grace": "2h"}),
            "invalid_field",
            "grace: Choose how long the old value keeps working: \"0\", \"1h\", \"24h\" or \"7d\"",
        ),
        (json!({"grace": 1}), "invalid_body", "expected a string"),
        (
            json!({"expires_in_months": 5}),
            "invalid_field",
            "expires_in_months from 2, 6, 12 or 24",
        ),
        (
            json!({"expires_in_months": -2}),
            "invalid_field",
            "expires_in_months from 2, 6, 12 or 24",
        ),
        (json!({"expires_in_months": "6"}), "invalid_body", "expected i64"),
        (
            json!({"access": "read_write"}),
            "invalid_body",
            "unknown field `access`",
        ),
        (json!({"source": 1}), "source_not_allowed", "source"),
        (json!([]), "invalid_body", "JSON object"),
    ] {
        let response = token.rotate(Some(body.clone())).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, code);
        assert!(detail.contains(words), "{body}: {detail}");
    }
    let not_json = token
        .request(Method::POST, ROTATE)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from("grace=1h"))
        .expect("request");
    assert_error(
        &token.send(not_json).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    let malformed = token
        .request(Method::POST, ROTATE)
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from("{\"grace\":"))
        .expect("request");
    assert_error(&token.send(malformed).await, StatusCode::BAD_REQUEST, "malformed_json");
    assert_error(
        &app.anonymous().rotate(None).await,
        StatusCode::UNAUTHORIZED,
        "missing_credentials",
    );

    // Still the same value, never rotated.
    let me = token.get(ME).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.header("deprecation"), None);
    let stored = app.stored_token(token.token()).await.expect("stored");
    assert!(stored.current);
    assert_eq!(stored.previous_valid_until, None);
}

#[tokio::test]
async fn a_replaced_value_asking_to_rotate_revokes_the_whole_token() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let (_, new) = token.rotated(json!({"grace": "24h"})).await;

    let reuse = token.rotate(None).await;

    let detail = assert_error(&reuse, StatusCode::CONFLICT, "already_rotated");
    assert!(detail.contains("revoked"), "{detail}");
    assert_invalid_token(&app, &token.get(ME).await).await;
    assert_invalid_token(&app, &new.get(ME).await).await;
    assert!(alice.tokens().await.is_empty());
}

#[tokio::test]
async fn rotating_again_ends_the_value_before_at_once() {
    let (app, _, first) = TestApp::with_token("alice").await;
    let (_, second) = first.rotated(json!({"grace": "7d"})).await;
    assert_eq!(first.get(ME).await.status, StatusCode::OK);
    app.clock.advance(Duration::minutes(5));

    let (_, third) = second.rotated(json!({"grace": "1h"})).await;

    assert_invalid_token(&app, &first.get(ME).await).await;
    let with_second = second.get(ME).await;
    assert_eq!(with_second.status, StatusCode::OK);
    assert_eq!(
        with_second.header("sunset"),
        Some(http_date("2026-01-01T01:05:00Z").as_str())
    );
    assert_eq!(third.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_read_only_token_rotates_into_a_read_only_token() {
    let (app, alice) = TestApp::with_user("alice").await;
    let reader = alice.new_token_with_access("reader", "read").await;

    let (_, renewed) = reader.rotated(json!({})).await;

    assert_eq!(renewed.get(ME).await.json()["token"]["access"], "read");
    let refused = renewed
        .post("/api/v1/entities", json!({"type": "report", "title": "x"}))
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "insufficient_scope");
    drop(app);
}

#[tokio::test]
async fn of_rotations_racing_exactly_one_happens() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let id = token.token_id().await;

    let answers = futures::future::join_all((0..6).map(|_| token.rotate(None))).await;

    let won: Vec<&_> = answers.iter().filter(|r| r.status == StatusCode::CREATED).collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let mut saw_reuse = false;
    for lost in answers.iter().filter(|r| r.status != StatusCode::CREATED) {
        let detail = assert_error(lost, StatusCode::CONFLICT, "already_rotated");
        saw_reuse |= detail.contains("revoked");
    }
    // A request that checked its value after the winner had replaced it presented a replaced
    // value: that revokes the token. Otherwise the winner's value is the one that works.
    let winner = app.bearer(won[0].json()["token"].as_str().expect("a value"));
    if saw_reuse {
        assert_invalid_token(&app, &winner.get(ME).await).await;
        assert!(alice.tokens().await.is_empty());
    } else {
        assert_eq!(winner.token_id().await, id);
    }
}
