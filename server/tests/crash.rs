//! Crash consistency: `tessera serve` under a steady stream of token creations, deletions and
//! object creations is killed with SIGKILL at random moments, 20 times, and restarted. Every
//! write that was answered with 2xx must still be there, and every deleted token must stay
//! refused. On SQLite always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::server_fns::tokens::{CreateToken, DeleteToken};
use common::{Client, Running, api_get, call_request, client, sign_in, tessera};
use rand::Rng as _;
use tessera_test_db::{TestDatabase, server_or_skip};

const PASSWORD: &str = "correct horse battery";
const KILLS: usize = 20;

/// What the server acknowledged with a 2xx before it was killed.
#[derive(Default)]
struct Acknowledged {
    /// Tokens created and not deleted: (id, secret).
    live: Vec<(i64, String)>,
    /// Tokens whose deletion was acknowledged.
    deleted: Vec<String>,
    /// Entities created: (id, a token of their creator that was live then).
    entities: Vec<(i64, String)>,
}

/// Sends a request; `None` when the server did not answer (it was killed).
async fn try_send(client: &Client, request: http::Request<String>) -> Option<(u16, String)> {
    use http_body_util::BodyExt as _;
    let response = client.request(request).await.ok()?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.ok()?.to_bytes();
    Some((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Creates tokens and entities and deletes every other token, as fast as the server answers,
/// recording what it acknowledged, until the server stops answering.
async fn write_until_killed(base: String, cookie: String, round: usize, seen: Arc<Mutex<Acknowledged>>) {
    let client = client();
    for i in 0.. {
        let args = CreateToken {
            name: format!("round {round} token {i}"),
            expiry: "never".to_owned(),
            expires_at: String::new(),
            access: "read_write".to_owned(),
            description: String::new(),
            source: String::new(),
        };
        let Some((status, answer)) = try_send(&client, call_request(&base, Some(&cookie), &args)).await else {
            return;
        };
        if status != 200 {
            continue; // 429 once the minute's creations are used up: not acknowledged, not expected.
        }
        let created: serde_json::Value = serde_json::from_str(&answer).expect("json");
        let id = created["token"]["id"].as_i64().expect("id");
        let secret = created["secret"].as_str().expect("secret").to_owned();
        seen.lock().expect("lock").live.push((id, secret.clone()));

        let entity = http::Request::post(format!("{base}/api/v1/entities"))
            .header("authorization", format!("Bearer {secret}"))
            .header("content-type", "application/json")
            .body(format!(r#"{{"type":"report","title":"round {round} report {i}"}}"#))
            .expect("request");
        let Some((status, answer)) = try_send(&client, entity).await else {
            return;
        };
        if status == 201 {
            let created: serde_json::Value = serde_json::from_str(&answer).expect("json");
            let entity_id = created["id"].as_i64().expect("id");
            seen.lock().expect("lock").entities.push((entity_id, secret.clone()));
        }

        if i % 2 == 1 {
            // Until the deletion is answered, the token may or may not be deleted: it is
            // checked only once the answer says which.
            seen.lock().expect("lock").live.retain(|(live, _)| *live != id);
            let request = call_request(&base, Some(&cookie), &DeleteToken { id });
            let Some((status, _)) = try_send(&client, request).await else {
                return;
            };
            let mut seen = seen.lock().expect("lock");
            if status == 200 {
                seen.deleted.push(secret);
            } else {
                seen.live.push((id, secret));
            }
        }
    }
}

/// Every acknowledged write is there after the crashes; deleted tokens stay refused.
async fn check(base: &str, seen: &Acknowledged) {
    let client = client();
    for (_, secret) in &seen.live {
        assert_eq!(
            api_get(&client, base, "/api/v1/me", secret).await,
            200,
            "an acknowledged token was lost"
        );
    }
    for secret in &seen.deleted {
        assert_eq!(
            api_get(&client, base, "/api/v1/me", secret).await,
            401,
            "a deleted token came back"
        );
    }
    let reader = &seen.live.first().expect("a live token").1;
    for (id, _) in &seen.entities {
        let path = format!("/api/v1/entities/{id}");
        assert_eq!(
            api_get(&client, base, &path, reader).await,
            200,
            "an acknowledged entity was lost"
        );
    }
}

async fn crash_repeatedly(db: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pepper = dir.path().join("pepper");
    assert!(tessera(db, &["group", "create", "Crash Lab"], "").status.success());
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    for round in 0..KILLS {
        // A user per round: each has a fresh allowance of token creations for the minute.
        let username = format!("writer{round}");
        let created = tessera(
            db,
            &["user", "create", &username, "--group", "Crash Lab", "--password-stdin"],
            PASSWORD,
        );
        assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
        let server = Running::start(db, &pepper, dir.path());
        let cookie = sign_in(&client(), &server.base, &username, PASSWORD).await;
        let writer = tokio::spawn(write_until_killed(server.base.clone(), cookie, round, seen.clone()));
        let run_for = rand::thread_rng().gen_range(50..400);
        tokio::time::sleep(Duration::from_millis(run_for)).await;
        drop(server); // SIGKILL, mid-write
        tokio::time::timeout(Duration::from_secs(30), writer)
            .await
            .expect("the writer notices the server is gone")
            .expect("writer");
    }
    let server = Running::start(db, &pepper, dir.path());
    let seen = std::mem::take(&mut *seen.lock().expect("lock"));
    assert!(
        seen.live.len() >= KILLS && !seen.deleted.is_empty() && !seen.entities.is_empty(),
        "too little was written"
    );
    check(&server.base, &seen).await;
    eprintln!(
        "crash consistency: {KILLS} kills; {} live tokens, {} deleted tokens and {} entities all as acknowledged",
        seen.live.len(),
        seen.deleted.len(),
        seen.entities.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    crash_repeatedly(&format!("sqlite://{}", dir.path().join("crash.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_on_postgresql() {
    let Some(server) = server_or_skip("crash consistency on PostgreSQL") else {
        return;
    };
    let database = TestDatabase::create(&server).await;
    crash_repeatedly(database.url()).await;
}
