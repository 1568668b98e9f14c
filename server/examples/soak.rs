//! A soak test of a running `tessera serve`: mixed traffic at full rate for a while — sign-ins,
//! token creations, REST reads and writes — counting every answer, and sampling the server's
//! memory. Run by `scripts/bench.sh`; by hand:
//!
//! ```text
//! cargo run --release -p server --example soak -- BASE_URL SECONDS WORKERS SERVER_PID USER...
//! ```
//!
//! Each USER is `name:password`, a member of a group. Expected answers: 2xx, and 429 where a
//! creation limit applies; anything else is counted as wrong and makes the run fail.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::BodyExt as _;
use rand::Rng as _;

type Client = hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, String>;

#[derive(Default)]
struct Tally {
    /// (operation, status) → count
    answers: BTreeMap<(&'static str, u16), u64>,
    /// Latencies per operation, in microseconds.
    latencies: BTreeMap<&'static str, Vec<u64>>,
    failures: u64,
}

struct Worker {
    client: Client,
    base: String,
    username: String,
    password: String,
    cookie: Option<String>,
    tokens: Vec<String>,
}

impl Worker {
    async fn send(&self, request: http::Request<String>) -> Option<(u16, String, Option<String>)> {
        let response = self.client.request(request).await.ok()?;
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(|c| c.split(';').next().unwrap_or_default().to_owned());
        let body = response.into_body().collect().await.ok()?.to_bytes();
        Some((status, String::from_utf8_lossy(&body).into_owned(), cookie))
    }

    fn rpc(&self, function: &str, body: String) -> http::Request<String> {
        let mut request = http::Request::post(format!("{}/rpc/{function}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.body(body).expect("request")
    }

    fn api(&self, method: http::Method, path: &str, token: &str, body: Option<String>) -> http::Request<String> {
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {token}"));
        match body {
            Some(body) => request.header("content-type", "application/json").body(body),
            None => request.body(String::new()),
        }
        .expect("request")
    }

    /// One operation, chosen at random; answers its name and status (0: no answer).
    async fn step(&mut self, n: u64) -> (&'static str, u16, bool) {
        let roll = rand::thread_rng().gen_range(0..100);
        if self.cookie.is_none() || roll < 5 {
            let body = format!(
                "username={}&password={}",
                self.username,
                self.password.replace(' ', "+")
            );
            let Some((status, _, cookie)) = self.send(self.rpc("sign_in", body)).await else {
                return ("sign_in", 0, false);
            };
            if status == 200 {
                self.cookie = cookie;
            }
            return ("sign_in", status, status == 200);
        }
        if self.tokens.is_empty() || roll < 10 {
            let body = format!(
                "name=soak+{}+{n}&expiry=never&expires_at=&access=read_write&description=&source=",
                self.username
            );
            let Some((status, answer, _)) = self.send(self.rpc("create_token", body)).await else {
                return ("create_token", 0, false);
            };
            if status == 200
                && let Ok(created) = serde_json::from_str::<serde_json::Value>(&answer)
                && let Some(secret) = created["secret"].as_str()
            {
                self.tokens.push(secret.to_owned());
            }
            return ("create_token", status, status == 200 || status == 429);
        }
        let token = self.tokens[rand::thread_rng().gen_range(0..self.tokens.len())].clone();
        let (name, request, ok) = match roll {
            10..40 => (
                "POST entity",
                self.api(
                    http::Method::POST,
                    "/api/v1/entities",
                    &token,
                    Some(format!(r#"{{"type":"report","title":"soak {n}"}}"#)),
                ),
                201,
            ),
            40..70 => ("GET me", self.api(http::Method::GET, "/api/v1/me", &token, None), 200),
            _ => (
                "GET entities",
                self.api(http::Method::GET, "/api/v1/entities?limit=20", &token, None),
                200,
            ),
        };
        match self.send(request).await {
            Some((status, _, _)) => (name, status, status == ok),
            None => (name, 0, false),
        }
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, seconds, workers, pid, users @ ..] = args.as_slice() else {
        eprintln!("usage: soak BASE_URL SECONDS WORKERS SERVER_PID USER:PASSWORD...");
        return std::process::ExitCode::FAILURE;
    };
    let (seconds, workers, pid): (u64, usize, u32) = match (seconds.parse(), workers.parse(), pid.parse()) {
        (Ok(s), Ok(w), Ok(p)) if !users.is_empty() => (s, w, p),
        _ => {
            eprintln!("SECONDS, WORKERS and SERVER_PID are numbers, and at least one USER:PASSWORD is needed");
            return std::process::ExitCode::FAILURE;
        }
    };
    let client: Client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let rss_before = rss_kib(pid).unwrap_or(0);
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::new();
        while Instant::now() < deadline {
            samples.push(rss_kib(pid).unwrap_or(0));
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        samples
    });
    let mut tasks = Vec::new();
    for i in 0..workers {
        let (username, password) = users[i % users.len()].split_once(':').unwrap_or(("", ""));
        let mut worker = Worker {
            client: client.clone(),
            base: base.clone(),
            username: username.to_owned(),
            password: password.to_owned(),
            cookie: None,
            tokens: Vec::new(),
        };
        let tally = tally.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0_u64;
            while Instant::now() < deadline {
                n += 1;
                let started = Instant::now();
                let (name, status, expected) = worker.step(n + i as u64 * 1_000_000_000).await;
                let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
                let mut tally = tally.lock().expect("tally");
                *tally.answers.entry((name, status)).or_default() += 1;
                tally.latencies.entry(name).or_default().push(micros);
                if !expected {
                    tally.failures += 1;
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let samples = sampler.await.unwrap_or_default();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_kib(pid).unwrap_or(0);
    let mut tally = tally.lock().expect("tally");
    let total: u64 = tally.answers.values().sum();
    println!(
        "soak: {seconds} s, {workers} workers, {} users, {total} requests ({:.0}/s)",
        users.len(),
        total as f64 / seconds as f64
    );
    println!(
        "{:<14} {:>7} {:>9} {:>9} {:>9}",
        "operation", "status", "count", "p50 ms", "p99 ms"
    );
    let latencies = std::mem::take(&mut tally.latencies);
    for ((name, status), count) in &tally.answers {
        let mut sorted = latencies.get(name).cloned().unwrap_or_default();
        sorted.sort_unstable();
        println!(
            "{name:<14} {status:>7} {count:>9} {:>9.2} {:>9.2}",
            percentile(&sorted, 0.5) as f64 / 1000.0,
            percentile(&sorted, 0.99) as f64 / 1000.0
        );
    }
    let server_errors: u64 = tally
        .answers
        .iter()
        .filter(|((_, s), _)| *s >= 500)
        .map(|(_, c)| c)
        .sum();
    let wrong_401: u64 = tally
        .answers
        .iter()
        .filter(|((_, s), _)| *s == 401)
        .map(|(_, c)| c)
        .sum();
    let peak = samples.iter().copied().max().unwrap_or(0);
    println!(
        "5xx: {server_errors}; 401: {wrong_401}; other unexpected: {}; server RSS: {} MiB before, {} MiB peak, {} MiB 2 s after",
        tally.failures.saturating_sub(server_errors + wrong_401),
        rss_before / 1024,
        peak / 1024,
        rss_after / 1024
    );
    if tally.failures == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
