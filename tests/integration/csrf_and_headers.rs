//! Server functions answer same-origin POSTs only; every page carries the security headers.

use app::server_fns::session::{CurrentUser, SignIn};
use http::{HeaderValue, StatusCode, header};
use serde_json::json;
use server_fn::ServerFn as _;
use tessera_tests::{PASSWORD, TestApp, update_profile};

/// Alice signs in with no `Origin` header and `Sec-Fetch-Site: site`; answers the status.
async fn sign_in_marked(site: &'static str) -> StatusCode {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let visitor = app.anonymous();
    let mut request = visitor.call_request(&SignIn {
        username: "alice".to_owned(),
        password: PASSWORD.to_owned().into(),
    });
    request
        .headers_mut()
        .insert("sec-fetch-site", HeaderValue::from_static(site));
    visitor.send(request).await.status
}

#[tokio::test]
async fn a_server_function_call_from_another_origin_is_refused() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let mut request = alice.call_request(&update_profile("Hacked", ""));
    let evil = HeaderValue::from_static("https://evil.example");
    request.headers_mut().insert(header::ORIGIN, evil);

    let response = alice.send(request).await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.json(), json!("Forbidden"));
    assert_eq!(alice.current_user().await["display_name"], "alice display");
}

#[tokio::test]
async fn a_call_the_browser_marks_cross_site_is_refused() {
    assert_eq!(sign_in_marked("cross-site").await, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_same_origin_call_without_origin_header_is_accepted() {
    assert_eq!(sign_in_marked("same-origin").await, StatusCode::OK);
}

#[tokio::test]
async fn server_functions_only_answer_post() {
    let app = TestApp::new().await;
    let response = app.anonymous().get(CurrentUser::PATH).await;
    assert_ne!(response.status, StatusCode::OK, "{}", response.text());
    assert!(!response.text().contains("username"));
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_deep_links_serve_the_client() {
    let app = TestApp::new().await;
    // The sign-in page is the server's own, under the same headers (see `login_page`).
    for path in ["/", "/profile", "/profile/edit", "/no/such/page"] {
        let response = app.anonymous().get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(response.text().contains("<title>Tessera</title>"), "{path}");
        let csp = response.header("content-security-policy").expect("CSP");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(response.header("x-frame-options"), Some("DENY"));
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            response.header("referrer-policy"),
            Some("strict-origin-when-cross-origin")
        );
    }
}

#[tokio::test]
async fn the_health_check_answers_ok() {
    let app = TestApp::new().await;
    let response = app.anonymous().get("/healthz").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.text(), "ok\n");
}
