use axum::body::Body;
use http::{StatusCode, header};
use serde_json::json;
use tessera_tests::{HOST, PASSWORD, TestApp};

#[tokio::test]
async fn a_server_function_call_from_another_origin_is_refused() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let form = [("display_name", "Hacked"), ("email", "")];
    let request = app
        .rpc_request("update_profile", &form)
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("display_name=Hacked&email="))
        .expect("request");

    let response = app.send(request).await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.json(), json!("Forbidden"));
    assert_eq!(
        app.rpc("current_user", &[]).await.json()["display_name"],
        "alice display"
    );
}

#[tokio::test]
async fn a_call_the_browser_marks_cross_site_is_refused() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let request = app
        .rpc_request("sign_in", &[])
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!(
            "username=alice&password={}",
            PASSWORD.replace(' ', "+")
        )))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_same_origin_call_without_origin_header_is_accepted() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let request = app
        .rpc_request("sign_in", &[])
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(format!(
            "username=alice&password={}",
            PASSWORD.replace(' ', "+")
        )))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn server_functions_only_answer_post() {
    let app = TestApp::new().await;
    let response = app.get("/rpc/current_user").await;
    assert_ne!(response.status, StatusCode::OK, "{}", response.text());
    assert!(!response.text().contains("username"));
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_deep_links_serve_the_client() {
    let app = TestApp::new().await;
    for path in ["/", "/profile", "/profile/edit", "/login?next=%2Fprofile"] {
        let response = app.get(path).await;
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
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.text(), "ok\n");
    let _ = HOST;
}
