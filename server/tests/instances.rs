//! Two `tessera serve` processes on one PostgreSQL database, as behind a load balancer:
//! sessions and tokens work on either, and a deletion on one (or a deactivation by the admin
//! command) reaches the other within 100 ms. Needs `TEST_DATABASE_URL`; without it the test
//! says it was skipped.

mod common;

use std::time::{Duration, Instant};

use app::server_fns::session::CurrentUser;
use app::server_fns::tokens::DeleteToken;
use common::{Running, api_get, call, client, create_token, sign_in, tessera};
use tessera_test_db::{TestDatabase, server_or_skip};

/// How soon a server refuses a token revoked elsewhere.
const INSTANT: Duration = Duration::from_millis(100);

/// Asks `/api/v1/me` on `base` with `token` until it is refused; fails if it is still accepted
/// `bound` after the call.
async fn refused_within(client: &common::Client, base: &str, token: &str, bound: Duration) {
    let start = Instant::now();
    while api_get(client, base, "/api/v1/me", token).await != 401 {
        assert!(
            start.elapsed() < bound,
            "{base} still accepts the token after {:?}",
            start.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn two_server_processes_share_sessions_tokens_and_revocations() {
    let Some(server) = server_or_skip("two server processes") else {
        return;
    };
    let database = TestDatabase::create(&server).await;
    let db = database.url();

    let dir = tempfile::tempdir().expect("temp dir");
    let pepper = dir.path().join("pepper");
    assert!(
        tessera(
            db,
            &["user", "create", "alice", "--password-stdin"],
            "correct horse battery\n"
        )
        .status
        .success()
    );
    let a = Running::start(db, &pepper, dir.path());
    let b = Running::start(db, &pepper, dir.path());
    let client = client();

    // A session started on A works on B.
    let cookie = sign_in(&client, &a.base, "alice", "correct horse battery").await;
    let (status, me, _) = call(&client, &b.base, Some(&cookie), &CurrentUser {}).await;
    assert_eq!(status, 200);
    assert!(me.contains("\"username\":\"alice\""), "{me}");

    // A token created through A authenticates on B.
    let (id, secret) = create_token(&client, &a.base, &cookie, "shared").await;
    assert_eq!(api_get(&client, &b.base, "/api/v1/me", &secret).await, 200);

    // Deleted through A: refused by A at once, by B within 100 ms (B heard the NOTIFY).
    let (status, _, _) = call(&client, &a.base, Some(&cookie), &DeleteToken { id }).await;
    assert_eq!(status, 200);
    assert_eq!(api_get(&client, &a.base, "/api/v1/me", &secret).await, 401);
    refused_within(&client, &b.base, &secret, INSTANT).await;

    // Deactivated by the admin command, a process of its own: both servers refuse the user's
    // other token within 100 ms of the command's exit.
    let (_, other) = create_token(&client, &a.base, &cookie, "other").await;
    assert_eq!(api_get(&client, &a.base, "/api/v1/me", &other).await, 200);
    assert_eq!(api_get(&client, &b.base, "/api/v1/me", &other).await, 200);
    assert!(tessera(db, &["user", "deactivate", "alice"], "").status.success());
    refused_within(&client, &a.base, &other, INSTANT).await;
    refused_within(&client, &b.base, &other, INSTANT).await;

    assert!(a.stop() && b.stop(), "the servers did not stop cleanly");
}
