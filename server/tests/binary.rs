//! The `tessera` binary itself: admin commands' exit codes, and a real server on port 0 that
//! serves a token-authenticated request and stops gracefully on SIGTERM, writing pending
//! last-used times on the way out.

mod common;

use app::server_fns::profile::{SetDefaultSource, UpdateProfile};
use app::server_fns::session::CurrentUser;
use app::server_fns::tokens::ListTokens;
use common::{Running, api_get, call, client, create_token, first_token_last_used, sign_in, tessera};

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
    let update = UpdateProfile {
        display_name: "Alice".to_owned(),
        email: String::new(),
    };
    let clear_default = SetDefaultSource {
        group_id: String::new(),
    };
    let session = Some(cookie.as_str());
    for (function, (status, answer, _)) in [
        ("current_user", call(&client, &base, session, &CurrentUser {}).await),
        ("update_profile", call(&client, &base, session, &update).await),
        (
            "set_default_source",
            call(&client, &base, session, &clear_default).await,
        ),
        ("list_tokens", call(&client, &base, session, &ListTokens {}).await),
    ] {
        assert_eq!(status, 200, "{function}: {answer}");
    }
    let (_, secret) = create_token(&client, &base, &cookie, "ci").await;
    assert_eq!(api_get(&client, &base, "/api/v1/me", &secret).await, 200);

    assert!(server.stop(), "the server did not exit cleanly on SIGTERM");

    // The use was written at shutdown (or by the background flush just before).
    assert!(
        first_token_last_used(&db, "alice").await.is_some(),
        "last used was not written"
    );
}
