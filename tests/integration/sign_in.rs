use chrono::Duration;
use http::StatusCode;
use serde_json::json;
use tessera_tests::{PASSWORD, TestApp};

#[tokio::test]
async fn signing_in_with_the_right_password_returns_the_user_and_a_strict_cookie() {
    let app = TestApp::new().await;
    app.create_user("alice", &["Threat Research", "SOC"]).await;

    let response = app.sign_in("Alice", PASSWORD).await;

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

    let me = app.rpc("current_user", &[]).await;
    assert_eq!(me.json()["username"], "alice");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;

    let wrong = app.sign_in("alice", "not the password").await;
    let unknown = app.sign_in("mallory", "not the password").await;
    let malformed = app.sign_in("not a valid name!", "x").await;

    for response in [&wrong, &unknown, &malformed] {
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.json(), json!("BadCredentials"));
        assert!(response.header("set-cookie").is_none());
    }
    assert_eq!(app.rpc("current_user", &[]).await.json(), json!(null));
}

#[tokio::test]
async fn empty_fields_are_named_in_the_error() {
    let app = TestApp::new().await;
    let response = app.sign_in("", "x").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["Invalid"]["field"], "username");
    let response = app.sign_in("alice", "").await;
    assert_eq!(response.json()["Invalid"]["field"], "password");
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_gets_the_wrong_password_answer_and_their_sessions_end() {
    let (app, user) = TestApp::with_signed_in_user("alice").await;
    assert_eq!(app.state.store.count_sessions_of(user.id).await.expect("count"), 1);

    let mut out = Vec::new();
    server::admin::deactivate(&app.state, "alice", &mut out)
        .await
        .expect("deactivate");

    assert_eq!(app.state.store.count_sessions_of(user.id).await.expect("count"), 0);
    assert_eq!(app.rpc("current_user", &[]).await.json(), json!(null));
    let right = app.sign_in("alice", PASSWORD).await;
    let wrong = app.sign_in("alice", "not the password at all").await;
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert_eq!(right.json(), json!("BadCredentials"));
    assert_eq!((wrong.status, wrong.json()), (right.status, right.json()));
    // The right password for a deactivated account still counts towards the throttle.
    for _ in 0..3 {
        app.sign_in("alice", PASSWORD).await;
    }
    assert_eq!(
        app.sign_in("alice", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after_until_the_window_passes() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    for _ in 0..5 {
        assert_eq!(app.sign_in("alice", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }

    let throttled = app.sign_in("alice", PASSWORD).await;

    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = throttled
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=901).contains(&retry), "{retry}");
    assert!(throttled.json()["Throttled"]["retry_after_secs"].as_u64().is_some());

    app.clock.advance(Duration::minutes(15));
    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_again_rotates_the_session_id_and_retires_the_old_one() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let first = app.cookie().expect("cookie");

    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    let second = app.cookie().expect("cookie");

    assert_ne!(first, second);
    app.set_cookie(Some(first));
    assert_eq!(app.rpc("current_user", &[]).await.json(), json!(null));
    app.set_cookie(Some(second));
    assert_eq!(app.rpc("current_user", &[]).await.json()["username"], "alice");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let (app, user) = TestApp::with_signed_in_user("alice").await;
    let old = app.cookie().expect("cookie");

    let response = app.rpc("sign_out", &[]).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(response.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(app.state.store.count_sessions_of(user.id).await.expect("count"), 0);
    app.set_cookie(Some(old));
    assert_eq!(app.rpc("current_user", &[]).await.json(), json!(null));
}

#[tokio::test]
async fn a_session_ends_a_week_after_sign_in_however_active() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    app.clock.advance(Duration::days(6));
    assert_eq!(app.rpc("current_user", &[]).await.json()["username"], "alice");
    app.clock.advance(Duration::days(1));
    assert_eq!(app.rpc("current_user", &[]).await.json(), json!(null));
}

#[tokio::test]
async fn session_ids_are_not_stored_in_the_database() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let cookie = app.cookie().expect("cookie");
    let id = cookie.split_once('=').expect("pair").1;
    let bytes = app.database_bytes().await;
    assert!(
        !bytes.windows(id.len()).any(|w| w == id.as_bytes()),
        "the session id is in the database file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_cannot_outrun_the_throttle() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;

    let guesses = (0..20).map(|i| {
        let app = &app;
        async move { app.sign_in("alice", &format!("guess number {i}")).await.status }
    });
    let statuses = futures::future::join_all(guesses).await;

    let tried = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((tried, refused), (5, 15), "{statuses:?}");
}

#[tokio::test]
async fn each_request_moves_the_idle_timeout_on() {
    let (app, user) = TestApp::with_signed_in_user("alice").await;
    let cookie = app.cookie().expect("cookie");

    let later = app.rpc("current_user", &[]).await;

    let refreshed = later.header("set-cookie").expect("the cookie is refreshed");
    assert!(refreshed.contains("Max-Age=43200"), "{refreshed}");
    assert_eq!(app.cookie(), Some(cookie), "the same session");
    assert_eq!(app.state.store.count_sessions_of(user.id).await.expect("count"), 1);
}

#[tokio::test]
async fn instances_on_one_database_throttle_together() {
    let a = TestApp::new().await;
    a.create_user("alice", &[]).await;
    let b = a.second_instance().await;
    for app in [&a, &b, &a, &b, &a] {
        assert_eq!(app.sign_in("alice", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(b.sign_in("alice", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.sign_in("alice", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_accounts_failures() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    for _ in 0..4 {
        assert_eq!(app.sign_in("alice", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    for _ in 0..5 {
        assert_eq!(app.sign_in("alice", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.sign_in("alice", "wrong").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn one_address_guessing_across_many_accounts_is_throttled() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    for i in 0..30 {
        assert_eq!(
            app.sign_in(&format!("user{i}"), "wrong").await.status,
            StatusCode::UNAUTHORIZED,
            "{i}"
        );
    }
    // The 31st attempt from the same address waits, whatever the account.
    let response = app.sign_in("alice", PASSWORD).await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(response.header("retry-after").is_some());
}

#[tokio::test]
async fn a_successful_sign_in_takes_back_only_its_own_attempt_from_the_address_count() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    // Every request here comes from one address at one instant (the test clock stands still).
    for i in 0..29 {
        assert_eq!(
            app.sign_in(&format!("user{i}"), "wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(app.sign_in("user29", "wrong").await.status, StatusCode::UNAUTHORIZED);
    // 30 failures stand against the address: the success did not wipe the others.
    assert_eq!(
        app.sign_in("user30", "wrong").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn ipv6_clients_rotating_within_one_64_share_one_address_count() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;

    let app = TestApp::new().await;
    let from = |host: u16, username: &str| {
        let peer: std::net::SocketAddr = format!("[2001:db8:7:8::{host:x}]:443").parse().expect("addr");
        app.rpc_request("sign_in", &[])
            .header(http::header::ORIGIN, format!("http://{}", tessera_tests::HOST))
            .extension(ConnectInfo(peer))
            .body(Body::from(format!("username={username}&password=wrong")))
            .expect("request")
    };
    for i in 0..30 {
        let response = app.send(from(i + 1, &format!("user{i}"))).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{i}");
    }
    assert_eq!(
        app.send(from(999, "someone")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// Keeps 16 requests with `cookie` in flight while `end` runs in the middle, then says whether
/// the cookie still signs its holder in.
async fn still_signed_in_after_racing(
    app: std::sync::Arc<TestApp>,
    cookie: String,
    end: impl std::future::Future<Output = ()>,
) -> bool {
    use axum::body::Body;

    let request = |cookie: &str| {
        http::Request::post("/rpc/current_user")
            .header(http::header::HOST, tessera_tests::HOST)
            .header(http::header::ORIGIN, format!("http://{}", tessera_tests::HOST))
            .header(http::header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request")
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (app, cookie, stop) = (app.clone(), cookie.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                app.send(request(&cookie)).await;
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
    app.send(request(&cookie)).await.json() != json!(null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signing_out_wins_against_requests_in_flight() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let app = std::sync::Arc::new(app);
    let cookie = app.cookie().expect("signed in");
    let signer = app.clone();
    let resurrected = still_signed_in_after_racing(app.clone(), cookie, async move {
        assert_eq!(signer.rpc("sign_out", &[]).await.status, StatusCode::OK);
    })
    .await;
    assert!(!resurrected, "a request in flight brought the signed-out session back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deactivation_wins_against_requests_in_flight() {
    let (app, user) = TestApp::with_signed_in_user("alice").await;
    let app = std::sync::Arc::new(app);
    let cookie = app.cookie().expect("signed in");
    let admin = app.clone();
    let resurrected = still_signed_in_after_racing(app.clone(), cookie, async move {
        server::admin::deactivate(&admin.state, "alice", &mut Vec::new())
            .await
            .expect("deactivate");
    })
    .await;
    assert!(!resurrected, "a request in flight brought the ended session back");
    assert_eq!(app.state.store.count_sessions_of(user.id).await.expect("count"), 0);
}
