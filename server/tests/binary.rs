//! The `tessera` binary itself: admin commands' exit codes, and a real server on port 0 that
//! serves a token-authenticated request and stops gracefully on SIGTERM, writing pending
//! last-used times on the way out.

mod common;

use common::{Running, api_get, client, create_token, rpc, sign_in, tessera};

#[test]
fn admin_commands_exit_non_zero_with_a_readable_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());

    let ok = tessera(&db, &["group", "create", "SOC"], "");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    for args in [
        &["group", "create", "SOC"][..],
        &["user", "create", "not valid"],
        &["user", "deactivate", "ghost"],
    ] {
        let out = tessera(&db, args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let bad_url = tessera("mysql://nope", &["user", "list"], "");
    assert_eq!(bad_url.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_url.stderr).contains("sqlite://"));
}

#[tokio::test]
async fn the_server_binds_port_zero_serves_tokens_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let created = tessera(
        &db,
        &["user", "create", "alice", "--password-stdin"],
        "correct horse battery\n",
    );
    assert!(created.status.success());
    let server = Running::start(&db, &dir.path().join("pepper"), dir.path());
    let (client, base) = (client(), server.base.clone());

    let cookie = sign_in(&client, &base, "alice", "correct horse battery").await;
    // Every server function answers from the real binary (they are registered explicitly).
    for (function, body) in [
        ("current_user", ""),
        ("update_profile", "display_name=Alice&email="),
        ("set_default_source", "group_id="),
        ("list_tokens", ""),
    ] {
        let (status, answer, _) = rpc(&client, &base, function, Some(&cookie), body).await;
        assert_eq!(status, 200, "{function}: {answer}");
    }
    let (_, secret) = create_token(&client, &base, &cookie, "ci").await;
    assert_eq!(api_get(&client, &base, "/api/v1/me", &secret).await, 200);

    assert!(server.stop(), "the server did not exit cleanly on SIGTERM");

    // The use was written at shutdown (or by the background flush just before).
    let store = app::backend::Store::connect(&db).await.expect("reopen");
    let user = store
        .user_by_username(&app::domain::Username::parse("alice").expect("name"))
        .await
        .expect("store")
        .expect("alice");
    let tokens = store.tokens_of(user.id).await.expect("tokens");
    assert!(tokens[0].token.last_used_at.is_some(), "last used was not written");
}
