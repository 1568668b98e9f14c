//! Bounds on what one client can hold: time to send headers, time and body size per request,
//! connections at once, and the time shutdown waits for requests in flight.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{StatusCode, header};

use crate::refusal::{Caller, Refusal};

/// How long a client may take to send a request's headers. hyper starts this clock whenever a
/// connection waits for a request, so it is also how long a keep-alive connection may sit idle.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head (request line and headers); larger ones get 431.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// How long one request may take from its head to its response head, body upload included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request body. API objects and server-function forms are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most connections served at once; further clients wait in the listen queue (not accepted,
/// so they cost us no file descriptor) until one closes.
pub const MAX_CONNECTIONS: usize = 512;
/// How long shutdown waits for requests in flight before it closes the connections left.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// Per-connection bounds, applied by the accept loop (`crate::serve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub max_header_bytes: usize,
    pub max_connections: usize,
    pub shutdown_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_header_bytes: MAX_HEADER_BYTES,
            max_connections: MAX_CONNECTIONS,
            shutdown_timeout: SHUTDOWN_TIMEOUT,
        }
    }
}

/// Per-request bounds, applied by the router (`limit_requests`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    pub timeout: Duration,
    pub max_body_bytes: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            timeout: REQUEST_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
        }
    }
}

/// Refuses a body declared too large at once (413), cuts one that grows too large while it is
/// read (whoever reads it gets a length-limit error), and answers 503 when the request takes
/// longer than the timeout. 503, not 408: browsers silently resend a request answered 408,
/// and a slow request may have been slow on our side.
pub async fn limit_requests(State(limits): State<RequestLimits>, req: Request, next: Next) -> Response {
    let caller = Caller::of(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return too_large(limits).answer(caller);
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limits.max_body_bytes)));
    match tokio::time::timeout(limits.timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                timeout_ms = limits.timeout.as_millis(),
                "a request took too long and was stopped"
            );
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "The request took too long to handle. Please try again.",
            )
            .answer(caller)
        }
    }
}

/// The answer for a body over the limit.
pub fn too_large(limits: RequestLimits) -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("The request body is larger than {} bytes.", limits.max_body_bytes),
    )
}

/// Whether reading a body failed because it grew past the limit.
pub fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::routing::{get, post};
    use tower::ServiceExt as _;

    use super::*;

    fn app(limits: RequestLimits) -> Router {
        Router::new()
            .route(
                "/api/v1/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "done"
                }),
            )
            .route(
                "/echo",
                post(|body: Body| async move {
                    match axum::body::to_bytes(body, usize::MAX).await {
                        Ok(bytes) => format!("{} bytes", bytes.len()),
                        Err(error) if is_length_limit(&error) => "cut".to_owned(),
                        Err(_) => "other error".to_owned(),
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(limits, limit_requests))
    }

    async fn send(limits: RequestLimits, request: Request) -> (StatusCode, String) {
        let response = app(limits).oneshot(request).await.expect("infallible");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_request_slower_than_the_timeout_gets_503_in_the_api_envelope() {
        let limits = RequestLimits {
            timeout: Duration::from_millis(50),
            ..RequestLimits::default()
        };
        let request = Request::get("/api/v1/slow").body(Body::empty()).expect("request");
        let started = std::time::Instant::now();
        let (status, body) = send(limits, request).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains(r#""code":"timeout""#), "{body}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_body_declared_or_grown_past_the_limit_is_refused() {
        let limits = RequestLimits {
            max_body_bytes: 10,
            ..RequestLimits::default()
        };
        let declared = Request::post("/echo")
            .header(header::CONTENT_LENGTH, "11")
            .body(Body::from("01234567890"))
            .expect("request");
        let (status, body) = send(limits, declared).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body, "The request body is larger than 10 bytes.\n");

        let undeclared = Request::post("/echo").body(Body::from("01234567890")).expect("request");
        assert_eq!(send(limits, undeclared).await.1, "cut");
        let small = Request::post("/echo").body(Body::from("0123456789")).expect("request");
        assert_eq!(send(limits, small).await.1, "10 bytes");
    }
}
