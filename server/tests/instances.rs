//! Two `tessera serve` processes on one PostgreSQL database, as behind a load balancer:
//! sessions and tokens work on either, and a deletion on one reaches the other within the
//! documented bound. Needs `TEST_DATABASE_URL`; without it the test says it was skipped.

mod common;

use std::time::{Duration, Instant};

use common::{Running, api_get, client, create_token, rpc, sign_in, tessera};
use tessera_test_db::{TestDatabase, server_or_skip};

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
    let (status, me, _) = rpc(&client, &b.base, "current_user", Some(&cookie), "").await;
    assert_eq!(status, 200);
    assert!(me.contains("\"username\":\"alice\""), "{me}");

    // A token created through A authenticates on B.
    let (id, secret) = create_token(&client, &a.base, &cookie, "shared").await;
    assert_eq!(api_get(&client, &b.base, "/api/v1/me", &secret).await, 200);

    // Deleted through A: refused by A at once, by B within the 5-second bound.
    let (status, _, _) = rpc(&client, &a.base, "delete_token", Some(&cookie), &format!("id={id}")).await;
    assert_eq!(status, 200);
    assert_eq!(api_get(&client, &a.base, "/api/v1/me", &secret).await, 401);
    let deleted = Instant::now();
    while api_get(&client, &b.base, "/api/v1/me", &secret).await != 401 {
        assert!(
            deleted.elapsed() < Duration::from_secs(6),
            "B still accepts a deleted token after 6 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    assert!(a.stop() && b.stop(), "the servers did not stop cleanly");
}
