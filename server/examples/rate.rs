//! A load generator for one URL on loopback: CONNECTIONS clients send `GET URL` back to back
//! for SECONDS over kept-alive connections and the rate and latencies are printed. Run by
//! `scripts/bench.sh` to compare an authenticated API call with a minimal one.
//!
//! ```text
//! cargo run --release -p server --example rate -- URL SECONDS CONNECTIONS [BEARER_TOKEN]
//! ```

use std::time::{Duration, Instant};

use http_body_util::BodyExt as _;

type Client = hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, String>;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, seconds, connections, token) = match args.as_slice() {
        [url, seconds, connections, rest @ ..] if rest.len() <= 1 => {
            match (seconds.parse::<u64>(), connections.parse::<usize>()) {
                (Ok(s), Ok(c)) if c > 0 => (url.clone(), s, c, rest.first().cloned()),
                _ => return usage(),
            }
        }
        _ => return usage(),
    };
    let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
    connector.set_nodelay(true);
    let client: Client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_max_idle_per_host(connections)
        .build(connector);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
            while Instant::now() < deadline {
                let mut request = http::Request::get(&url);
                if let Some(token) = &token {
                    request = request.header("authorization", format!("Bearer {token}"));
                }
                let started = Instant::now();
                let status = match client.request(request.body(String::new()).expect("request")).await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let _ = response.into_body().collect().await;
                        status
                    }
                    Err(_) => 0,
                };
                latencies.push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
                *statuses.entry(status).or_default() += 1;
            }
            (latencies, statuses)
        }));
    }
    let mut latencies = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    for task in tasks {
        if let Ok((l, s)) = task.await {
            latencies.extend(l);
            for (status, count) in s {
                *statuses.entry(status).or_default() += count;
            }
        }
    }
    latencies.sort_unstable();
    let at = |p: f64| {
        latencies
            .get(((latencies.len().saturating_sub(1)) as f64 * p) as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{url}: {:.0} req/s, p50 {:.3} ms, p99 {:.3} ms, statuses {statuses:?}",
        latencies.len() as f64 / seconds as f64,
        at(0.5) as f64 / 1000.0,
        at(0.99) as f64 / 1000.0
    );
    std::process::ExitCode::SUCCESS
}

fn usage() -> std::process::ExitCode {
    eprintln!("usage: rate URL SECONDS CONNECTIONS [BEARER_TOKEN]");
    std::process::ExitCode::FAILURE
}
