//! Running the real `tessera` binary from tests: admin commands, servers on port 0, and a
//! small HTTP client that speaks to them the way the browser and scripts do.

#![allow(dead_code, reason = "each test binary uses part of these helpers")]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use app::server_fns::CreatedToken;
use app::server_fns::session::SignIn;
use app::server_fns::tokens::CreateToken;
use http_body_util::BodyExt as _;
use serde::Serialize;
use server_fn::ServerFn;

pub const BIN: &str = env!("CARGO_BIN_EXE_tessera");

/// Runs an admin command on `db`, feeding `stdin`.
pub fn tessera(db: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .arg("--database-url")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// A `tessera serve` process on a free port.
pub struct Running {
    pub base: String,
    child: Child,
}

impl Running {
    pub fn start(db: &str, pepper: &Path, dir: &Path) -> Self {
        Self::start_with(db, pepper, dir, &[])
    }

    /// Sends SIGTERM and waits; `true` when the server exited cleanly.
    pub fn stop(mut self) -> bool {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        killed.success() && self.child.wait().is_ok_and(|s| s.success())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub type Client = hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, String>;

pub fn client() -> Client {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http()
}

/// Status, body and the session cookie set, if any.
pub async fn send(client: &Client, request: http::Request<String>) -> (u16, String, Option<String>) {
    let response = client.request(request).await.expect("response");
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap_or_default().to_owned());
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned(), cookie)
}

/// Calls a server function through its argument struct, as the browser does (see
/// [`call_request`]), and waits for the answer.
pub async fn call<F: ServerFn + Serialize>(
    client: &Client,
    base: &str,
    cookie: Option<&str>,
    args: &F,
) -> (u16, String, Option<String>) {
    send(client, call_request(base, cookie, args)).await
}

/// A server-function request as the browser sends it: a same-origin form POST to the
/// struct's `PATH`, encoded with `serde_qs` like server_fn's `PostUrl`, with the session
/// cookie when given.
pub fn call_request<F: ServerFn + Serialize>(base: &str, cookie: Option<&str>, args: &F) -> http::Request<String> {
    let form = serde_qs::to_string(args).unwrap_or_else(|e| panic!("encode {}: {e}", F::PATH));
    let mut request = http::Request::post(format!("{base}{}", F::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", base);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(form).expect("request")
}

/// `GET path` with a bearer token: the status.
pub async fn api_get(client: &Client, base: &str, path: &str, token: &str) -> u16 {
    let request = http::Request::get(format!("{base}{path}"))
        .header("authorization", format!("Bearer {token}"))
        .body(String::new())
        .expect("request");
    send(client, request).await.0
}

/// Signs in and returns the session cookie.
pub async fn sign_in(client: &Client, base: &str, username: &str, password: &str) -> String {
    let args = SignIn {
        username: username.to_owned(),
        password: password.to_owned().into(),
    };
    let (status, answer, cookie) = call(client, base, None, &args).await;
    assert_eq!(status, 200, "{answer}");
    cookie.expect("a session cookie")
}

/// Creates a never-expiring token and returns (id, secret).
pub async fn create_token(client: &Client, base: &str, cookie: &str, name: &str) -> (i64, String) {
    let args = CreateToken {
        name: name.to_owned(),
        expiry: "never".to_owned(),
        expires_at: String::new(),
        access: "read_write".to_owned(),
        description: String::new(),
        source: String::new(),
    };
    let (status, body, _) = call(client, base, Some(cookie), &args).await;
    assert_eq!(status, 200, "{body}");
    let created: CreatedToken = serde_json::from_str(&body).expect("a created token");
    (created.token.id, created.secret)
}

/// When the first token `username` has was last used, reading the database `db` directly.
pub async fn first_token_last_used(db: &str, username: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let store = app::backend::Store::connect(db).await.expect("reopen");
    let user = store
        .user_by_username(&app::domain::Username::parse(username).expect("name"))
        .await
        .expect("store")
        .expect("the user");
    let tokens = store.tokens_of(user.id).await.expect("tokens");
    tokens[0].token.last_used_at
}

impl Running {
    /// `tessera serve` on a free loopback port with extra arguments (hidden test flags such as
    /// `--header-timeout-ms`).
    pub fn start_with(db: &str, pepper: &Path, dir: &Path, extra: &[&str]) -> Self {
        Self::spawn(Self::command(db, pepper, dir, extra).stderr(Stdio::null()))
    }

    /// Like [`start_with`](Self::start_with), with `RUST_LOG` set to `filter` and the log
    /// written to the file `log`.
    pub fn start_logging(db: &str, pepper: &Path, dir: &Path, extra: &[&str], filter: &str, log: &Path) -> Self {
        let file = std::fs::File::create(log).expect("log file");
        Self::spawn(
            Self::command(db, pepper, dir, extra)
                .env("RUST_LOG", filter)
                .stderr(file),
        )
    }

    fn command(db: &str, pepper: &Path, dir: &Path, extra: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(["--database-url", db, "serve", "--addr", "127.0.0.1:0"])
            .arg("--pepper-file")
            .arg(pepper)
            .arg("--dist")
            .arg(dir.join("no-client"))
            .args(extra)
            .stdout(Stdio::piped());
        command
    }

    fn spawn(command: &mut Command) -> Self {
        let mut child = command.spawn().expect("start the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let base = line.trim().rsplit(' ').next().expect("an address").to_owned();
        assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"), "{line}");
        Self { base, child }
    }

    /// `host:port` of the server, to connect a raw socket to.
    pub fn authority(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Sends SIGTERM and waits at most `bound`: `Some(clean exit)` when it exited in time,
    /// `None` when it had to be killed.
    pub fn stop_within(mut self, bound: std::time::Duration) -> Option<bool> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + bound;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.success());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }
}
