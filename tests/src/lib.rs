//! Helpers shared by Tessera's integration and browser tests: a fresh database per test,
//! the real router driven in process, and a cookie jar that follows `Set-Cookie`.

pub mod browser;

use std::path::PathBuf;
use std::sync::Mutex;

use app::backend::accounts::NewAccount;
use app::backend::store::User;
use app::backend::{AppState, Clock, Store};
use axum::Router;
use axum::body::Body;
use chrono::{DateTime, Utc};
use http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use server::admin;
use server::router::WebOptions;
use tower::ServiceExt as _;

/// The host name in-process requests claim to be for.
pub const HOST: &str = "tessera.test";
/// A password that satisfies the rules, used for test accounts.
pub const PASSWORD: &str = "correct horse battery staple";

/// The instant every test clock starts at.
pub fn start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default() // 2026-01-01T00:00:00Z
}

/// Names a PostgreSQL server for tests (`postgres://postgres@127.0.0.1:5432/test`); each test
/// creates and drops a database of its own there.
pub const PG_URL_ENV: &str = "TEST_DATABASE_URL";
/// `postgres` runs the tests on PostgreSQL; anything else (or unset) on SQLite.
pub const BACKEND_ENV: &str = "TESSERA_TEST_BACKEND";

/// The PostgreSQL server for tests, if one is configured.
pub fn postgres_server() -> Option<String> {
    std::env::var(PG_URL_ENV).ok().filter(|u| !u.trim().is_empty())
}

/// A database created for one test on the PostgreSQL server, dropped when this is dropped.
pub struct PgDatabase {
    server: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create(server: &str) -> Self {
        use sqlx::{Connection as _, Executor as _};
        sqlx::any::install_default_drivers();
        let name = format!("tessera_test_{:016x}", rand_u64());
        let mut conn = sqlx::AnyConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("{PG_URL_ENV} is set but PostgreSQL is unreachable at {server}: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        let mut url = url::Url::parse(server).expect("a URL");
        url.set_path(&name);
        Self {
            server: server.to_owned(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            use sqlx::{Connection as _, Executor as _};
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&server).await {
                    let _ = conn
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            });
        })
        .join();
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    h.finish()
}

/// Where a test's data lives.
enum Database {
    Sqlite(PathBuf),
    /// A database this app created and drops.
    Postgres(PgDatabase),
    /// Another app's database.
    Shared(String),
}

/// One server on its own fresh database (SQLite, or PostgreSQL when `TESSERA_TEST_BACKEND`
/// is `postgres`), driven in process.
pub struct TestApp {
    pub state: AppState,
    pub clock: Clock,
    router: Router,
    cookie: Mutex<Option<String>>,
    pub dir: tempfile::TempDir,
    database: Database,
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = if std::env::var(BACKEND_ENV).as_deref() == Ok("postgres") {
            let server =
                postgres_server().unwrap_or_else(|| panic!("{BACKEND_ENV}=postgres needs {PG_URL_ENV}=postgres://…"));
            Database::Postgres(PgDatabase::create(&server).await)
        } else {
            Database::Sqlite(dir.path().join("tessera.db"))
        };
        Self::on(database, dir, app::backend::tokens::Pepper::generate()).await
    }

    /// A new app on its own fresh PostgreSQL database (whatever `TESSERA_TEST_BACKEND` says).
    pub async fn on_postgres(server: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::on(
            Database::Postgres(PgDatabase::create(server).await),
            dir,
            app::backend::tokens::Pepper::generate(),
        )
        .await
    }

    /// Another instance on this app's database, with the same pepper and its own clock,
    /// caches and cookie jar: a second server process behind the same load balancer.
    pub async fn second_instance(&self) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::on(Database::Shared(self.database_url()), dir, self.state.pepper.clone()).await
    }

    async fn on(database: Database, dir: tempfile::TempDir, pepper: app::backend::tokens::Pepper) -> Self {
        let url = match &database {
            Database::Sqlite(path) => format!("sqlite://{}", path.display()),
            Database::Postgres(db) => db.url.clone(),
            Database::Shared(url) => url.clone(),
        };
        let store = Store::connect_with(&url, 4).await.expect("open database");
        let clock = Clock::manual(start_time());
        let state = AppState::new(store, clock.clone(), pepper);
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
                allowed_hosts: vec![HOST.parse().expect("a host name")],
                ..WebOptions::default()
            },
        );
        Self {
            state,
            clock,
            router,
            cookie: Mutex::new(None),
            dir,
            database,
        }
    }

    /// The database URL of this app, for admin commands.
    pub fn database_url(&self) -> String {
        match &self.database {
            Database::Sqlite(path) => format!("sqlite://{}", path.display()),
            Database::Postgres(db) => db.url.clone(),
            Database::Shared(url) => url.clone(),
        }
    }

    /// Everything the database holds, as bytes to search: the SQLite file and its write-ahead
    /// log (the store is closed first), or every row of every PostgreSQL table as text.
    pub async fn database_bytes(&self) -> Vec<u8> {
        match &self.database {
            Database::Sqlite(path) => {
                self.state.store.close().await;
                let mut bytes = std::fs::read(path).expect("the database file");
                bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
                bytes
            }
            Database::Postgres(_) | Database::Shared(_) => {
                use sqlx::Connection as _;
                let mut conn = sqlx::AnyConnection::connect(&self.database_url())
                    .await
                    .expect("connect");
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()",
                )
                .fetch_all(&mut conn)
                .await
                .expect("tables");
                let mut bytes = Vec::new();
                for table in tables {
                    let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT CAST(t AS TEXT) FROM {table} t"))
                        .fetch_all(&mut conn)
                        .await
                        .expect("rows");
                    for row in rows {
                        bytes.extend(row.into_bytes());
                        bytes.push(b'\n');
                    }
                }
                bytes
            }
        }
    }

    /// Creates a user with `PASSWORD` in the given groups (created when missing).
    pub async fn create_user(&self, username: &str, groups: &[&str]) -> User {
        let mut sink = Vec::new();
        for group in groups {
            let _ = admin::create_group(&self.state, group, &mut sink).await;
        }
        let request = NewAccount {
            username: username.into(),
            display_name: Some(format!("{username} display")),
            email: None,
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            password: Some(PASSWORD.into()),
        };
        admin::create_user(&self.state, request, &mut sink)
            .await
            .expect("create user");
        let name = app::domain::Username::parse(username).expect("username");
        self.state
            .store
            .user_by_username(&name)
            .await
            .expect("store")
            .expect("user")
    }

    /// A new app with one signed-in user.
    pub async fn with_signed_in_user(username: &str) -> (Self, User) {
        let app = Self::new().await;
        let user = app.create_user(username, &["Threat Research"]).await;
        let response = app.sign_in(username, PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        (app, user)
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> TestResponse {
        self.rpc("sign_in", &[("username", username), ("password", password)])
            .await
    }

    /// Calls a server function the way the browser does: a same-origin form POST with the
    /// session cookie.
    pub async fn rpc(&self, name: &str, form: &[(&str, &str)]) -> TestResponse {
        let request = self
            .rpc_request(name, form)
            .header(header::ORIGIN, format!("http://{HOST}"));
        self.send(request.body(Body::from(encode_form(form))).expect("request"))
            .await
    }

    /// A server-function request without the Origin header, to add one's own.
    pub fn rpc_request(&self, name: &str, _form: &[(&str, &str)]) -> http::request::Builder {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(format!("/rpc/{name}"))
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = self.cookie() {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let request = Request::builder()
            .uri(path)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// Sends any request through the router; a `Set-Cookie` replaces the jar's cookie.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        if let Some(set) = headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap_or_default().trim().to_owned();
            let cleared = set.contains("Max-Age=0") || pair.ends_with('=');
            *self.cookie.lock().expect("jar") = if cleared { None } else { Some(pair) };
        }
        TestResponse { status, headers, body }
    }

    /// A REST API request to `path` with the host set and, when `token` is given,
    /// `Authorization: Bearer <token>`; no cookie. Add headers or extensions, then `send` it.
    pub fn api_request(&self, method: Method, path: &str, token: Option<&str>) -> http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path).header(header::HOST, HOST);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        builder
    }

    /// Sends a REST API request (see `api_request`) with `body`, when given, as
    /// `Content-Type: application/json`.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> TestResponse {
        let builder = self.api_request(method, path, token);
        let request = match body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.expect("request")).await
    }

    /// Creates a never-expiring API token for the signed-in user through the `create_token`
    /// server function; answers its secret.
    pub async fn create_token(&self, name: &str) -> String {
        let response = self
            .rpc(
                "create_token",
                &[("name", name), ("expiry", "never"), ("expires_at", "")],
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{name:?}: {}", response.text());
        response.json()["secret"].as_str().expect("a secret").to_owned()
    }

    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().expect("jar").clone()
    }

    pub fn set_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().expect("jar") = cookie;
    }
}

fn encode_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
