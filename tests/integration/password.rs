//! Changing one's password: the current one is checked (and wrong ones are throttled like
//! sign-ins), the new one twice; every other session of the user ends, this one goes on.

use app::server_fns::profile::ChangePassword;
use http::StatusCode;
use tessera_tests::{PASSWORD, TestApp, assert_invalid};

const NEW: &str = "a much longer new passphrase";

fn change(current: &str, new: &str, confirm: &str) -> ChangePassword {
    ChangePassword {
        current_password: current.to_owned().into(),
        new_password: new.to_owned().into(),
        confirm_password: confirm.to_owned().into(),
    }
}

#[tokio::test]
async fn a_new_password_ends_every_other_session_and_the_old_one_stops_working() {
    let app = TestApp::new().await;
    app.create_user("alice", &["Threat Research"]).await;
    let here = app.sign_in_as("alice").await;
    let elsewhere = app.sign_in_as("alice").await;
    let token = here.new_token("pipeline").await;

    let changed = here.call(change(PASSWORD, NEW, NEW)).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());

    assert_eq!(here.current_user().await["username"], "alice", "this session goes on");
    assert_eq!(
        elsewhere.current_user().await,
        serde_json::json!(null),
        "the other one ended"
    );
    assert_eq!(app.sessions_of("alice").await, 1);
    let old = app.anonymous().sign_in("alice", PASSWORD).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED, "{}", old.text());
    let new = app.anonymous().sign_in("alice", NEW).await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.text());
    // API tokens are not sessions: they keep working.
    assert_eq!(token.get(tessera_tests::api::ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn each_mistake_is_named_at_its_field_and_changes_nothing() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let alice = app.sign_in_as("alice").await;
    let other = app.sign_in_as("alice").await;

    for (args, field, words) in [
        (change("", NEW, NEW), "current_password", "Enter your current password"),
        (change(PASSWORD, "short", "short"), "new_password", "at least 12"),
        (
            change(PASSWORD, NEW, "something else entirely"),
            "confirm_password",
            "differ",
        ),
        (
            change(PASSWORD, PASSWORD, PASSWORD),
            "new_password",
            "is the current one",
        ),
        (
            change("not the password at all", NEW, NEW),
            "current_password",
            "not correct",
        ),
    ] {
        let message = assert_invalid(&alice.call(args).await, field);
        assert!(message.contains(words), "{field}: {message}");
    }
    assert_eq!(other.current_user().await["username"], "alice", "nothing ended");
    assert_eq!(app.anonymous().sign_in("alice", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_like_failed_sign_ins() {
    let app = TestApp::new().await;
    app.create_user("alice", &[]).await;
    let alice = app.sign_in_as("alice").await;

    let mut throttled = None;
    for _ in 0..10 {
        let response = alice.call(change("a wrong guess at it", NEW, NEW)).await;
        if response.status == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(response);
            break;
        }
        assert_invalid(&response, "current_password");
    }
    let throttled = throttled.expect("guessing is throttled");
    assert!(
        throttled.json()["Throttled"]["retry_after_secs"].as_u64().is_some(),
        "{}",
        throttled.text()
    );
    // Even the right password waits now, and the password did not change.
    let right = alice.call(change(PASSWORD, NEW, NEW)).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{}", right.text());
}
