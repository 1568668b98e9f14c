//! The built client is served compressed as the browser asks, hashed files cached for a year,
//! the page itself revalidated.

use axum::body::Body;
use http::{StatusCode, header};
use tessera_tests::{HOST, TestApp};

fn get(path: &str, accept_encoding: Option<&str>) -> http::Request<Body> {
    let mut request = http::Request::get(path).header(header::HOST, HOST);
    if let Some(encodings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encodings);
    }
    request.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn hashed_files_come_compressed_as_asked_and_cached_for_a_year() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let dist = app.dist();
    let script = "export function start() { console.log('tessera'); }\n".repeat(100);
    std::fs::write(dist.join("app-0123456789abcdef.js"), &script).expect("write");
    assert_eq!(server::assets::precompress(&dist).expect("compress"), 1);

    let br = visitor
        .send(get("/app-0123456789abcdef.js", Some("gzip, deflate, br")))
        .await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert!(br.body.len() < script.len() / 10, "{} bytes", br.body.len());
    assert_eq!(br.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert!(
        br.header("vary")
            .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    );

    let gzip = visitor.send(get("/app-0123456789abcdef.js", Some("gzip"))).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let plain = visitor.send(get("/app-0123456789abcdef.js", None)).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, script.as_bytes());
}

#[tokio::test]
async fn the_page_and_deep_links_are_revalidated_and_a_conditional_reload_gets_304() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    for path in ["/", "/index.html", "/profile/edit"] {
        let response = visitor.send(get(path, Some("br"))).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
        let modified = response.header("last-modified").expect("Last-Modified").to_owned();
        let again = http::Request::get(path)
            .header(header::HOST, HOST)
            .header(header::IF_MODIFIED_SINCE, modified)
            .body(Body::empty())
            .expect("request");
        assert_eq!(visitor.send(again).await.status, StatusCode::NOT_MODIFIED, "{path}");
    }
}
