//! One server on its own fresh database, driven in process, and the clients that act on it.

use std::path::PathBuf;
use std::sync::Arc;

use app::backend::invalidation::Watcher;
use app::backend::tokens::Pepper;
use app::backend::{AppState, Clock, Store};
use axum::Router;
use server::router::WebOptions;
use tessera_test_db::TestDatabase;

use crate::{Client, start_time};

/// `postgres` runs the tests on PostgreSQL; anything else (or unset) on SQLite.
pub const BACKEND_ENV: &str = "TESSERA_TEST_BACKEND";

/// Where a test's data lives.
enum Database {
    Sqlite(PathBuf),
    /// A database this app created and drops.
    Postgres(TestDatabase),
    /// Another app's database.
    Shared(String),
}

/// Where a test app's data lives: its directory (the served `dist/`, the SQLite file) and its
/// database. Removed when the app and the last of its clients are gone, so a client never
/// outlives its database.
pub(crate) struct Storage {
    _dir: tempfile::TempDir,
    database: Database,
}

/// One server on its own fresh database (SQLite, or PostgreSQL when `TESSERA_TEST_BACKEND`
/// is `postgres`), driven in process on a manual clock that starts at [`start_time`].
pub struct TestApp {
    pub state: AppState,
    pub clock: Clock,
    router: Router,
    /// Applies changes announced by other instances and the admin CLI.
    changes: Arc<Watcher>,
    storage: Arc<Storage>,
}

impl TestApp {
    /// A new app on a fresh database.
    pub async fn new() -> Self {
        Self::with_state(|state| state).await
    }

    /// A new app on a fresh database, its state changed by `configure` (such as
    /// `|s| s.with_token_policy(…)`: a server started with other settings).
    pub async fn with_state(configure: impl FnOnce(AppState) -> AppState) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = if std::env::var(BACKEND_ENV).as_deref() == Ok("postgres") {
            let server = tessera_test_db::server().unwrap_or_else(|| {
                panic!(
                    "{BACKEND_ENV}=postgres needs {}=postgres://…",
                    tessera_test_db::SERVER_ENV
                )
            });
            Database::Postgres(TestDatabase::create(&server).await)
        } else {
            Database::Sqlite(dir.path().join("tessera.db"))
        };
        Self::on(database, dir, Pepper::generate(), configure).await
    }

    /// A new app on its own fresh PostgreSQL database (whatever `TESSERA_TEST_BACKEND` says).
    pub async fn on_postgres(server: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::on(
            Database::Postgres(TestDatabase::create(server).await),
            dir,
            Pepper::generate(),
            |state| state,
        )
        .await
    }

    /// Another instance on this app's database, with the same pepper and its own clock and
    /// caches: a second server process behind the same load balancer.
    pub async fn second_instance(&self) -> Self {
        self.restarted_with(|state| state).await
    }

    /// Another instance on this app's database, with the same pepper, its own clock and
    /// caches, and its state changed by `configure`: the server restarted with other settings.
    pub async fn restarted_with(&self, configure: impl FnOnce(AppState) -> AppState) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::on(
            Database::Shared(self.database_url()),
            dir,
            self.state.pepper.clone(),
            configure,
        )
        .await
    }

    /// A new app with `username` signed in, in "Threat Research".
    pub async fn with_user(username: &str) -> (Self, Client) {
        let app = Self::new().await;
        let user = app.signed_in(username, &["Threat Research"]).await;
        (app, user)
    }

    /// A new app with `username` signed in, in "Threat Research", and a client using their
    /// never-expiring token "`username`'s token".
    pub async fn with_token(username: &str) -> (Self, Client, Client) {
        let app = Self::new().await;
        let (user, token) = app.signed_in_with_token(username, &["Threat Research"]).await;
        (app, user, token)
    }

    async fn on(
        database: Database,
        dir: tempfile::TempDir,
        pepper: Pepper,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> Self {
        let url = database.url();
        let store = Store::connect_with(&url, 4).await.expect("open database");
        let clock = Clock::manual(start_time());
        let state = configure(AppState::new(store, clock.clone(), pepper));
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(
            dist.join("index.html"),
            "<!DOCTYPE html><title>Tessera</title><script type=\"module\">start()</script>",
        )
        .expect("index");
        let router = server::router(
            state.clone(),
            &WebOptions {
                dist,
                allowed_hosts: vec![crate::HOST.parse().expect("a host name")],
                ..WebOptions::default()
            },
        );
        let changes = Watcher::spawn(state.clone());
        tokio::time::timeout(std::time::Duration::from_secs(10), changes.connected(1))
            .await
            .expect("the app starts hearing of other instances' changes");
        Self {
            state,
            clock,
            router,
            changes: Arc::new(changes),
            storage: Arc::new(Storage { _dir: dir, database }),
        }
    }

    /// Completes once this app has (re)connected to the change announcements `times` times.
    pub async fn changes_connected(&self, times: u64) {
        self.changes.connected(times).await;
    }

    /// The database URL of this app, for admin commands.
    pub fn database_url(&self) -> String {
        self.storage.database.url()
    }

    /// The SQLite file, when this app runs on SQLite.
    pub(crate) fn sqlite_file(&self) -> Option<&std::path::Path> {
        match &self.storage.database {
            Database::Sqlite(path) => Some(path),
            Database::Postgres(_) | Database::Shared(_) => None,
        }
    }

    /// The folder the client's files are served from (it holds a stand-in `index.html`).
    pub fn dist(&self) -> PathBuf {
        self.storage._dir.path().join("dist")
    }

    pub(crate) fn client(&self, cookie: Option<String>, token: Option<String>) -> Client {
        Client::new(self.router.clone(), self.storage.clone(), cookie, token)
    }

    /// A client with no cookie and no token: a visitor, or a browser before sign-in.
    pub fn anonymous(&self) -> Client {
        self.client(None, None)
    }

    /// A client holding a session cookie it got elsewhere (an old one, or another's).
    pub fn with_cookie(&self, cookie: String) -> Client {
        self.client(Some(cookie), None)
    }

    /// A client that sends `token` as its bearer token, whatever it is.
    pub fn bearer(&self, token: &str) -> Client {
        self.client(None, Some(token.to_owned()))
    }

    /// A client signed in as the existing user `username`.
    pub async fn sign_in_as(&self, username: &str) -> Client {
        let client = self.anonymous();
        client.sign_in_as(username).await;
        client
    }

    /// Creates `username` in `groups` and answers a client signed in as them.
    pub async fn signed_in(&self, username: &str, groups: &[&str]) -> Client {
        self.create_user(username, groups).await;
        self.sign_in_as(username).await
    }

    /// Creates `username` in `groups`, signs them in and creates their never-expiring token
    /// "`username`'s token"; answers the signed-in client and a client using the token.
    pub async fn signed_in_with_token(&self, username: &str, groups: &[&str]) -> (Client, Client) {
        let user = self.signed_in(username, groups).await;
        let token = user.new_token(&format!("{username}'s token")).await;
        (user, token)
    }
}

impl Database {
    fn url(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite://{}", path.display()),
            Database::Postgres(db) => db.url().to_owned(),
            Database::Shared(url) => url.clone(),
        }
    }
}
