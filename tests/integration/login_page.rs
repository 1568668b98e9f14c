//! The sign-in page the server writes: a plain form that posts to `/login`, redirects once
//! signed in, and shows each refusal by the field it belongs to.

use app::server_fns::session::CurrentUser;
use chrono::Duration;
use http::{Method, StatusCode, header};
use tessera_tests::{Client, HOST, PASSWORD, TestApp};

/// A new app where alice (in no group) exists, and a visitor who has not signed in.
async fn alice_and_a_visitor() -> (TestApp, Client) {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let visitor = app.anonymous();
    (app, visitor)
}

/// Whether `client` is signed in, as the client would ask.
async fn is_signed_in(client: &Client) -> bool {
    !client.call(CurrentUser {}).await.json().is_null()
}

#[tokio::test]
async fn the_page_is_a_form_with_no_script_under_the_security_headers_and_never_stored() {
    let app = TestApp::new().await;
    let response = app.anonymous().get("/login?next=%2Fprofile").await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
    let page = response.text();
    assert!(page.contains("<title>Sign in · Tessera</title>"), "{page}");
    assert!(
        page.contains(r#"<form class="card narrow" method="post" novalidate>"#),
        "{page}"
    );
    for input in [
        r#"<input id="username" name="username" type="text" autocomplete="username" required autofocus"#,
        r#"<input id="password" name="password" type="password" autocomplete="current-password" required"#,
    ] {
        assert!(page.contains(input), "{input} in {page}");
    }
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("role=\"alert\""), "{page}");
    let csp = response.header("content-security-policy").expect("CSP");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("'sha256-"), "no inline script is allowed: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(response.header("x-frame-options"), Some("DENY"));
    // Going back to the page must not show what was typed in it.
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let request = app
        .anonymous()
        .request(Method::GET, "/login")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(axum::body::Body::empty())
        .expect("request");
    let compressed = app.anonymous().send(request).await;
    assert_eq!(compressed.header("content-encoding"), Some("br"));
    assert!(
        compressed.body.len() < page.len(),
        "{} of {}",
        compressed.body.len(),
        page.len()
    );
}

#[tokio::test]
async fn the_page_links_the_clients_stylesheet_and_prefetches_what_my_profile_needs() {
    let app = TestApp::new().await;
    std::fs::write(
        app.dist().join("index.html"),
        concat!(
            "<!DOCTYPE html><html><head><title>Tessera</title>",
            r#"<link rel="stylesheet" href="/main-5e.css" integrity="sha384-abc" crossorigin="anonymous"/>"#,
            r#"<link rel="modulepreload" href="/app-9f.js" crossorigin="anonymous" integrity="sha384-def">"#,
            r#"<link rel="preload" href="/app-9f_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">"#,
            r#"<meta name="tessera-after-sign-in" content="/split_account_page_1-aa.wasm /chunk_2-bb.wasm">"#,
            r#"<script type="module">import init from '/app-9f.js'; await init();</script></head></html>"#,
        ),
    )
    .expect("a rebuilt client");

    let page = app.anonymous().get("/login").await.text();

    assert!(
        page.contains(r#"<link rel="stylesheet" href="/main-5e.css" integrity="sha384-abc" crossorigin="anonymous"/>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<link rel="prefetch" href="/app-9f.js" crossorigin="anonymous">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<link rel="prefetch" href="/app-9f_bg.wasm" crossorigin="anonymous">"#),
        "{page}"
    );
    assert!(!page.contains("<script"), "{page}");
}

#[tokio::test]
async fn the_right_password_starts_a_new_session_and_goes_where_the_person_was_going() {
    let (app, visitor) = alice_and_a_visitor().await;

    let response = visitor
        .post_sign_in_form("?next=%2Fprofile%2Fedit%3Ftab%3Dtokens", "Alice", PASSWORD)
        .await;

    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    assert_eq!(response.header("location"), Some("/profile/edit?tab=tokens"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let cookie = response.header("set-cookie").expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(visitor.profile().await.username, "alice");

    // Signing in again gives a new session id; the old one is over.
    let old = app.with_cookie(visitor.cookie().expect("a cookie"));
    let again = visitor.post_sign_in_form("", "alice", PASSWORD).await;
    assert_eq!(again.header("location"), Some("/profile"));
    assert_ne!(visitor.cookie(), old.cookie());
    assert!(is_signed_in(&visitor).await);
    assert!(!is_signed_in(&old).await);
}

#[tokio::test]
async fn next_is_followed_only_to_a_path_on_this_site() {
    let (app, _) = alice_and_a_visitor().await;
    for (query, location) in [
        ("?next=https%3A%2F%2Fevil.example", "/profile"),
        ("?next=%2F%2Fevil.example", "/profile"),
        ("?next=%2F%5Cevil.example", "/profile"),
        ("?next=%2Flogin", "/profile"),
        ("?next=%2Fdata&next=%2Fprofile%2Fedit", "/profile"),
        ("?next=%2Fdata", "/data"),
    ] {
        let visitor = app.anonymous();
        let response = visitor.post_sign_in_form(query, "alice", PASSWORD).await;
        assert_eq!(response.header("location"), Some(location), "{query}");
        // Someone signed in who opens the page goes the same way.
        let shown = visitor.get(&format!("/login{query}")).await;
        assert_eq!(shown.status, StatusCode::SEE_OTHER, "{query}");
        assert_eq!(shown.header("location"), Some(location), "{query}");
        assert_eq!(shown.header("cache-control"), Some("no-store"), "{query}");
    }
    // A path beyond ASCII goes out percent-encoded.
    let response = app
        .anonymous()
        .post_sign_in_form("?next=%2Fadmin%2Fusers%2Fj%C3%BCrgen", "alice", PASSWORD)
        .await;
    assert_eq!(response.header("location"), Some("/admin/users/j%C3%BCrgen"));
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_with_the_username_and_without_the_password() {
    let (_app, visitor) = alice_and_a_visitor().await;

    let response = visitor
        .post_sign_in_form("?next=%2Fdata", "alice", "not the password at all")
        .await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert!(response.header("set-cookie").is_none());
    let page = response.text();
    assert!(
        page.contains(r#"<p class="alert" role="alert" tabindex="-1" autofocus>Incorrect username or password.</p>"#),
        "{page}"
    );
    assert!(page.contains(r#"value="alice""#), "{page}");
    assert!(!page.contains("not the password"), "{page}");
    assert_eq!(page.matches(" autofocus").count(), 1, "{page}");
    assert!(!is_signed_in(&visitor).await);
}

#[tokio::test]
async fn an_empty_field_is_refused_by_that_field() {
    let (_app, visitor) = alice_and_a_visitor().await;

    let response = visitor.post_sign_in_form("", "", "whatever").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text();
    assert!(
        page.contains(concat!(
            r#"autofocus aria-invalid="true" aria-describedby="username-error">"#,
            r#"<p class="field-error" id="username-error">Enter your username.</p>"#
        )),
        "{page}"
    );
    assert!(!page.contains("role=\"alert\""), "{page}");

    let page = visitor.post_sign_in_form("", "alice", "").await.text();
    assert!(
        page.contains(r#"<p class="field-error" id="password-error">"#),
        "{page}"
    );
    assert!(page.contains(r#"value="alice""#), "{page}");
}

#[tokio::test]
async fn a_form_that_is_not_a_form_gets_a_message_not_a_crash() {
    let (_app, visitor) = alice_and_a_visitor().await;
    let request = visitor
        .request(Method::POST, "/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, format!("http://{HOST}"))
        .body(axum::body::Body::from(r#"{"username":"alice"}"#))
        .expect("request");

    let response = visitor.send(request).await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.text().contains("The sign-in form was not sent as a form."),
        "{}",
        response.text()
    );
}

#[tokio::test]
async fn what_was_typed_comes_back_escaped() {
    let (_app, visitor) = alice_and_a_visitor().await;

    let page = visitor
        .post_sign_in_form("", "\"><script>alert(1)</script>", "a password")
        .await
        .text();

    assert!(!page.contains("<script"), "{page}");
    assert!(
        page.contains(r#"value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
        "{page}"
    );
}

#[tokio::test]
async fn guessing_is_throttled_with_retry_after_like_every_sign_in() {
    let (app, visitor) = alice_and_a_visitor().await;
    for _ in 0..5 {
        let response = visitor.post_sign_in_form("", "alice", "wrong").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    let throttled = visitor.post_sign_in_form("", "alice", PASSWORD).await;

    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let retry = throttled.retry_after();
    assert!((1..=901).contains(&retry), "{retry}");
    assert!(
        throttled
            .text()
            .contains("Too many failed sign-in attempts. Try again in")
    );
    assert!(!is_signed_in(&visitor).await);
    // The server function shares the throttle.
    assert_eq!(
        visitor.sign_in("alice", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    app.clock.advance(Duration::minutes(15));
    let response = visitor.post_sign_in_form("", "alice", PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_deactivated_account_gets_the_wrong_password_answer() {
    let (app, visitor) = alice_and_a_visitor().await;
    app.deactivate("alice").await;

    let response = visitor.post_sign_in_form("", "alice", PASSWORD).await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert!(response.text().contains("Incorrect username or password."));
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_before_signing_in() {
    let (_app, visitor) = alice_and_a_visitor().await;
    for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let request = visitor
            .request(Method::POST, "/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(name, value)
            .body(axum::body::Body::from(format!(
                "username=alice&password={}",
                PASSWORD.replace(' ', "+")
            )))
            .expect("request");
        let response = visitor.send(request).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{name}");
        assert!(response.header("set-cookie").is_none(), "{name}");
        // The form again, saying so, not a JSON answer.
        assert!(
            response
                .text()
                .contains(r#"role="alert" tabindex="-1" autofocus>This request is not allowed.</p>"#),
            "{name}: {}",
            response.text()
        );
    }
    assert!(!is_signed_in(&visitor).await);
    // A link from another site still opens the page.
    let request = visitor
        .request(Method::GET, "/login")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(visitor.send(request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_with_the_form_is_in_the_security_log_with_the_browser() {
    let (app, _) = alice_and_a_visitor().await;
    let visitor = app
        .anonymous()
        .from_device("Mozilla/5.0 Firefox/140.0", "198.51.100.7:50123");

    let response = visitor.post_sign_in_form("", "alice", PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);

    let events = app.security_events().await;
    let signed_in = events.last().expect("an event");
    assert_eq!(signed_in.kind, "sign_in_succeeded", "{events:?}");
    assert_eq!(signed_in.username.as_deref(), Some("alice"));
    assert_eq!(signed_in.client_addr.as_deref(), Some("198.51.100.7"));
    assert_eq!(signed_in.user_agent.as_deref(), Some("Mozilla/5.0 Firefox/140.0"));
}
