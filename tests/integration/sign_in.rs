//! Signing in and out, sessions and their timeouts, and throttled guessing.

use app::server_fns::session::{CurrentUser, SignOut};
use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_tests::{Client, PASSWORD, TestApp, bytes_contain};

/// A new app where alice (in no group) exists, and a visitor who has not signed in.
async fn alice_and_a_visitor() -> (TestApp, Client) {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let visitor = app.anonymous();
    (app, visitor)
}

/// `visitor` fails to sign in as alice `times` times, each refused as bad credentials.
async fn fail_as_alice(visitor: &Client, times: usize) {
    for _ in 0..times {
        assert_eq!(visitor.sign_in("alice", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn signing_in_with_the_right_password_returns_the_user_and_a_strict_cookie() {
    let app = TestApp::new().await;
    app.create_user("alice", &["Threat Research", "SOC"]).await;
    let alice = app.anonymous();

    let response = alice.sign_in("Alice", PASSWORD).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let user = response.json();
    assert_eq!(user["username"], "alice");
    let groups: Vec<&str> = user["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert_eq!(groups, ["Threat Research", "SOC"]);
    let cookie = response.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("tessera_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert_eq!(response.header("cache-control"), Some("no-store"));

    assert_eq!(alice.current_user().await["username"], "alice");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let (_app, visitor) = alice_and_a_visitor().await;

    let wrong = visitor.sign_in("alice", "not the password").await;
    let unknown = visitor.sign_in("mallory", "not the password").await;
    let malformed = visitor.sign_in("not a valid name!", "x").await;

    for response in [&wrong, &unknown, &malformed] {
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.json(), json!("BadCredentials"));
        assert!(response.header("set-cookie").is_none());
    }
    assert_eq!(visitor.current_user().await, json!(null));
}

#[tokio::test]
async fn empty_fields_are_named_in_the_error() {
    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let response = visitor.sign_in("", "x").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["Invalid"]["field"], "username");
    let response = visitor.sign_in("alice", "").await;
    assert_eq!(response.json()["Invalid"]["field"], "password");
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_gets_the_wrong_password_answer_and_their_sessions_end() {
    let (app, alice) = TestApp::with_user("alice").await;
    assert_eq!(app.sessions_of("alice").await, 1);

    app.deactivate("alice").await;

    assert_eq!(app.sessions_of("alice").await, 0);
    assert_eq!(alice.current_user().await, json!(null));
    let right = alice.sign_in("alice", PASSWORD).await;
    let wrong = alice.sign_in("alice", "not the password at all").await;
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert_eq!(right.json(), json!("BadCredentials"));
    assert_eq!((wrong.status, wrong.json()), (right.status, right.json()));
    // The right password for a deactivated account still counts towards the throttle.
    for _ in 0..3 {
        alice.sign_in("alice", PASSWORD).await;
    }
    assert_eq!(
        alice.sign_in("alice", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after_until_the_window_passes() {
    let (app, visitor) = alice_and_a_visitor().await;
    fail_as_alice(&visitor, 5).await;

    let throttled = visitor.sign_in("alice", PASSWORD).await;

    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let retry = throttled.retry_after();
    assert!((1..=901).contains(&retry), "{retry}");
    assert!(throttled.json()["Throttled"]["retry_after_secs"].as_u64().is_some());

    app.clock.advance(Duration::minutes(15));
    assert_eq!(visitor.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_again_rotates_the_session_id_and_retires_the_old_one() {
    let (app, alice) = TestApp::with_user("alice").await;
    let first = alice.cookie().expect("cookie");

    assert_eq!(alice.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    let second = alice.cookie().expect("cookie");

    assert_ne!(first, second);
    assert_eq!(app.with_cookie(first).current_user().await, json!(null));
    assert_eq!(app.with_cookie(second).current_user().await["username"], "alice");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let (app, alice) = TestApp::with_user("alice").await;
    let old = alice.cookie().expect("cookie");

    let response = alice.call(SignOut {}).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(response.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(app.sessions_of("alice").await, 0);
    assert_eq!(app.with_cookie(old).current_user().await, json!(null));
}

#[tokio::test]
async fn a_session_ends_a_week_after_sign_in_however_active() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.clock.advance(Duration::days(6));
    assert_eq!(alice.current_user().await["username"], "alice");
    app.clock.advance(Duration::days(1));
    assert_eq!(alice.current_user().await, json!(null));
}

#[tokio::test]
async fn session_ids_are_not_stored_in_the_database() {
    let (app, alice) = TestApp::with_user("alice").await;
    let cookie = alice.cookie().expect("cookie");
    let id = cookie.split_once('=').expect("pair").1;
    let bytes = app.database_bytes().await;
    assert!(!bytes_contain(&bytes, id), "the session id is in the database file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_cannot_outrun_the_throttle() {
    let (_app, visitor) = alice_and_a_visitor().await;

    let guesses = (0..20).map(|i| {
        let visitor = &visitor;
        async move { visitor.sign_in("alice", &format!("guess number {i}")).await.status }
    });
    let statuses = futures::future::join_all(guesses).await;

    let tried = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((tried, refused), (5, 15), "{statuses:?}");
}

#[tokio::test]
async fn requests_move_the_idle_timeout_on_once_a_minute() {
    let (app, alice) = TestApp::with_user("alice").await;
    let cookie = alice.cookie().expect("cookie");

    app.clock.advance(Duration::seconds(59));
    let soon = alice.call(CurrentUser {}).await;
    app.clock.advance(Duration::seconds(1));
    let later = alice.call(CurrentUser {}).await;

    assert_eq!(soon.status, StatusCode::OK);
    assert_eq!(soon.header("set-cookie"), None, "within the minute: nothing written");
    let refreshed = later.header("set-cookie").expect("the cookie is refreshed");
    assert!(refreshed.contains("Max-Age=43200"), "{refreshed}");
    assert_eq!(alice.cookie(), Some(cookie), "the same session");
    assert_eq!(app.sessions_of("alice").await, 1);
}

#[tokio::test]
async fn instances_on_one_database_throttle_together() {
    let a = TestApp::new().await;
    a.create_user("alice", &[]).await;
    let b = a.second_instance().await;
    let (on_a, on_b) = (a.anonymous(), b.anonymous());
    for visitor in [&on_a, &on_b, &on_a, &on_b, &on_a] {
        fail_as_alice(visitor, 1).await;
    }
    assert_eq!(
        on_b.sign_in("alice", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        on_a.sign_in("alice", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_accounts_failures() {
    let (_app, visitor) = alice_and_a_visitor().await;
    fail_as_alice(&visitor, 4).await;
    assert_eq!(visitor.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    fail_as_alice(&visitor, 5).await;
    assert_eq!(
        visitor.sign_in("alice", "wrong").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn one_address_guessing_across_many_accounts_is_throttled() {
    let (_app, visitor) = alice_and_a_visitor().await;
    for i in 0..30 {
        assert_eq!(
            visitor.sign_in(&format!("user{i}"), "wrong").await.status,
            StatusCode::UNAUTHORIZED,
            "{i}"
        );
    }
    // The 31st attempt from the same address waits, whatever the account.
    let response = visitor.sign_in("alice", PASSWORD).await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(response.header("retry-after").is_some());
}

#[tokio::test]
async fn a_successful_sign_in_takes_back_only_its_own_attempt_from_the_address_count() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let visitor = app.anonymous();
    // Every request here comes from one address at one instant (the test clock stands still).
    for i in 0..29 {
        let guess = visitor.sign_in(&format!("user{i}"), "wrong").await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.anonymous().sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(
        visitor.sign_in("user29", "wrong").await.status,
        StatusCode::UNAUTHORIZED
    );
    // 30 failures stand against the address: the success did not wipe the others.
    assert_eq!(
        visitor.sign_in("user30", "wrong").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn ipv6_clients_rotating_within_one_64_share_one_address_count() {
    use app::server_fns::session::SignIn;
    use axum::extract::ConnectInfo;

    let app = TestApp::new().await;
    let visitor = app.anonymous();
    let from = |host: u16, username: &str| {
        let peer: std::net::SocketAddr = format!("[2001:db8:7:8::{host:x}]:443").parse().expect("addr");
        let mut request = visitor.call_request(&SignIn {
            username: username.to_owned(),
            password: "wrong".to_owned().into(),
        });
        request.extensions_mut().insert(ConnectInfo(peer));
        let origin = format!("http://{}", tessera_tests::HOST).parse().expect("origin");
        request.headers_mut().insert(http::header::ORIGIN, origin);
        request
    };
    for i in 0..30 {
        let response = visitor.send(from(i + 1, &format!("user{i}"))).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{i}");
    }
    assert_eq!(
        visitor.send(from(999, "someone")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// Keeps 16 clients holding `alice`'s cookie busy with requests while `end` runs in the
/// middle, then says whether the cookie still signs its holder in.
async fn still_signed_in_after_racing(
    app: std::sync::Arc<TestApp>,
    cookie: String,
    end: impl std::future::Future<Output = ()>,
) -> bool {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (client, stop) = (app.with_cookie(cookie.clone()), stop.clone());
        workers.push(tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                client.current_user().await;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    end.await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for worker in workers {
        worker.await.expect("worker");
    }
    app.with_cookie(cookie).current_user().await != json!(null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signing_out_wins_against_requests_in_flight() {
    let (app, alice) = TestApp::with_user("alice").await;
    let app = std::sync::Arc::new(app);
    let cookie = alice.cookie().expect("signed in");
    let resurrected = still_signed_in_after_racing(app.clone(), cookie, async move {
        assert_eq!(alice.call(SignOut {}).await.status, StatusCode::OK);
    })
    .await;
    assert!(!resurrected, "a request in flight brought the signed-out session back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deactivation_wins_against_requests_in_flight() {
    let (app, alice) = TestApp::with_user("alice").await;
    let app = std::sync::Arc::new(app);
    let cookie = alice.cookie().expect("signed in");
    let admin = app.clone();
    let resurrected = still_signed_in_after_racing(app.clone(), cookie, async move {
        admin.deactivate("alice").await;
    })
    .await;
    assert!(!resurrected, "a request in flight brought the ended session back");
    assert_eq!(app.sessions_of("alice").await, 0);
}
