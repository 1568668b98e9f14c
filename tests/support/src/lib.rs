//! A fresh PostgreSQL database for one test: created on the server `TEST_DATABASE_URL` names,
//! dropped (with any connections still open) when the [`TestDatabase`] is dropped. Both the
//! in-process tests (`tessera-tests`) and the binary tests (`server/tests`) use it.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection as _, Executor as _};

/// Names a PostgreSQL server for tests (`postgres://postgres@127.0.0.1:5432/test`); each test
/// creates and drops a database of its own there.
pub const SERVER_ENV: &str = "TEST_DATABASE_URL";

/// The PostgreSQL server for tests, if `TEST_DATABASE_URL` names one.
pub fn server() -> Option<String> {
    std::env::var(SERVER_ENV).ok().filter(|url| !url.trim().is_empty())
}

/// The PostgreSQL server for tests; without one, says on stderr that `test` was skipped.
pub fn server_or_skip(test: &str) -> Option<String> {
    let server = server();
    if server.is_none() {
        eprintln!("{test}: skipped, {SERVER_ENV} is not set");
    }
    server
}

/// A database created for one test, dropped when this is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    server: String,
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates a database with a name no other test uses on `server`. Panics with the
    /// reason when the server cannot be reached: a test that asked for PostgreSQL must not
    /// pass without it.
    pub async fn create(server: &str) -> Self {
        sqlx::any::install_default_drivers();
        let name = unique_name();
        let mut conn = sqlx::AnyConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("{SERVER_ENV} is set but PostgreSQL is unreachable at {server}: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap_or_else(|e| panic!("create the test database {name}: {e}"));
        let _ = conn.close().await;
        let mut url = url::Url::parse(server).unwrap_or_else(|e| panic!("{SERVER_ENV} is not a URL ({e}): {server}"));
        url.set_path(&name);
        Self {
            server: server.to_owned(),
            name,
            url: url.to_string(),
        }
    }

    /// The URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDatabase {
    /// Drops the database on a thread of its own, so that this works inside and outside a
    /// Tokio runtime alike.
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&server).await {
                    let _ = conn
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// `tessera_test_` and 16 hex digits from the process, a counter and the time: unique across
/// the tests of one run and across runs side by side.
fn unique_name() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    format!("tessera_test_{:016x}", hasher.finish())
}
