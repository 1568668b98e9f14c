//! The router in process, against DNS rebinding and its neighbours: a request must name one of
//! our hosts (421 otherwise, before any handler), a server-function call must come from one of
//! our origins (scheme and port included), HSTS is sent exactly when the server is reached over
//! https, and bodies over the limit are refused in the caller's own format.

use std::path::PathBuf;

use app::backend::accounts::NewAccount;
use app::backend::tokens::Pepper;
use app::backend::{AppState, Clock, Store};
use axum::Router;
use axum::body::Body;
use http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use server::router::WebOptions;
use tower::ServiceExt as _;

const PASSWORD: &str = "correct horse battery staple";
const SIGN_IN: &str = "username=alice&password=correct+horse+battery+staple";

/// A router on a fresh database with the user `alice`, a built client, and the options `make`
/// gives for that client folder.
struct Site {
    router: Router,
    _dir: tempfile::TempDir,
}

impl Site {
    async fn new(make: impl FnOnce(PathBuf) -> WebOptions) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display()))
            .await
            .expect("database");
        let state = AppState::new(store, Clock::system(), Pepper::generate());
        let account = NewAccount {
            username: "alice".into(),
            display_name: None,
            email: None,
            groups: Vec::new(),
            password: Some(PASSWORD.into()),
        };
        server::admin::create_user(&state, account, false, &mut Vec::new())
            .await
            .expect("alice");
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>Tessera</title>").expect("index");
        Self {
            router: server::router(state, &make(dist)),
            _dir: dir,
        }
    }

    /// Served as `tessera.test` over plain http.
    async fn plain() -> Self {
        Self::new(|dist| WebOptions {
            dist,
            allowed_hosts: vec!["tessera.test".parse().expect("host")],
            ..WebOptions::default()
        })
        .await
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("body").to_bytes();
        Answer {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn sign_in(host: &str, origin: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post("/rpc/sign_in")
        .header(header::HOST, host)
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.into())
        .expect("request")
}

fn get(host: &str, path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, host)
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn a_request_naming_a_foreign_host_gets_421_before_any_handler() {
    let site = Site::plain().await;

    // The rebinding attack itself: the attacker's name in Host, and a matching Origin.
    let signed_in = site
        .send(sign_in("rebind.attacker:3999", "http://rebind.attacker:3999", SIGN_IN))
        .await;
    assert_eq!(signed_in.status, StatusCode::MISDIRECTED_REQUEST, "{}", signed_in.body);
    assert_eq!(signed_in.header("set-cookie"), None);
    assert_eq!(signed_in.body, r#""Forbidden""#);

    let api = site.send(get("rebind.attacker:3999", "/api/v1/me")).await;
    assert_eq!(api.status, StatusCode::MISDIRECTED_REQUEST);
    let envelope: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(envelope["errors"][0]["code"], "misdirected_request", "{envelope}");

    let page = site.send(get("rebind.attacker:3999", "/")).await;
    assert_eq!(page.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(!page.body.contains("Tessera"), "{}", page.body);
    assert_eq!(page.header("x-frame-options"), Some("DENY"));

    // Our name on another port, and no name at all, are not ours either.
    assert_eq!(
        site.send(get("tessera.test:8080", "/")).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    let nameless = Request::get("/").body(Body::empty()).expect("request");
    assert_eq!(site.send(nameless).await.status, StatusCode::MISDIRECTED_REQUEST);

    // Our own name, however spelled, is served.
    for host in ["tessera.test", "TESSERA.test.", "tessera.test:80"] {
        let page = site.send(get(host, "/")).await;
        assert_eq!(page.status, StatusCode::OK, "{host}");
        assert!(page.body.contains("<title>Tessera</title>"), "{host}");
    }
}

#[tokio::test]
async fn the_health_check_answers_a_load_balancer_probing_by_address() {
    let site = Site::plain().await;
    let probe = site.send(get("10.0.0.5:3000", "/healthz")).await;
    assert_eq!(probe.status, StatusCode::OK);
    assert_eq!(probe.body, "ok\n");
}

#[tokio::test]
async fn a_server_function_call_from_our_host_with_another_scheme_or_port_is_refused() {
    let site = Site::plain().await;
    for origin in [
        "https://tessera.test",
        "http://tessera.test:8080",
        "http://tessera.test.evil.example",
        "null",
    ] {
        let answer = site.send(sign_in("tessera.test", origin, SIGN_IN)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{origin}: {}", answer.body);
        assert_eq!(answer.header("set-cookie"), None, "{origin}");
    }
    let ours = site.send(sign_in("tessera.test", "http://tessera.test", SIGN_IN)).await;
    assert_eq!(ours.status, StatusCode::OK, "{}", ours.body);
    assert!(ours.header("set-cookie").is_some());
}

#[tokio::test]
async fn a_public_url_serves_its_own_host_and_origin() {
    let site = Site::new(|dist| WebOptions {
        dist,
        public_url: Some("https://tessera.example.org".parse().expect("url")),
        ..WebOptions::default()
    })
    .await;
    for host in ["tessera.example.org", "tessera.example.org:443"] {
        assert_eq!(site.send(get(host, "/")).await.status, StatusCode::OK, "{host}");
    }
    assert_eq!(
        site.send(get("tessera.example.org:8443", "/")).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    let plain = site
        .send(sign_in("tessera.example.org", "http://tessera.example.org", SIGN_IN))
        .await;
    assert_eq!(plain.status, StatusCode::FORBIDDEN);
    let secure = site
        .send(sign_in("tessera.example.org", "https://tessera.example.org", SIGN_IN))
        .await;
    assert_eq!(secure.status, StatusCode::OK, "{}", secure.body);
    // An https public URL means secure cookies.
    let cookie = secure.header("set-cookie").expect("a cookie");
    assert!(cookie.starts_with("__Host-") && cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn hsts_is_on_every_response_when_served_over_https_and_never_otherwise() {
    let hsts = "max-age=63072000; includeSubDomains";
    let secure = Site::new(|dist| WebOptions {
        dist,
        cookie_secure: true,
        allowed_hosts: vec!["tessera.test".parse().expect("host")],
        ..WebOptions::default()
    })
    .await;
    let by_url = Site::new(|dist| WebOptions {
        dist,
        public_url: Some("https://tessera.test".parse().expect("url")),
        ..WebOptions::default()
    })
    .await;
    let plain = Site::plain().await;
    for (host, path) in [
        ("tessera.test", "/"),
        ("tessera.test", "/api/v1/me"),
        ("tessera.test", "/healthz"),
        ("rebind.attacker", "/"),
    ] {
        for site in [&secure, &by_url] {
            let answer = site.send(get(host, path)).await;
            assert_eq!(answer.header("strict-transport-security"), Some(hsts), "{host}{path}");
        }
        let answer = plain.send(get(host, path)).await;
        assert_eq!(answer.header("strict-transport-security"), None, "{host}{path}");
    }
    let signed_in = secure
        .send(sign_in("tessera.test", "https://tessera.test", SIGN_IN))
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert_eq!(signed_in.header("strict-transport-security"), Some(hsts));
}

#[tokio::test]
async fn a_body_over_a_mebibyte_is_refused_in_the_callers_format() {
    let site = Site::plain().await;
    let big = "x".repeat(1024 * 1024 + 1);

    // Declared too large: refused before anything reads it.
    let declared = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/entities")
        .header(header::HOST, "tessera.test")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big.clone()))
        .expect("request");
    let answer = site.send(declared).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.body.contains(r#""code":"payload_too_large""#), "{}", answer.body);

    // Not declared: cut while read.
    let streamed = site
        .send(sign_in(
            "tessera.test",
            "http://tessera.test",
            format!("{SIGN_IN}&pad={big}"),
        ))
        .await;
    assert_eq!(streamed.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", streamed.body);
    assert_eq!(streamed.header("set-cookie"), None);
}
