//! Personal API tokens through their server functions: create, list and delete, expiry,
//! names, owner scoping, the active-token limit, deactivation, and the plaintext never
//! being kept anywhere but the one response that shows it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use app::backend::tokens::{Pepper, PlainToken};
use axum::body::Body;
use chrono::{DateTime, Duration, Utc};
use http::{StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::{PASSWORD, TestApp, TestResponse};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

async fn create(app: &TestApp, name: &str, expiry: &str, expires_at: &str) -> TestResponse {
    app.rpc(
        "create_token",
        &[("name", name), ("expiry", expiry), ("expires_at", expires_at)],
    )
    .await
}

/// Creates a token that must be accepted; answers the created JSON.
async fn create_ok(app: &TestApp, name: &str, expiry: &str, expires_at: &str) -> Value {
    let response = create(app, name, expiry, expires_at).await;
    assert_eq!(response.status, StatusCode::OK, "{name:?}: {}", response.text());
    response.json()
}

fn secret_of(created: &Value) -> String {
    created["secret"].as_str().expect("a secret").to_owned()
}

async fn list(app: &TestApp) -> Vec<Value> {
    let response = app.rpc("list_tokens", &[]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json().as_array().expect("a list").clone()
}

fn names(tokens: &[Value]) -> Vec<&str> {
    tokens.iter().map(|t| t["name"].as_str().expect("name")).collect()
}

async fn delete(app: &TestApp, id: &Value) -> TestResponse {
    let id = id.as_i64().expect("a numeric id").to_string();
    app.rpc("delete_token", &[("id", &id)]).await
}

async fn active_tokens(app: &TestApp) -> u64 {
    let me = app.rpc("current_user", &[]).await.json();
    me["active_tokens"]
        .as_u64()
        .unwrap_or_else(|| panic!("not signed in: {me}"))
}

async fn sign_in_as(app: &TestApp, username: &str) {
    let response = app.sign_in(username, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_created_token_is_shown_once_then_listed_newest_first_without_its_secret_until_deleted() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;

    let response = create(&app, "CI pipeline", "never", "").await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let first = response.json();
    let first_secret = secret_of(&first);
    assert!(first_secret.starts_with("tsr_"), "{first_secret}");
    assert_eq!(first_secret.len(), 53);
    assert!(PlainToken::parse(&first_secret).is_ok());
    assert_eq!(first["token"]["name"], "CI pipeline");
    assert_eq!(first["token"]["created_at"], "2026-01-01T00:00:00Z");
    assert_eq!(first["token"]["expires_at"], json!(null));
    assert_eq!(first["token"]["last_used_at"], json!(null));
    assert_eq!(first["token"]["expired"], json!(false));

    app.clock.advance(Duration::minutes(1));
    let second = create_ok(&app, "nightly sync", "never", "").await;
    let second_secret = secret_of(&second);
    assert_ne!(first_secret, second_secret);
    assert_ne!(first["token"]["id"], second["token"]["id"]);

    let listed = app.rpc("list_tokens", &[]).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    assert_eq!(listed.header("cache-control"), Some("no-store"));
    for needle in [first_secret.as_str(), second_secret.as_str(), "tsr_", "secret"] {
        assert!(!listed.text().contains(needle), "the list shows {needle:?}");
    }
    let tokens = listed.json();
    assert_eq!(tokens, json!([second["token"], first["token"]]), "newest first");
    for token in tokens.as_array().expect("a list") {
        let mut keys: Vec<&str> = token
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "created_at",
                "entities",
                "expired",
                "expires_at",
                "id",
                "last_used_agent",
                "last_used_at",
                "last_used_ip",
                "name",
                "observables"
            ]
        );
    }
    assert_eq!(active_tokens(&app).await, 2);

    let deleted = delete(&app, &first["token"]["id"]).await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());
    assert_eq!(deleted.header("cache-control"), Some("no-store"));
    assert_eq!(list(&app).await, vec![second["token"].clone()]);
    assert_eq!(active_tokens(&app).await, 1);
    let again = delete(&app, &first["token"]["id"]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.text());
}

#[tokio::test]
async fn interval_expiry_adds_calendar_months_to_now_and_never_means_null() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    for (name, expiry, expected) in [
        ("two months", "2", json!("2026-03-01T00:00:00Z")),
        ("six months", "6", json!("2026-07-01T00:00:00Z")),
        ("a year", "12", json!("2027-01-01T00:00:00Z")),
        ("two years", "24", json!("2028-01-01T00:00:00Z")),
        ("forever", "never", json!(null)),
        ("default", "", json!(null)),
    ] {
        let created = create_ok(&app, name, expiry, "").await;
        assert_eq!(created["token"]["expires_at"], expected, "{expiry:?}");
        assert_eq!(created["token"]["expired"], json!(false), "{expiry:?}");
    }

    // A day that the target month lacks becomes that month's last day.
    app.clock.set(at("2026-08-31T00:00:00Z"));
    sign_in_as(&app, "alice").await; // the week-long session has ended
    let created = create_ok(&app, "from the end of August", "6", "").await;
    assert_eq!(created["token"]["expires_at"], "2027-02-28T00:00:00Z");

    let listed = list(&app).await;
    assert_eq!(listed[0]["expires_at"], "2027-02-28T00:00:00Z");
    assert_eq!(listed[0]["created_at"], "2026-08-31T00:00:00Z");
}

#[tokio::test]
async fn an_exact_expiry_in_the_future_is_kept_as_chosen() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    for (name, exact, expected) in [
        ("in June", "2026-06-15T12:30:00Z", "2026-06-15T12:30:00Z"),
        ("with an offset", "2026-06-15T14:31:00+02:00", "2026-06-15T12:31:00Z"),
        ("in a minute", "2026-01-01T00:01:00Z", "2026-01-01T00:01:00Z"),
        ("the latest allowed", "2028-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
    ] {
        let created = create_ok(&app, name, "exact", exact).await;
        assert_eq!(created["token"]["expires_at"], expected, "{exact}");
    }
    let listed = list(&app).await;
    assert_eq!(
        listed
            .iter()
            .map(|t| t["expires_at"].as_str().expect("a date"))
            .collect::<Vec<_>>(),
        [
            "2028-01-01T00:00:00Z",
            "2026-01-01T00:01:00Z",
            "2026-06-15T12:31:00Z",
            "2026-06-15T12:30:00Z"
        ]
    );
}

#[tokio::test]
async fn invalid_expiry_choices_are_refused_with_the_field_and_the_rule() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    for (expiry, exact, needle) in [
        ("exact", "2025-12-31T23:59:00Z", "in the future"),
        ("exact", "2026-01-01T00:00:00Z", "in the future"),
        ("exact", "2028-01-01T00:01:00Z", "at most 24 months"),
        ("exact", "2030-01-01T00:00:00Z", "at most 24 months"),
        ("exact", "", "date and a time"),
        ("exact", "2026-06-15", "date and a time"),
        ("7", "", "2, 6, 12 or 24"),
        ("3", "", "2, 6, 12 or 24"),
        ("forever", "", "2, 6, 12 or 24"),
    ] {
        let response = create(&app, "CI pipeline", expiry, exact).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{expiry:?} {exact:?}: {}",
            response.text()
        );
        let error = &response.json()["Invalid"];
        assert_eq!(error["field"], "expiry", "{expiry:?} {exact:?}");
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains(needle)),
            "{expiry:?} {exact:?}: {error}"
        );
    }
    assert_eq!(list(&app).await, Vec::<Value>::new());
    assert_eq!(active_tokens(&app).await, 0);
}

#[tokio::test]
async fn an_expired_token_stays_listed_marked_expired_and_no_longer_counts_as_active() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let short = create_ok(&app, "short-lived", "2", "").await;
    create_ok(&app, "long-lived", "never", "").await;
    let expires_at = at(short["token"]["expires_at"].as_str().expect("a date"));

    app.clock.set(expires_at - Duration::seconds(1));
    sign_in_as(&app, "alice").await;
    let listed = list(&app).await;
    assert_eq!(names(&listed), ["long-lived", "short-lived"]);
    assert_eq!(listed[1]["expired"], json!(false));
    assert_eq!(active_tokens(&app).await, 2);

    app.clock.advance(Duration::seconds(1));

    let listed = list(&app).await;
    assert_eq!(names(&listed), ["long-lived", "short-lived"]);
    assert_eq!(listed[0]["expired"], json!(false));
    assert_eq!(listed[1]["expired"], json!(true));
    assert_eq!(listed[1]["id"], short["token"]["id"]);
    assert_eq!(active_tokens(&app).await, 1);
    // An expired token can still be deleted from the list.
    assert_eq!(delete(&app, &short["token"]["id"]).await.status, StatusCode::OK);
    assert_eq!(names(&list(&app).await), ["long-lived"]);
}

#[tokio::test]
async fn invalid_token_names_are_refused_with_the_field_and_the_reason() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let long = "n".repeat(101);
    for (name, needle) in [
        ("", "Enter a name"),
        ("   \t ", "Enter a name"),
        (long.as_str(), "at most 100"),
        ("ci\u{7}", "U+0007"),
        ("line\nbreak", "U+000A"),
        ("rtl\u{202E}gpj.exe", "U+202E"),
        ("isolate\u{2066}x", "U+2066"),
    ] {
        let response = create(&app, name, "never", "").await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?}: {}",
            response.text()
        );
        let error = &response.json()["Invalid"];
        assert_eq!(error["field"], "name", "{name:?}");
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains(needle)),
            "{name:?}: {error}"
        );
    }
    assert_eq!(list(&app).await, Vec::<Value>::new());

    let longest = "ñ".repeat(100);
    assert_eq!(
        create_ok(&app, &longest, "never", "").await["token"]["name"],
        longest.as_str()
    );
}

#[tokio::test]
async fn a_token_name_is_trimmed_unique_per_user_and_free_again_once_deleted() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let first = create_ok(&app, "  CI pipeline \t", "never", "").await;
    assert_eq!(first["token"]["name"], "CI pipeline");
    create_ok(&app, "Équipe 🦀 export", "2", "").await;

    for duplicate in ["CI pipeline", " CI pipeline  "] {
        let response = create(&app, duplicate, "6", "").await;
        assert_eq!(
            response.status,
            StatusCode::CONFLICT,
            "{duplicate:?}: {}",
            response.text()
        );
        let error = &response.json()["Conflict"];
        assert_eq!(error["field"], "name");
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains("\"CI pipeline\"")),
            "{error}"
        );
    }
    assert_eq!(names(&list(&app).await), ["Équipe 🦀 export", "CI pipeline"]);

    assert_eq!(delete(&app, &first["token"]["id"]).await.status, StatusCode::OK);

    let reused = create_ok(&app, "CI pipeline", "never", "").await;
    assert_ne!(reused["token"]["id"], first["token"]["id"]);
    assert_ne!(reused["secret"], first["secret"]);
    assert_eq!(names(&list(&app).await), ["CI pipeline", "Équipe 🦀 export"]);
}

#[tokio::test]
async fn a_user_cannot_see_or_delete_someone_elses_token() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let alices = create_ok(&app, "CI pipeline", "never", "").await;
    app.create_user("bob", &[]).await;
    sign_in_as(&app, "bob").await;

    assert_eq!(list(&app).await, Vec::<Value>::new());
    let theirs = delete(&app, &alices["token"]["id"]).await;
    let missing = app.rpc("delete_token", &[("id", "999999")]).await;

    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.text());
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text());
    assert_eq!(theirs.body, missing.body, "the answers must not tell the two apart");
    assert!(theirs.json()["NotFound"].is_string(), "{}", theirs.text());
    // Names are unique per user only.
    let bobs = create_ok(&app, "CI pipeline", "never", "").await;
    assert_eq!(names(&list(&app).await), ["CI pipeline"]);

    sign_in_as(&app, "alice").await;
    assert_eq!(list(&app).await, vec![alices["token"].clone()]);
    assert_eq!(delete(&app, &bobs["token"]["id"]).await.body, missing.body);
    assert_eq!(active_tokens(&app).await, 1);
}

#[tokio::test]
async fn token_functions_need_a_session() {
    let app = TestApp::new().await;
    for (name, form) in [
        ("list_tokens", vec![]),
        (
            "create_token",
            vec![("name", "CI pipeline"), ("expiry", "never"), ("expires_at", "")],
        ),
        ("delete_token", vec![("id", "1")]),
    ] {
        let response = app.rpc(name, &form).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{name}: {}", response.text());
        assert_eq!(response.json(), json!("Unauthenticated"), "{name}");
    }
    let alice = app.create_user("alice", &[]).await;
    assert_eq!(
        app.state
            .store
            .count_active_tokens(alice.id, app.clock.now())
            .await
            .expect("count"),
        0
    );
}

#[tokio::test]
async fn a_user_has_at_most_500_active_tokens_and_expired_or_deleted_ones_free_a_place() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let soon = "2026-01-01T01:00:00Z";
    let expiring = create_ok(&app, "expiring 1", "exact", soon).await;
    create_ok(&app, "expiring 2", "exact", soon).await;
    let mut last = Value::Null;
    for i in 3..=500 {
        // One every 3 seconds stays within 30 creations a minute.
        app.clock.advance(Duration::seconds(3));
        last = create_ok(&app, &format!("token {i}"), "never", "").await;
    }
    assert_eq!(active_tokens(&app).await, 500);

    let refused = create(&app, "one too many", "never", "").await;

    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    let error = &refused.json()["Conflict"];
    assert!(error["message"].as_str().is_some_and(|m| m.contains("500")), "{error}");
    assert_eq!(list(&app).await.len(), 500);

    app.clock.set(at(soon));
    assert_eq!(active_tokens(&app).await, 498);
    create_ok(&app, "after expiry 1", "never", "").await;
    create_ok(&app, "after expiry 2", "never", "").await;
    assert_eq!(
        create(&app, "one too many", "never", "").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(list(&app).await.len(), 502, "expired tokens stay listed");

    assert_eq!(delete(&app, &last["token"]["id"]).await.status, StatusCode::OK);
    create_ok(&app, "after deleting", "never", "").await;
    assert_eq!(
        create(&app, "one too many", "never", "").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(active_tokens(&app).await, 500);
    // Deleting an expired token frees nothing.
    assert_eq!(delete(&app, &expiring["token"]["id"]).await.status, StatusCode::OK);
    assert_eq!(
        create(&app, "one too many", "never", "").await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn deactivating_a_user_revokes_all_their_tokens() {
    let (app, user) = TestApp::with_signed_in_user("alice").await;
    let secrets = [
        secret_of(&create_ok(&app, "CI pipeline", "never", "").await),
        secret_of(&create_ok(&app, "nightly sync", "12", "").await),
    ];
    app.clock.advance(Duration::minutes(5));

    server::admin::deactivate(&app.state, "alice", &mut Vec::new())
        .await
        .expect("deactivate");

    for secret in &secrets {
        let digest = app.state.pepper.digest(&PlainToken::parse(secret).expect("a token"));
        let record = app
            .state
            .store
            .token_by_digest(&digest)
            .await
            .expect("store")
            .expect("the row stays for audit");
        assert_eq!(record.user_id, user.id);
        assert_eq!(record.revoked_at, Some(app.clock.now()));
    }
    assert_eq!(
        app.state
            .store
            .count_active_tokens(user.id, app.clock.now())
            .await
            .expect("count"),
        0
    );
    assert_eq!(app.state.store.tokens_of(user.id).await.expect("list"), vec![]);
    assert_eq!(app.rpc("list_tokens", &[]).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_store_keys_a_token_on_its_digest_under_the_servers_pepper() {
    let (app, user) = TestApp::with_signed_in_user("alice").await;
    let created = create_ok(&app, "CI pipeline", "2", "").await;
    let token = PlainToken::parse(&secret_of(&created)).expect("a token");

    let record = app
        .state
        .store
        .token_by_digest(&app.state.pepper.digest(&token))
        .await
        .expect("store")
        .expect("the token is stored under its digest");

    assert_eq!(json!(record.id.0), created["token"]["id"]);
    assert_eq!(record.user_id, user.id);
    assert_eq!(record.name, "CI pipeline");
    assert_eq!(record.created_at, tessera_tests::start_time());
    assert_eq!(record.expires_at, Some(at("2026-03-01T00:00:00Z")));
    assert_eq!(record.revoked_at, None);
    let other = Pepper::generate();
    assert_eq!(
        app.state
            .store
            .token_by_digest(&other.digest(&token))
            .await
            .expect("store"),
        None
    );
    let unknown = PlainToken::generate();
    assert_eq!(
        app.state
            .store
            .token_by_digest(&app.state.pepper.digest(&unknown))
            .await
            .expect("store"),
        None
    );
}

// The store keeps milliseconds; the create response must say exactly what lists say later.
#[tokio::test]
async fn the_created_token_is_exactly_the_token_the_list_shows() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    app.clock.advance(Duration::nanoseconds(123_456_789)); // as precise as the system clock

    let created = create_ok(&app, "CI pipeline", "exact", "2026-06-15T12:30:45.987654321Z").await;

    assert_eq!(list(&app).await, vec![created["token"].clone()]);
}

// Arguments that do not decode fail before the function body runs; they are still bad input.
#[tokio::test]
async fn malformed_token_arguments_are_refused_as_invalid_not_as_a_server_error() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    for (function, form) in [
        ("delete_token", vec![("id", "abc")]),
        ("delete_token", vec![]),
        ("create_token", vec![("name", "CI pipeline")]),
    ] {
        let response = app.rpc(function, &form).await;
        assert_eq!(response.json()["Invalid"]["field"], "request", "{function} {form:?}");
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{function} {form:?}: {}",
            response.text()
        );
    }
}

/// Collects everything the fmt subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn token_secrets_are_neither_stored_nor_logged() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // tracing caches each callsite's interest for the whole process. While only one dispatcher
    // exists, it asks the default subscriber of whichever thread reaches a callsite first, so a
    // sibling test without a subscriber would silence "created an API token" for this capture
    // too (tokio-rs/tracing#3611). A second live dispatcher makes it ask all of them.
    let _anchor = tracing::Dispatch::new(tracing_subscriber::registry());
    let guard = tracing::subscriber::set_default(subscriber);

    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let mut secrets = Vec::new();
    for (name, expiry, exact) in [
        ("CI pipeline", "never", ""),
        ("nightly sync", "2", ""),
        ("exact", "exact", "2026-06-15T12:30:00Z"),
        ("to delete", "24", ""),
    ] {
        secrets.push(secret_of(&create_ok(&app, name, expiry, exact).await));
    }
    assert_eq!(
        create(&app, "CI pipeline", "never", "").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        create(&app, "bad\u{202E}", "never", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        create(&app, "past", "exact", "2020-01-01T00:00:00Z").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let listed = list(&app).await;
    let doomed = listed.iter().find(|t| t["name"] == "to delete").expect("listed");
    assert_eq!(delete(&app, &doomed["id"]).await.status, StatusCode::OK);
    assert_eq!(
        app.rpc("delete_token", &[("id", "999999")]).await.status,
        StatusCode::NOT_FOUND
    );
    list(&app).await;
    let digest = app
        .state
        .pepper
        .digest(&PlainToken::parse(&secrets[0]).expect("a token"));
    drop(guard);

    let bytes = app.database_bytes().await;
    let logs = logs.0.lock().expect("log buffer").clone();
    let text = String::from_utf8_lossy(&logs);
    assert!(contains(&bytes, &digest.0), "the check reads the right file");
    assert!(text.contains("created an API token"), "the capture works:\n{text}");
    assert!(text.contains("revoked an API token"), "{text}");
    for secret in &secrets {
        for needle in [secret.as_str(), &secret[4..], &secret[4..47]] {
            assert!(!contains(&bytes, needle), "a token is in the database file");
            assert!(!contains(&logs, needle), "a token is in the logs:\n{text}");
        }
    }
}

#[tokio::test]
async fn creating_or_deleting_a_token_from_another_origin_is_refused() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    let form = [("name", "evil"), ("expiry", "never"), ("expires_at", "")];
    let request = app
        .rpc_request("create_token", &form)
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("name=evil&expiry=never&expires_at="))
        .expect("request");

    let response = app.send(request).await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.json(), json!("Forbidden"));
    assert!(!response.text().contains("tsr_"));
    assert_eq!(list(&app).await, Vec::<Value>::new());

    let kept = create_ok(&app, "CI pipeline", "never", "").await;
    let id = kept["token"]["id"].to_string();
    let request = app
        .rpc_request("delete_token", &[("id", &id)])
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(format!("id={id}")))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(list(&app).await, vec![kept["token"].clone()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creations_cannot_overshoot_the_limit() {
    use app::backend::store::NewToken;
    use app::backend::tokens::{MAX_ACTIVE_TOKENS, PlainToken};
    use app::domain::TokenName;

    let (app, user) = TestApp::with_signed_in_user("alice").await;
    let store = &app.state.store;
    for i in 0..MAX_ACTIVE_TOKENS - 3 {
        let name = TokenName::parse(&format!("bulk {i}")).expect("name");
        let digest = app.state.pepper.digest(&PlainToken::generate());
        let new = NewToken {
            user_id: user.id,
            name: &name,
            digest: &digest,
            // Made earlier, so the creation rate leaves room for the racers.
            created_at: app.clock.now() - Duration::minutes(2),
            expires_at: None,
        };
        store
            .insert_token(&new, MAX_ACTIVE_TOKENS)
            .await
            .expect("store")
            .expect("under the limit");
    }

    let attempts = (0..12).map(|i| {
        let name = format!("racer {i}");
        let app = &app;
        async move {
            app.rpc(
                "create_token",
                &[("name", &name), ("expiry", "never"), ("expires_at", "")],
            )
            .await
            .status
        }
    });
    let statuses = futures::future::join_all(attempts).await;

    let created = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(created, 3, "{statuses:?}");
    assert_eq!(
        store
            .count_active_tokens(user.id, app.clock.now())
            .await
            .expect("count"),
        MAX_ACTIVE_TOKENS
    );
}

#[tokio::test]
async fn a_user_creates_at_most_30_tokens_a_minute_and_is_told_when_to_retry() {
    let (app, _) = TestApp::with_signed_in_user("alice").await;
    for i in 0..30 {
        create_ok(&app, &format!("burst {i}"), "never", "").await;
    }

    let refused = create(&app, "one too fast", "never", "").await;

    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.text());
    assert_eq!(refused.header("retry-after"), Some("60"));
    let message = refused.json()["TooFast"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("too fast") && message.contains("60 s"), "{message}");
    assert_eq!(list(&app).await.len(), 30, "nothing was created");
    // Deleting does not make room: creations are what count.
    let first = list(&app).await[0]["id"].clone();
    assert_eq!(delete(&app, &first).await.status, StatusCode::OK);
    assert_eq!(
        create(&app, "still too fast", "never", "").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(Duration::seconds(61));
    create_ok(&app, "a minute later", "never", "").await;
}
