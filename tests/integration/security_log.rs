//! The security log: every kind of event is recorded with its user, token, address and user
//! agent; each person sees only their own, 50 a page, optionally of one token; no secret is
//! ever stored; refused requests of one token are capped per minute; `tessera audit` exports
//! the log.

use app::backend::security_log::{self, Event, EventKind, NOISY_PER_MINUTE, Origin};
use app::backend::store::{TokenId, UserId};
use app::server_fns::CreatedToken;
use app::server_fns::profile::ChangePassword;
use app::server_fns::session::ConfirmPassword;
use app::server_fns::session::{SignIn, SignOut};
use app::server_fns::tokens::{DeleteToken, EditToken, RotateToken};
use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::{ENTITIES, ME};
use tessera_tests::backend::PlainToken;
use tessera_tests::{
    PASSWORD, TestApp, assert_invalid, create_token, create_token_with_access, create_token_with_source,
};

use crate::admin_cli::run;

const HOME: &str = "198.51.100.4";
const FIREFOX: &str = "Mozilla/5.0 Firefox/140.0";
const SCRIPT_HOST: &str = "192.0.2.7";
const SCRIPT: &str = "feed-sync/2.1";

fn sign_in(username: &str, password: &str) -> SignIn {
    SignIn {
        username: username.to_owned(),
        password: password.to_owned().into(),
    }
}

/// `(kind, user id, username, address, user agent)` of each event.
type Seen = (String, Option<i64>, Option<String>, Option<String>, Option<String>);

async fn seen(app: &TestApp) -> Vec<Seen> {
    app.security_events()
        .await
        .into_iter()
        .map(|e| (e.kind, e.user_id, e.username, e.client_addr, e.user_agent))
        .collect()
}

fn event(kind: &str, user: Option<i64>, username: &str, addr: &str, agent: &str) -> Seen {
    (
        kind.to_owned(),
        user,
        Some(username.to_owned()),
        Some(addr.to_owned()),
        Some(agent.to_owned()),
    )
}

#[tokio::test]
async fn sign_ins_failures_throttling_and_sign_outs_are_logged_with_address_and_user_agent() {
    let app = TestApp::new().await;
    app.create_user("alice", &["Threat Research"]).await;
    let alice = app.user_id("alice").await;
    let browser = app.anonymous();
    let attacker = app.anonymous();

    assert_eq!(
        browser
            .call_from(sign_in("alice", PASSWORD), HOME, FIREFOX)
            .await
            .status,
        StatusCode::OK
    );
    let wrong = attacker
        .call_from(sign_in("alice", "not the password at all"), "203.0.113.5", "curl/8.5")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let unknown = attacker
        .call_from(
            sign_in("  mallory ", "not the password at all"),
            "203.0.113.5",
            "curl/8.5",
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        browser.call_from(SignOut {}, HOME, FIREFOX).await.status,
        StatusCode::OK
    );

    assert_eq!(
        seen(&app).await,
        vec![
            event("sign_in_succeeded", Some(alice), "alice", HOME, FIREFOX),
            event("sign_in_failed", Some(alice), "alice", "203.0.113.5", "curl/8.5"),
            event("sign_in_failed", None, "mallory", "203.0.113.5", "curl/8.5"),
            event("signed_out", Some(alice), "alice", HOME, FIREFOX),
        ]
    );
    let details: Vec<_> = app.security_events().await.into_iter().map(|e| e.detail).collect();
    assert_eq!(details[1].as_deref(), Some("wrong password"));
    assert!(
        details[2].as_deref().is_some_and(|d| d.contains("no account")),
        "{details:?}"
    );

    // Four more wrong passwords fill the account's allowance; the next attempt is throttled.
    for _ in 0..4 {
        attacker
            .call_from(sign_in("alice", "still not the password"), "203.0.113.5", "curl/8.5")
            .await;
    }
    let throttled = attacker
        .call_from(sign_in("alice", "still not the password"), "203.0.113.5", "curl/8.5")
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let last = seen(&app).await.pop().expect("an event");
    assert_eq!(
        last,
        event("sign_in_throttled", Some(alice), "alice", "203.0.113.5", "curl/8.5")
    );
}

#[tokio::test]
async fn a_password_typed_as_a_username_is_never_kept() {
    let app = TestApp::new().await;
    let response = app.anonymous().call(sign_in(PASSWORD, PASSWORD)).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    let events = app.security_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].username.as_deref(), Some("(not a username)"));
    assert_eq!(events[0].client_addr, None, "no address known: none stored");
}

#[tokio::test]
async fn token_changes_in_the_profile_are_logged_with_their_token() {
    let (app, alice) = TestApp::with_user("alice").await;
    let user = app.user_id("alice").await;
    let created: CreatedToken = alice
        .call_from(create_token("ci", "never", ""), HOME, FIREFOX)
        .await
        .decode();
    let id = created.token.id;
    let edit = EditToken {
        id,
        name: "deploy".into(),
        description: "Deploys the feed".into(),
        source: String::new(),
    };
    assert_eq!(alice.call_from(edit, HOME, FIREFOX).await.status, StatusCode::OK);
    let rotate = RotateToken {
        id,
        grace: "1h".into(),
        expiry: "same".into(),
        expires_at: String::new(),
    };
    assert_eq!(alice.call_from(rotate, HOME, FIREFOX).await.status, StatusCode::OK);
    assert_eq!(
        alice.call_from(DeleteToken { id }, HOME, FIREFOX).await.status,
        StatusCode::OK
    );

    let events: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.kind.starts_with("token_"))
        .collect();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["token_created", "token_edited", "token_rotated", "token_deleted"]
    );
    for e in &events {
        assert_eq!(
            (e.user_id, e.token_id, e.client_addr.as_deref(), e.user_agent.as_deref()),
            (Some(user), Some(id), Some(HOME), Some(FIREFOX)),
            "{e:?}"
        );
    }
    assert_eq!(events[0].detail.as_deref(), Some("never expires"));
    assert_eq!(
        events[1].detail.as_deref(),
        Some("renamed from \"ci\"; description changed")
    );
    let rotated = events[2].detail.as_deref().unwrap_or_default();
    assert!(
        rotated.starts_with("the old value works until 2026-01-01T01:00:00Z"),
        "{rotated}"
    );

    // The owner reads them newest first, in words, with the token's name.
    let log = alice.security_log(1, "").await;
    let newest = &log.events[0];
    assert_eq!(
        (newest.event.as_str(), newest.token_name.as_deref(), newest.token_id),
        ("Token deleted", Some("deploy"), Some(id))
    );
    assert_eq!(log.events.last().map(|e| e.kind.as_str()), Some("sign_in_succeeded"));
}

#[tokio::test]
async fn requests_refused_with_a_known_token_are_logged_and_unknown_tokens_are_not() {
    let app = TestApp::new().await;
    let alice = app.signed_in("alice", &["Threat Research", "Blue Team"]).await;
    let reader = alice.new_token_with_access("reader", "read").await;
    let expiring: CreatedToken = alice.call_ok(create_token("expiring", "2", "")).await;
    let expiring = alice.with_secret(&expiring.secret);
    let blue = alice.group_id("Blue Team").await;
    let own: CreatedToken = alice
        .call_ok(create_token_with_source("blue feed", &blue.to_string()))
        .await;
    let own = alice.with_secret(&own.secret);
    let deleted: CreatedToken = alice.call_ok(create_token("deleted", "never", "")).await;
    assert_eq!(
        alice.call(DeleteToken { id: deleted.token.id }).await.status,
        StatusCode::OK
    );
    let deleted = alice.with_secret(&deleted.secret);
    let expiring_id = expiring.token_id().await;
    let before = app.security_events().await.len();

    let body = json!({"type": "report", "title": "Q3"});
    let scope = reader
        .send(
            reader
                .request_from(http::Method::POST, ENTITIES, SCRIPT_HOST, SCRIPT)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(scope.status, StatusCode::FORBIDDEN);
    app.remove_from_group("alice", "Blue Team").await;
    assert_eq!(
        own.post(ENTITIES, body.clone()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        deleted.get_from(ME, SCRIPT_HOST, SCRIPT).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.bearer(PlainToken::generate().expose()).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.clock.advance(Duration::days(70));
    assert_eq!(
        expiring.get_from(ME, SCRIPT_HOST, SCRIPT).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Leaving the group is logged too, as the command's doing; only refusals are asked about.
    let refused: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .skip(before)
        .filter(|e| e.kind != "group_left")
        .collect();
    let kinds: Vec<_> = refused.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "token_new_address",
            "token_refused_scope",
            "token_refused_source",
            "token_refused_revoked",
            "token_refused_expired"
        ],
        "{refused:#?}"
    );
    let user = Some(app.user_id("alice").await);
    assert!(refused.iter().all(|e| e.user_id == user && e.token_id.is_some()));
    assert_eq!(
        (refused[1].client_addr.as_deref(), refused[1].user_agent.as_deref()),
        (Some(SCRIPT_HOST), Some(SCRIPT))
    );
    assert_eq!(refused[1].detail.as_deref(), Some("a read-only token asked to write"));
    assert!(refused[2].detail.as_deref().is_some_and(|d| d.contains("Blue Team")));
    assert_eq!(refused[4].token_id, Some(expiring_id));
}

#[tokio::test]
async fn rotation_reuse_and_leak_reports_revoke_and_are_logged() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let id = token.token_id().await;
    let (_, _new) = token.rotated(json!({"grace": "1h"})).await;
    let reuse = token.rotate(Some(json!({}))).await;
    assert_eq!(reuse.status, StatusCode::CONFLICT);
    let leaked = alice.new_token("leaked").await;
    let leaked_id = leaked.token_id().await;
    let report = app
        .anonymous()
        .post("/api/v1/credentials/revoke", json!({"tokens": [leaked.token()]}))
        .await;
    assert_eq!(report.status, StatusCode::ACCEPTED);

    let events = app.security_events().await;
    let find = |kind: &str| {
        events
            .iter()
            .find(|e| e.kind == kind)
            .unwrap_or_else(|| panic!("{kind}: {events:#?}"))
    };
    assert_eq!(find("token_rotated").token_id, Some(id));
    assert_eq!(find("token_revoked_reuse").token_id, Some(id));
    let exposed = find("token_revoked_exposed");
    assert_eq!(exposed.token_id, Some(leaked_id));
    assert_eq!(
        exposed.detail.as_deref(),
        Some("reported to the secret scanning endpoint")
    );
}

#[tokio::test]
async fn a_token_used_from_a_new_address_is_logged_once_per_address() {
    let (app, _alice, token) = TestApp::with_token("alice").await;
    for _ in 0..3 {
        assert_eq!(token.get_from(ME, SCRIPT_HOST, SCRIPT).await.status, StatusCode::OK);
    }
    assert_eq!(token.get_from(ME, "203.0.113.80", SCRIPT).await.status, StatusCode::OK);
    assert_eq!(token.get_from(ME, SCRIPT_HOST, SCRIPT).await.status, StatusCode::OK);

    let new: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.kind == "token_new_address")
        .map(|e| (e.client_addr.unwrap_or_default(), e.detail.unwrap_or_default()))
        .collect();
    assert_eq!(
        new,
        [
            (SCRIPT_HOST.to_owned(), "the token's first use".to_owned()),
            ("203.0.113.80".to_owned(), format!("previously used from {SCRIPT_HOST}")),
        ]
    );
}

#[tokio::test]
async fn password_changes_and_deactivations_are_logged() {
    let (app, alice) = TestApp::with_user("alice").await;
    let change = ChangePassword {
        current_password: PASSWORD.to_owned().into(),
        new_password: "a brand new passphrase".to_owned().into(),
        confirm_password: "a brand new passphrase".to_owned().into(),
    };
    assert_eq!(alice.call_from(change, HOME, FIREFOX).await.status, StatusCode::OK);
    app.deactivate("alice").await;
    let events = app.security_events().await;
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["sign_in_succeeded", "password_changed", "account_deactivated"]);
    assert_eq!(events[1].client_addr.as_deref(), Some(HOME));
    assert!(events[2].detail.as_deref().is_some_and(|d| d.contains("administrator")));
}

#[tokio::test]
async fn password_confirmations_are_logged_right_or_wrong() {
    let (app, alice) = TestApp::with_user("alice").await;
    app.clock.advance(Duration::minutes(61));
    let wrong = ConfirmPassword {
        password: "a wrong guess at it".to_owned().into(),
    };
    assert_eq!(
        alice.call_from(wrong, HOME, FIREFOX).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let right = ConfirmPassword {
        password: PASSWORD.to_owned().into(),
    };
    assert_eq!(alice.call_from(right, HOME, FIREFOX).await.status, StatusCode::OK);
    let events = app.security_events().await;
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "sign_in_succeeded",
            "password_confirmation_failed",
            "password_confirmed"
        ]
    );
    assert_eq!(events[2].client_addr.as_deref(), Some(HOME));
    assert_eq!(events[2].user_agent.as_deref(), Some(FIREFOX));
    // The owner reads them in words on the Security log page.
    let log = alice.security_log(1, "").await;
    let words: Vec<_> = log.events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        words,
        [
            "Password confirmed for a sensitive action",
            "Password confirmation failed",
            "Signed in"
        ]
    );
}

#[tokio::test]
async fn nobody_sees_another_users_events() {
    let (app, alice, alices_token) = TestApp::with_token("alice").await;
    let bob = app.signed_in("bob", &["Threat Research"]).await;
    let alices_id = alices_token.token_id().await;
    alices_token.get_from(ME, SCRIPT_HOST, SCRIPT).await;
    bob.new_token("bob's").await;

    let bobs = bob.security_log(1, "").await;
    let kinds: Vec<_> = bobs.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["token_created", "sign_in_succeeded"]);
    assert_eq!(
        bobs.tokens.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["bob's"]
    );
    assert!(bob.security_log(1, &alices_id.to_string()).await.events.is_empty());
    assert_eq!(alice.security_log(1, "").await.events.len(), 3);
    // Not signed in: nothing at all.
    let anonymous = app
        .anonymous()
        .call(app::server_fns::security_log::SecurityLog {
            page: 1,
            token: String::new(),
        })
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_log_is_paged_by_fifty_newest_first_and_filtered_by_token() {
    let (app, alice) = TestApp::with_user("alice").await;
    let first: CreatedToken = alice.call_ok(create_token("first", "never", "")).await;
    let second: CreatedToken = alice.call_ok(create_token("second", "never", "")).await;
    let user = UserId(app.user_id("alice").await);
    let origin = Origin::new(Some(SCRIPT_HOST.parse().expect("ip")), Some(SCRIPT.as_bytes()));
    for i in 0..120 {
        app.clock.advance(Duration::seconds(1));
        let token = if i % 2 == 0 { first.token.id } else { second.token.id };
        security_log::record(
            &app.state,
            Event::of(EventKind::TokenEdited, user, &origin).token(TokenId(token)),
        )
        .await;
    }
    // 120 edits, 2 creations, 1 sign-in.
    let pages = [
        alice.security_log(1, "").await,
        alice.security_log(2, "").await,
        alice.security_log(3, "").await,
    ];
    let sizes: Vec<_> = pages.iter().map(|p| (p.events.len(), p.more)).collect();
    assert_eq!(sizes, [(50, true), (50, true), (23, false)]);
    let all: Vec<_> = pages.iter().flat_map(|p| p.events.iter()).collect();
    assert!(
        all.windows(2).all(|w| (w[0].at, w[0].id) > (w[1].at, w[1].id)),
        "newest first"
    );
    assert_eq!(all.last().map(|e| e.kind.as_str()), Some("sign_in_succeeded"));

    let filter = first.token.id.to_string();
    let (one, two) = (
        alice.security_log(1, &filter).await,
        alice.security_log(2, &filter).await,
    );
    assert_eq!(
        (one.events.len(), one.more, two.events.len(), two.more),
        (50, true, 11, false)
    );
    assert!(
        one.events
            .iter()
            .chain(&two.events)
            .all(|e| e.token_id == Some(first.token.id))
    );
    assert_eq!(two.events.last().map(|e| e.kind.as_str()), Some("token_created"));
    assert_eq!(one.tokens.len(), 2, "both tokens can be chosen");
    let not_an_id = alice
        .call(app::server_fns::security_log::SecurityLog {
            page: 1,
            token: "first".into(),
        })
        .await;
    assert_invalid(&not_an_id, "token");
}

#[tokio::test]
async fn no_secret_is_ever_stored_in_the_log() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let secret = token.token().to_owned();
    let (answer, rotated) = token.rotated(json!({"grace": "0"})).await;
    let new_secret = answer["token"].as_str().expect("a value").to_owned();
    token.get_from(ME, SCRIPT_HOST, &format!("agent with {secret}")).await;
    rotated.get_from(ME, SCRIPT_HOST, SCRIPT).await;
    app.anonymous().call(sign_in("alice", "a wrong password here")).await;
    app.anonymous().call(sign_in(&secret, &secret)).await;
    alice.call(SignOut {}).await;

    let events = app.security_events().await;
    assert!(events.len() >= 6, "{events:#?}");
    // The replaced value, refused, sent its own secret as its user agent: kept without it.
    let refused = events
        .iter()
        .find(|e| e.kind == "token_refused_expired")
        .expect("refused");
    assert_eq!(refused.user_agent.as_deref(), Some("agent with [token removed]"));
    let text = format!("{events:?}");
    for needle in [
        "tsr_",
        PASSWORD,
        "a wrong password here",
        &secret,
        &new_secret,
        &app.digest(&secret),
        &app.digest(&new_secret),
    ] {
        assert!(!text.contains(needle), "{needle} is in the log: {text}");
    }
}

#[tokio::test]
async fn refused_requests_of_one_token_are_capped_per_minute_and_say_what_was_left_out() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let id = token.token_id().await;
    let count = |events: &[tessera_tests::security_log::LoggedEvent]| {
        events.iter().filter(|e| e.kind == "token_refused_revoked").count()
    };
    let listed = alice.tokens().await;
    assert_eq!(alice.delete_token(&listed[0]["id"]).await.status, StatusCode::OK);
    for _ in 0..25 {
        assert_eq!(token.get(ME).await.status, StatusCode::UNAUTHORIZED);
    }
    let events = app.security_events().await;
    assert_eq!(count(&events), NOISY_PER_MINUTE as usize);

    app.clock.advance(Duration::seconds(61));
    token.get(ME).await;
    let events = app.security_events().await;
    assert_eq!(count(&events), NOISY_PER_MINUTE as usize + 1);
    let last = events.last().expect("an event");
    assert_eq!(last.token_id, Some(id));
    assert!(
        last.detail
            .as_deref()
            .is_some_and(|d| d.contains("(15 more refused requests")),
        "{last:?}"
    );
}

#[tokio::test]
async fn tessera_audit_exports_jsonl_and_a_table_and_refuses_a_bad_date() {
    let (app, alice) = TestApp::with_user("alice").await;
    alice.call_ok(create_token_with_access("ci", "never", "", "read")).await;
    let _bob = app.signed_in("bob", &["Threat Research"]).await;

    let out = run(&app, &["audit"], "").await.expect("audit");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let kinds: Vec<_> = lines
        .iter()
        .map(|l| (l["kind"].as_str(), l["username"].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("sign_in_succeeded"), Some("alice")),
            (Some("token_created"), Some("alice")),
            (Some("sign_in_succeeded"), Some("bob")),
        ]
    );
    assert_eq!(lines[1]["token_name"], "ci");
    assert_eq!(lines[0]["at"], "2026-01-01T00:00:00.000Z");
    for line in &lines {
        chrono::DateTime::parse_from_rfc3339(line["at"].as_str().expect("a time")).expect("RFC 3339");
    }

    let alices = run(&app, &["audit", "--user", "alice", "--format", "jsonl"], "")
        .await
        .expect("audit");
    assert_eq!(alices.lines().count(), 2);
    app.clock.advance(Duration::days(2));
    app.anonymous().call(sign_in("alice", PASSWORD)).await;
    let since = run(&app, &["audit", "--since", "2026-01-02"], "").await.expect("audit");
    assert_eq!(since.lines().count(), 1, "{since}");
    let since = run(&app, &["audit", "--since", "2026-01-02T12:00:00+02:00"], "")
        .await
        .expect("audit");
    assert_eq!(since.lines().count(), 1, "{since}");

    let table = run(&app, &["audit", "--user", "alice", "--format", "table"], "")
        .await
        .expect("table");
    let rows: Vec<_> = table.lines().collect();
    assert!(
        rows[0].starts_with("TIME (UTC)") && rows[0].contains("EVENT"),
        "{table}"
    );
    assert_eq!(rows.len(), 4, "{table}");
    assert!(
        rows[2].contains("token_created") && rows[2].contains("ci (#"),
        "{table}"
    );

    let bad = run(&app, &["audit", "--since", "last tuesday"], "")
        .await
        .expect_err("a bad date");
    assert!(
        bad.contains("`last tuesday` is not a date") && bad.contains("YYYY-MM-DD"),
        "{bad}"
    );
    let nobody = run(&app, &["audit", "--user", "nobody"], "")
        .await
        .expect_err("no such user");
    assert!(nobody.contains("There is no user named"), "{nobody}");
}
