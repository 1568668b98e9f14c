//! The profile's Sessions list: a user's own browser sessions with when they started, when
//! they were last seen, from where and with which browser; signing one of them out, or every
//! one but this.

use app::server_fns::SessionView;
use app::server_fns::profile::ChangePassword;
use app::server_fns::sessions::{ListSessions, SignOutOtherSessions};
use chrono::Duration;
use http::{HeaderValue, StatusCode, header};
use serde_json::json;
use sha2::{Digest as _, Sha256};
use tessera_tests::backend::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, MAX_AGENT, OlderDatabase, SEEN_INTERVAL};
use tessera_tests::{Client, PASSWORD, TestApp, assert_invalid, start_time};

const FIREFOX_ON_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_ON_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                                (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const CHROME_ON_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                                 Chrome/131.0.0.0 Safari/537.36";

/// `username` signs in from a browser sending `agent`, at the address `peer`.
async fn sign_in_on(app: &TestApp, username: &str, agent: &str, peer: &str) -> Client {
    let browser = app.anonymous().from_device(agent, peer);
    browser.sign_in_as(username).await;
    browser
}

/// The listed session whose user agent is `agent`.
fn row<'a>(sessions: &'a [SessionView], agent: &str) -> &'a SessionView {
    sessions
        .iter()
        .find(|s| s.user_agent.as_deref() == Some(agent))
        .unwrap_or_else(|| panic!("no session of {agent:?} in {sessions:#?}"))
}

fn handles(sessions: &[SessionView]) -> Vec<&str> {
    sessions.iter().map(|s| s.handle.as_str()).collect()
}

#[tokio::test]
async fn two_sign_ins_are_listed_latest_first_with_their_details_and_this_one_marked() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let laptop_at = app.clock.now();
    app.clock.advance(Duration::minutes(5));
    let phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "[2001:db8::7]:443").await;
    let phone_at = app.clock.now();

    let listed = laptop.sessions().await;

    assert_eq!(
        listed,
        [
            SessionView {
                handle: listed[0].handle.clone(),
                current: false,
                started_at: Some(phone_at),
                last_seen_at: Some(phone_at),
                address: Some("2001:db8::7".to_owned()),
                user_agent: Some(SAFARI_ON_IPHONE.to_owned()),
            },
            SessionView {
                handle: listed[1].handle.clone(),
                current: true,
                started_at: Some(laptop_at),
                last_seen_at: Some(laptop_at),
                address: Some("198.51.100.7".to_owned()),
                user_agent: Some(FIREFOX_ON_LINUX.to_owned()),
            },
        ]
    );
    assert_ne!(listed[0].handle, listed[1].handle);
    // Asked from the phone: the same sessions under the same handles, the phone's marked.
    let from_phone = phone.sessions().await;
    assert!(row(&from_phone, SAFARI_ON_IPHONE).current);
    assert!(!row(&from_phone, FIREFOX_ON_LINUX).current);
    assert_eq!(
        row(&from_phone, FIREFOX_ON_LINUX).handle,
        row(&listed, FIREFOX_ON_LINUX).handle
    );
}

#[tokio::test]
async fn the_list_never_shows_a_session_id_or_its_digest() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;

    let answer = laptop.call(ListSessions {}).await;

    assert_eq!(answer.status, StatusCode::OK);
    let text = answer.text();
    for browser in [&laptop, &phone] {
        let cookie = browser.cookie().expect("signed in");
        let id = cookie.split_once('=').expect("name=value").1;
        let digest: String = Sha256::digest(id.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!text.contains(id), "a session id is listed: {text}");
        assert!(!text.contains(&digest[..16]), "a session id's digest is listed: {text}");
    }
    for session in laptop.sessions().await {
        assert_eq!(session.handle.len(), 32, "{session:?}");
    }
}

#[tokio::test]
async fn a_session_without_a_user_agent_or_address_lists_them_as_unknown_and_long_agents_are_cut() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let script = app.sign_in_as("alice").await;
    let long_agent = format!("  Tablet\tBrowser/1.0 {}  ", "x".repeat(300));
    let tablet = sign_in_on(&app, "alice", &long_agent, "192.0.2.1:1000").await;

    let listed = tablet.sessions().await;

    let unknown = listed.iter().find(|s| !s.current).expect("the script's session");
    assert_eq!((&unknown.address, &unknown.user_agent), (&None, &None), "{unknown:?}");
    let kept = listed.iter().find(|s| s.current).and_then(|s| s.user_agent.clone());
    let expected: String = format!("TabletBrowser/1.0 {}", "x".repeat(300))
        .chars()
        .take(MAX_AGENT)
        .collect();
    assert_eq!(kept, Some(expected));
    assert_eq!(script.sessions().await.len(), 2);
}

#[tokio::test]
async fn signing_out_everywhere_else_ends_every_other_session_and_keeps_this_one() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    app.create_user("bob", &[]).await;
    let laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;
    let office = sign_in_on(&app, "alice", CHROME_ON_WINDOWS, "198.51.100.9:50123").await;
    let bob = sign_in_on(&app, "bob", FIREFOX_ON_LINUX, "203.0.113.5:50123").await;
    let phone_cookie = phone.cookie().expect("signed in");

    let ended = laptop.sign_out_everywhere_else().await;

    assert_eq!(ended, 2);
    assert_eq!(
        phone.current_user().await,
        json!(null),
        "the phone's cookie no longer works"
    );
    assert_eq!(office.current_user().await, json!(null));
    assert_eq!(app.with_cookie(phone_cookie).current_user().await, json!(null));
    assert_eq!(laptop.current_user().await["username"], "alice", "this session goes on");
    let left = laptop.sessions().await;
    assert_eq!(left.len(), 1);
    assert!(left[0].current);
    assert_eq!(
        bob.current_user().await["username"],
        "bob",
        "another user's session stays"
    );
    assert_eq!(app.sessions_of("bob").await, 1);
    // Nothing else left to end.
    assert_eq!(laptop.sign_out_everywhere_else().await, 0);
}

#[tokio::test]
async fn signing_out_one_session_ends_that_one_only() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;
    let office = sign_in_on(&app, "alice", CHROME_ON_WINDOWS, "198.51.100.9:50123").await;
    let listed = laptop.sessions().await;
    let phones = row(&listed, SAFARI_ON_IPHONE).handle.clone();

    let response = laptop.sign_out_session(&phones).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(phone.current_user().await, json!(null));
    assert_eq!(office.current_user().await["username"], "alice");
    assert_eq!(laptop.current_user().await["username"], "alice");
    let left = laptop.sessions().await;
    assert_eq!(left.len(), 2);
    assert!(!handles(&left).contains(&phones.as_str()));
    // Again: it has ended already.
    assert_eq!(laptop.sign_out_session(&phones).await.status, StatusCode::NOT_FOUND);
    // This session is ended with Sign out, not here.
    let own = row(&left, FIREFOX_ON_LINUX).handle.clone();
    let message = assert_invalid(&laptop.sign_out_session(&own).await, "session");
    assert!(message.contains("Sign out"), "{message}");
    assert_eq!(laptop.current_user().await["username"], "alice");
    // Anything else names no session.
    for handle in ["", "x", &own[..16], &format!("{own}0"), &own.to_uppercase()] {
        assert_eq!(
            laptop.sign_out_session(handle).await.status,
            StatusCode::NOT_FOUND,
            "{handle:?}"
        );
    }
    assert_eq!(app.sessions_of("alice").await, 2);
}

#[tokio::test]
async fn another_users_sessions_never_appear_and_cannot_be_signed_out() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    app.create_user("bob", &[]).await;
    let alice = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let _alices_phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;
    let bob = sign_in_on(&app, "bob", CHROME_ON_WINDOWS, "203.0.113.5:50123").await;
    let bobs_phone = sign_in_on(&app, "bob", SAFARI_ON_IPHONE, "203.0.113.6:50123").await;

    let alices = alice.sessions().await;
    let bobs = bob.sessions().await;

    assert_eq!(alices.len(), 2);
    assert_eq!(bobs.len(), 2);
    assert!(
        alices
            .iter()
            .all(|s| s.user_agent.as_deref() != Some(CHROME_ON_WINDOWS))
    );
    for handle in handles(&bobs) {
        assert!(!handles(&alices).contains(&handle));
        assert_eq!(alice.sign_out_session(handle).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(bobs_phone.current_user().await["username"], "bob");
    assert_eq!(alice.sign_out_everywhere_else().await, 1);
    assert_eq!(bob.current_user().await["username"], "bob");
    assert_eq!(bobs_phone.current_user().await["username"], "bob");
    assert_eq!(bob.sessions().await.len(), 2);
}

#[tokio::test]
async fn only_a_signed_in_browser_of_this_site_lists_or_ends_sessions() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;

    assert_eq!(
        app.anonymous().call(ListSessions {}).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        token.call(ListSessions {}).await.status,
        StatusCode::UNAUTHORIZED,
        "a token"
    );
    assert_eq!(
        token.call(SignOutOtherSessions {}).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut cross_site = alice.call_request(&SignOutOtherSessions {});
    cross_site
        .headers_mut()
        .insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
    assert_eq!(alice.send(cross_site).await.status, StatusCode::FORBIDDEN);
    let mut marked = alice.call_request(&SignOutOtherSessions {});
    marked
        .headers_mut()
        .insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    assert_eq!(alice.send(marked).await.status, StatusCode::FORBIDDEN);

    assert_eq!(app.sessions_of("alice").await, 2);
    assert_eq!(phone.current_user().await["username"], "alice");
}

#[tokio::test]
async fn last_seen_is_written_at_most_once_a_minute_however_many_requests() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let signed_in = app.clock.now();
    let writes = app.session_writes();

    for _ in 0..20 {
        app.clock.advance(Duration::milliseconds(2_900));
        assert_eq!(laptop.current_user().await["username"], "alice");
    }

    assert_eq!(
        app.session_writes(),
        writes,
        "twenty requests within the minute: no write"
    );
    // The same browser a minute after signing in, on another network.
    let moved = app
        .with_cookie(laptop.cookie().expect("signed in"))
        .from_device(FIREFOX_ON_LINUX, "203.0.113.50:40000");
    app.clock.set(signed_in + SEEN_INTERVAL);
    let noted = app.clock.now();
    assert_eq!(moved.current_user().await["username"], "alice");
    assert_eq!(app.session_writes(), writes + 1, "one write for the minute");
    for _ in 0..10 {
        app.clock.advance(Duration::seconds(5));
        assert_eq!(moved.current_user().await["username"], "alice");
    }
    let listed = moved.sessions().await;

    assert_eq!(app.session_writes(), writes + 1, "no second write within the minute");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_seen_at, Some(noted));
    assert_eq!(listed[0].started_at, Some(signed_in));
    assert_eq!(listed[0].address.as_deref(), Some("203.0.113.50"));
    app.clock.set(noted + SEEN_INTERVAL);
    moved.current_user().await;
    assert_eq!(app.session_writes(), writes + 2);
}

#[tokio::test]
async fn a_session_past_its_absolute_timeout_is_no_longer_listed() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let _laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let signed_in = app.clock.now();
    app.clock.advance(Duration::days(6));
    let phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;
    assert_eq!(phone.sessions().await.len(), 2);

    app.clock.set(signed_in + ABSOLUTE_TIMEOUT);
    let listed = phone.sessions().await;

    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].user_agent.as_deref(), Some(SAFARI_ON_IPHONE));
}

#[tokio::test]
async fn changing_the_password_leaves_only_this_session_listed() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let laptop = sign_in_on(&app, "alice", FIREFOX_ON_LINUX, "198.51.100.7:50123").await;
    let _phone = sign_in_on(&app, "alice", SAFARI_ON_IPHONE, "198.51.100.8:50123").await;

    let changed = laptop
        .call(ChangePassword {
            current_password: PASSWORD.to_owned().into(),
            new_password: "a new and long passphrase".to_owned().into(),
            confirm_password: "a new and long passphrase".to_owned().into(),
        })
        .await;

    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());

    let listed = laptop.sessions().await;
    assert_eq!(listed.len(), 1);
    assert!(listed[0].current);
    assert_eq!(listed[0].user_agent.as_deref(), Some(FIREFOX_ON_LINUX));
    assert_eq!(listed[0].address.as_deref(), Some("198.51.100.7"));
}

/// A session row's id digest, started_at, last_seen_at, client_addr and user_agent.
type StoredDetails = (String, Option<i64>, Option<i64>, Option<String>, Option<String>);

#[tokio::test]
async fn sessions_from_before_the_details_were_kept_get_their_sign_in_and_last_request_times() {
    let old = OlderDatabase::before(11).await;
    let signed_in = start_time().timestamp_millis();
    let expires = (start_time() + Duration::hours(20)).timestamp_millis();
    let pool = old.pool().await;
    for (id_hash, data) in [
        ("a", format!(r#"{{"user_id":1,"signed_in_at":{signed_in}}}"#)),
        ("b", r#"{"user_id":1}"#.to_owned()),
        ("c", "not JSON".to_owned()),
    ] {
        sqlx::query("INSERT INTO sessions (id_hash, user_id, data, expires_at) VALUES ($1, NULL, $2, $3)")
            .bind(id_hash)
            .bind(data)
            .bind(expires)
            .execute(&pool)
            .await
            .expect("an older session");
    }
    pool.close().await;

    let store = app::backend::Store::connect(old.url())
        .await
        .expect("the later migrations apply");
    store.close().await;

    let pool = old.pool().await;
    let rows: Vec<StoredDetails> = sqlx::query_as(
        "SELECT id_hash, started_at, last_seen_at, client_addr, user_agent FROM sessions ORDER BY id_hash",
    )
    .fetch_all(&pool)
    .await
    .expect("the sessions");
    // Each request used to save the session with a fresh 12-hour idle expiry.
    let last_request = expires - IDLE_TIMEOUT.num_milliseconds();
    assert_eq!(
        rows,
        [
            ("a".to_owned(), Some(signed_in), Some(last_request), None, None),
            ("b".to_owned(), None, Some(last_request), None, None),
            ("c".to_owned(), None, Some(last_request), None, None),
        ]
    );
    pool.close().await;
}
