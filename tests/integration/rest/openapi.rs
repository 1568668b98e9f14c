//! The OpenAPI document: public, and a description of every route.

use std::collections::BTreeSet;

use http::StatusCode;
use serde_json::json;
use tessera_tests::TestApp;
use tessera_tests::api::OPENAPI;

#[tokio::test]
async fn the_openapi_document_needs_no_token_and_describes_every_route() {
    let app = TestApp::new().await;

    let response = app.anonymous().get(OPENAPI).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.assert_json_content_type();
    let doc = response.json();
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let http_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = doc["paths"].as_object().expect("paths");
    let documented: BTreeSet<(&str, &str)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| http_methods.contains(&k.as_str()))
                .map(move |method| (path.as_str(), method.as_str()))
        })
        .collect();
    let expected: BTreeSet<(&str, &str)> = [
        ("/api/v1/me", "get"),
        ("/api/v1/entities", "get"),
        ("/api/v1/entities", "post"),
        ("/api/v1/entities/{id}", "get"),
        ("/api/v1/observables", "get"),
        ("/api/v1/observables", "post"),
        ("/api/v1/observables/{id}", "get"),
        ("/api/v1/tokens/current", "delete"),
        ("/api/v1/tokens/current/rotate", "post"),
        ("/api/v1/credentials/revoke", "post"),
    ]
    .into_iter()
    .collect();
    assert_eq!(documented, expected);
    // Reporting leaked tokens needs no token: it is for scanners and strangers.
    let report = &doc["paths"]["/api/v1/credentials/revoke"]["post"];
    assert_eq!(report["security"], json!([{}]), "{report}");
    assert!(report["responses"]["202"].is_object(), "{report}");
    for (path, method) in expected
        .iter()
        .filter(|(path, _)| !path.starts_with("/api/v1/credentials"))
    {
        let operation = &doc["paths"][path][method];
        assert_eq!(operation["security"], json!([{"bearer": []}]), "{method} {path}");
        assert!(operation["responses"]["401"].is_object(), "{method} {path}");
    }
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");

    // A bad token does not stand in the way either.
    let with_bad_token = app.bearer("tsr_nonsense").get(OPENAPI).await;
    assert_eq!(with_bad_token.status, StatusCode::OK);
    assert_eq!(with_bad_token.json(), doc);
}
