//! `POST /api/v1/credentials/revoke`: anyone may report leaked tokens; every valid one is
//! revoked at once and its owner told, and the answer never says which were valid.

use app::backend::tokens::exposure::REPORTS_PER_MINUTE;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Method, StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::api::{ME, assert_invalid_token};
use tessera_tests::backend::PlainToken;
use tessera_tests::{Client, TestApp, TestResponse, assert_error};

const REVOKE: &str = "/api/v1/credentials/revoke";

async fn report_from(client: &Client, peer: &str, body: &str) -> TestResponse {
    let mut request = client
        .request(Method::POST, REVOKE)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    let peer: std::net::SocketAddr = peer.parse().expect("an address");
    request.extensions_mut().insert(ConnectInfo(peer));
    client.send(request).await
}

#[tokio::test]
async fn reported_tokens_are_revoked_and_the_answer_is_the_same_whichever_were_valid() {
    let (app, alice, leaked) = TestApp::with_token("alice").await;
    let kept = alice.new_token("kept").await;
    let bob = app.signed_in("bob", &["Threat Research"]).await;
    let bobs = bob.new_token("bob's").await;
    let scanner = app.anonymous();

    let with_valid = scanner
        .post(
            REVOKE,
            json!({"tokens": [leaked.token(), bobs.token(), PlainToken::generate().expose(), "not a token", leaked.token()]}),
        )
        .await;
    let without_valid = scanner
        .post(
            REVOKE,
            json!({"tokens": [PlainToken::generate().expose(), "tsr_short"]}),
        )
        .await;

    assert_eq!(with_valid.status, StatusCode::ACCEPTED, "{}", with_valid.text());
    assert_eq!(with_valid.json(), json!({"received": 5}));
    assert_eq!(without_valid.status, StatusCode::ACCEPTED);
    assert_eq!(without_valid.json(), json!({"received": 2}));
    assert_invalid_token(&app, &leaked.get(ME).await).await;
    assert_invalid_token(&app, &bobs.get(ME).await).await;
    assert_eq!(kept.get(ME).await.status, StatusCode::OK);

    // The owners are told, until they dismiss it.
    let exposed = &alice.profile().await.exposed_tokens;
    assert_eq!(exposed.len(), 1, "{exposed:?}");
    assert_eq!(exposed[0].name, "alice's token");
    assert_eq!(exposed[0].revoked_at, app.clock.now());
    assert_eq!(bob.profile().await.exposed_tokens.len(), 1);
    let dismissed = alice
        .call(app::server_fns::leaks::DismissExposure { id: exposed[0].id })
        .await;
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.text());
    assert!(alice.profile().await.exposed_tokens.is_empty());
    let again = alice
        .call(app::server_fns::leaks::DismissExposure { id: exposed[0].id })
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    // Someone else cannot dismiss bob's notice.
    let id = bob.profile().await.exposed_tokens[0].id;
    assert_eq!(
        alice.call(app::server_fns::leaks::DismissExposure { id }).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn findings_in_a_scanners_list_form_are_accepted_and_a_value_in_its_grace_period_counts() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let (_, renewed) = token.rotated(json!({"grace": "24h"})).await;

    let response = app
        .anonymous()
        .post(
            REVOKE,
            json!([{"token": token.token(), "type": "tessera_api_token", "url": "https://example.org/paste/1", "source": "content"}]),
        )
        .await;

    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.text());
    assert_eq!(response.json(), json!({"received": 1}));
    // The leaked value was the old one, but the token it opens is the same: all of it goes.
    assert_invalid_token(&app, &renewed.get(ME).await).await;
}

#[tokio::test]
async fn bad_reports_are_refused_with_what_to_fix() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let scanner = app.anonymous();
    for (body, words) in [
        ("{\"tokens\":", "not valid JSON"),
        ("\"tsr_x\"", "JSON object or a list"),
        ("{\"tokens\":\"tsr_x\"}", "\"tokens\", a list of strings"),
        ("{}", "\"tokens\""),
        ("[{\"url\":\"https://example.org\"}]", "\"token\""),
    ] {
        let response = report_from(&scanner, "192.0.2.1:1000", body).await;
        let detail = assert_error(&response, StatusCode::BAD_REQUEST, "malformed_report");
        assert!(detail.contains(words), "{body}: {detail}");
    }
    let too_many: Vec<String> = (0..1001).map(|_| "x".to_owned()).collect();
    let response = report_from(&scanner, "192.0.2.2:1000", &json!({"tokens": too_many}).to_string()).await;
    assert!(assert_error(&response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").contains("1000"));
    let huge = json!({"tokens": ["x".repeat(70 * 1024)]}).to_string();
    let response = report_from(&scanner, "192.0.2.3:1000", &huge).await;
    assert!(assert_error(&response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").contains("64 KB"));
    let not_json = scanner
        .request(Method::POST, REVOKE)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(token.token().to_owned()))
        .expect("request");
    assert_error(
        &scanner.send(not_json).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    // None of that revoked anything.
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn reports_are_limited_per_client_address() {
    let app = TestApp::new().await;
    let scanner = app.anonymous();
    let body = json!({"tokens": [PlainToken::generate().expose()]}).to_string();
    for i in 0..REPORTS_PER_MINUTE {
        // Addresses in one IPv6 /64 count as one.
        let response = report_from(&scanner, &format!("[2001:db8:1:2::{:x}]:443", i + 1), &body).await;
        assert_eq!(response.status, StatusCode::ACCEPTED, "{i}: {}", response.text());
    }

    let refused = report_from(&scanner, "[2001:db8:1:2::ffff]:443", &body).await;

    assert_error(&refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(refused.header("retry-after").is_some());
    let elsewhere = report_from(&scanner, "[2001:db8:1:3::1]:443", &body).await;
    assert_eq!(elsewhere.status, StatusCode::ACCEPTED);
    let _: Value = elsewhere.json();
}
