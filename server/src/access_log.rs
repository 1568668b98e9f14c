//! One short line per request, at INFO under the target `tessera::access`:
//!
//! ```text
//! 2026-11-28T10:00:00.000000Z  INFO tessera::access: 127.0.0.1 GET /api/v1/me 200 0.4ms
//! ```
//!
//! The client's address, the method, the path (never the query string, which may carry
//! anything a client put there), the status and the time to the response head. Turn it off
//! with `tessera serve --no-access-log` (the layer is then not built at all) or with
//! `RUST_LOG=info,tessera::access=off`.

use std::time::Instant;

use app::backend::ClientAddr;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// The log target of the access lines, for `RUST_LOG` filters.
pub const TARGET: &str = "tessera::access";

/// Paths longer than this are cut, so one request cannot write an unbounded line.
const MAX_PATH: usize = 200;

/// Whether the server writes the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessLog {
    #[default]
    On,
    Off,
}

/// Writes the access line of each request. The span around the request names its method and
/// path, so anything logged while it is handled says which request it belongs to.
pub async fn log_request(req: Request, next: Next) -> Response {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return next.run(req).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let path = shortened(req.uri().path()).to_owned();
    let client = req.extensions().get::<ClientAddr>().map(|ClientAddr(ip)| *ip);
    let span = tracing::info_span!(target: TARGET, "request", %method, path = %path);
    let response = tracing::Instrument::instrument(next.run(req), span).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let client = client.map_or_else(|| "-".to_owned(), |ip| ip.to_string());
    tracing::info!(
        target: TARGET,
        "{client} {method} {path} {} {millis:.1}ms",
        response.status().as_u16()
    );
    response
}

/// `path`, cut to at most [`MAX_PATH`] bytes (paths are ASCII; a path that is not is kept
/// whole rather than cut inside a character).
fn shortened(path: &str) -> &str {
    path.get(..MAX_PATH).unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_are_cut_and_short_ones_kept() {
        assert_eq!(shortened("/api/v1/me"), "/api/v1/me");
        let long = format!("/{}", "a".repeat(500));
        assert_eq!(shortened(&long).len(), MAX_PATH);
    }
}
