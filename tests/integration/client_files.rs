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
async fn the_lazily_loaded_chunks_and_their_loader_come_typed_compressed_and_cached_for_a_year() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let dist = app.dist();
    // Names as scripts/split-client.sh gives them: the stem, then a hash of the content.
    let wasm: Vec<u8> = (0..4_000u32).flat_map(|i| (i % 7).to_le_bytes()).collect();
    let loader = "export const __wasm_split_load_page = wrapAsyncCb(makeLoad(fetcher, []));\n".repeat(40);
    let files = [
        (
            "/split_account_page_5785390819607051345-985d3e9afe64c114.wasm",
            wasm.as_slice(),
            "application/wasm",
        ),
        ("/chunk_14-50d5ea6fa151db4d.wasm", wasm.as_slice(), "application/wasm"),
        (
            "/__wasm_split-15ec5af5fc586e73.js",
            loader.as_bytes(),
            "text/javascript",
        ),
    ];
    for (path, bytes, _) in files {
        std::fs::write(dist.join(path.trim_start_matches('/')), bytes).expect("write");
    }
    assert_eq!(server::assets::precompress(&dist).expect("compress"), files.len());

    for (path, bytes, content_type) in files {
        let br = visitor.send(get(path, Some("gzip, deflate, br"))).await;
        assert_eq!(br.status, StatusCode::OK, "{path}");
        assert_eq!(br.header("content-type"), Some(content_type), "{path}");
        assert_eq!(br.header("content-encoding"), Some("br"), "{path}");
        assert!(br.body.len() < bytes.len() / 10, "{path}: {} bytes", br.body.len());
        assert_eq!(
            br.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        let plain = visitor.send(get(path, None)).await;
        assert_eq!(plain.header("content-type"), Some(content_type), "{path}");
        assert_eq!(plain.body, bytes, "{path}");
    }
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

#[tokio::test]
async fn the_page_comes_compressed_as_asked_and_whole_to_a_client_that_asks_for_nothing() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let page = format!("<!DOCTYPE html><title>Tessera</title>{}", "<p>text</p>".repeat(300));
    std::fs::write(app.dist().join("index.html"), &page).expect("write");

    for (asked, encoding) in [
        (None, None),
        (Some("identity"), None),
        (Some("gzip, deflate, br"), Some("br")),
        (Some("br;q=0, gzip"), Some("gzip")),
        (Some("*;q=0"), None),
    ] {
        let response = visitor.send(get("/", asked)).await;
        assert_eq!(response.status, StatusCode::OK, "{asked:?}");
        assert_eq!(response.header("content-encoding"), encoding, "{asked:?}");
        assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
        if encoding.is_none() {
            assert_eq!(response.body, page.as_bytes(), "{asked:?}");
        } else {
            assert!(response.body.len() < page.len() / 10, "{asked:?}");
        }
    }
}

#[tokio::test]
async fn the_page_has_an_etag_per_encoding_and_a_matching_request_gets_304() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let conditional = |path: &str, encoding: &str, tag: &str| {
        http::Request::get(path)
            .header(header::HOST, HOST)
            .header(header::ACCEPT_ENCODING, encoding)
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .expect("request")
    };
    let plain = visitor.send(get("/", None)).await;
    let br = visitor.send(get("/", Some("br"))).await;
    let (plain_tag, br_tag) = (
        plain.header("etag").expect("an ETag").to_owned(),
        br.header("etag").expect("an ETag").to_owned(),
    );
    assert!(plain_tag.starts_with('"') && plain_tag.ends_with('"'), "{plain_tag}");
    assert_ne!(plain_tag, br_tag, "each encoding is its own representation");

    for path in ["/", "/index.html", "/profile/edit"] {
        let unchanged = visitor.send(conditional(path, "br", &br_tag)).await;
        assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(unchanged.header("etag"), Some(br_tag.as_str()), "{path}");
        assert_eq!(unchanged.header("cache-control"), Some("no-cache"), "{path}");
        assert!(unchanged.body.is_empty());
        let listed = visitor
            .send(conditional(path, "br", &format!("\"other\", W/{br_tag}")))
            .await;
        assert_eq!(listed.status, StatusCode::NOT_MODIFIED, "{path}");
        let other_encoding = visitor.send(conditional(path, "identity", &br_tag)).await;
        assert_eq!(other_encoding.status, StatusCode::OK, "{path}");
    }
    std::fs::write(
        app.dist().join("index.html"),
        "<!DOCTYPE html><title>Tessera, rebuilt</title>",
    )
    .expect("write");
    let changed = visitor.send(conditional("/", "br", &br_tag)).await;
    assert_eq!(changed.status, StatusCode::OK, "a new page is sent whole");
    assert_ne!(changed.header("etag"), Some(br_tag.as_str()));
}

#[tokio::test]
async fn an_unknown_path_gets_the_page_revalidated_but_a_missing_hashed_file_gets_404() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    // Deep links, also one whose last part looks like a file's hash (a username may).
    for path in ["/no/such/page", "/profile/svc-0123456789abcdef"] {
        let response = visitor.send(get(path, None)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(response.text().contains("<title>Tessera</title>"), "{path}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
    }
    // A chunk of an earlier build, asked for by a tab opened before a rebuild: never the page
    // (which would fail to load as code), and nothing a cache keeps.
    for path in [
        "/app-0123456789abcdef.js",
        "/chunk_7-0123456789abcdef.wasm",
        "/split___x_view-0123456789abcdef.wasm",
    ] {
        let response = visitor.send(get(path, Some("br, gzip"))).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(response.text().contains("reload the page"), "{path}");
        assert_eq!(response.header("cache-control"), Some("no-store"), "{path}");
    }
}

#[tokio::test]
async fn a_range_of_the_wasm_is_cut_from_the_file_itself_whatever_the_encoding_asked() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let dist = app.dist();
    let wasm: Vec<u8> = (0..20_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
    std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), &wasm).expect("write");
    server::assets::precompress(&dist).expect("compress");

    for (range, start, end) in [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=-10", wasm.len() - 10, wasm.len() - 1),
    ] {
        for asked in [None, Some("br, gzip")] {
            let request = http::Request::get("/app-0123456789abcdef_bg.wasm")
                .header(header::HOST, HOST)
                .header(header::RANGE, range);
            let request = match asked {
                Some(encodings) => request.header(header::ACCEPT_ENCODING, encodings),
                None => request,
            };
            let response = visitor.send(request.body(Body::empty()).expect("request")).await;
            assert_eq!(response.status, StatusCode::PARTIAL_CONTENT, "{range} {asked:?}");
            assert_eq!(response.header("content-encoding"), None, "{range} {asked:?}");
            let expected = format!("bytes {start}-{end}/{}", wasm.len());
            assert_eq!(response.header("content-range"), Some(expected.as_str()));
            assert_eq!(response.body, &wasm[start..=end], "{range} {asked:?}");
        }
    }
}

fn sha256_source(script: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script))
    )
}

#[tokio::test]
async fn a_rebuilt_page_is_served_with_the_hash_of_its_own_start_up_script() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let page = |script: &str| format!("<!DOCTYPE html><title>Tessera</title><script type=\"module\">{script}</script>");
    let (before, after) = (
        "import init from '/app-1111111111111111.js'; init();",
        "import init from '/app-2222222222222222.js';\ninit('/app-2222222222222222_bg.wasm');",
    );
    std::fs::write(app.dist().join("index.html"), page(before)).expect("write");
    let csp =
        |response: &tessera_tests::TestResponse| response.header("content-security-policy").expect("CSP").to_owned();
    assert!(csp(&visitor.send(get("/", None)).await).contains(&sha256_source(before)));

    // Trunk writes a new page while the server runs.
    std::fs::write(app.dist().join("index.html"), page(after)).expect("write");
    for path in ["/", "/index.html", "/profile/edit"] {
        let response = visitor.send(get(path, Some("br"))).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        let policy = csp(&response);
        assert!(policy.contains(&sha256_source(after)), "{path}: {policy}");
        assert!(!policy.contains(&sha256_source(before)), "{path}: {policy}");
    }
    let plain = visitor.send(get("/", None)).await;
    assert_eq!(plain.body, page(after).as_bytes(), "the page served is the new one");
    let api = visitor.get("/api/v1/none").await;
    assert!(
        csp(&api).contains(&sha256_source(after)),
        "other answers follow the page too"
    );
}
