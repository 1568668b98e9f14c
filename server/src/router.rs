//! The one router, used by `tessera serve` and by the in-process tests.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use app::backend::AppState;
use app::backend::ClientAddr;
use app::backend::sessions::DbSessionStore;
use app::error::AppError;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{HeaderValue, header};
use leptos::prelude::provide_context;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

use crate::security;

/// Options of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    pub dist: std::path::PathBuf,
    pub cookie_secure: bool,
    /// Reverse proxies (load balancers) whose `X-Forwarded-For` tells the client's address.
    pub trusted_proxies: Vec<IpAddr>,
}

/// Server functions are registered by hand: the linker may drop the automatic registration
/// when nothing else in the binary refers to them.
fn register_server_functions() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use leptos::server_fn::axum::register_explicit;
        register_explicit::<app::server_fns::session::CurrentUser>();
        register_explicit::<app::server_fns::session::SignIn>();
        register_explicit::<app::server_fns::session::SignOut>();
        register_explicit::<app::server_fns::profile::UpdateProfile>();
        register_explicit::<app::server_fns::profile::SetDefaultSource>();
        register_explicit::<app::server_fns::tokens::ListTokens>();
        register_explicit::<app::server_fns::tokens::CreateToken>();
        register_explicit::<app::server_fns::tokens::DeleteToken>();
    });
}

/// Builds the application's routes around `state`.
pub fn router(state: AppState, options: &WebOptions) -> Router {
    register_server_functions();
    let cookie_name = if options.cookie_secure {
        "__Host-tessera_session"
    } else {
        "tessera_session"
    };
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.store.clone()))
        .with_name(cookie_name)
        .with_secure(options.cookie_secure)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        // Every request moves the idle timeout on (and refreshes the cookie); without this a
        // session would end 12 hours after sign-in however active.
        .with_always_save(true)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            app::backend::sessions::IDLE_TIMEOUT.num_seconds(),
        )));

    let rpc = Router::new()
        .route("/rpc/{*name}", post(handle_rpc))
        .layer(sessions)
        .layer(middleware::from_fn(security::reject_cross_site))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    let rest = crate::rest::routes().layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ));

    let headers = security::SecurityHeaders::for_client(&options.dist);
    Router::new()
        .route("/healthz", get(healthz))
        .merge(rpc)
        .nest("/api/v1", rest)
        // The nested router does not see its root with a trailing slash; it is no page either.
        .route("/api/v1/", axum::routing::any(crate::rest::not_found))
        .fallback_service(client_files(&options.dist))
        .layer(middleware::from_fn_with_state(headers, security::add_security_headers))
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::new(options.trusted_proxies.clone()),
            record_client_addr,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(tower_http::LatencyUnit::Millis)),
        )
        .with_state(state)
}

/// The built client with an SPA fallback to `index.html`, so deep links and reloads work.
/// (The fallback keeps `ServeFile`'s own status, so a conditional reload still gets its 304.)
fn client_files(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")))
}

async fn handle_rpc(State(state): State<AppState>, req: Request<Body>) -> Response {
    let response = leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req)
        .await
        .into_response();
    with_error_status(response).await
}

/// Server functions answer every error with 500; this gives each `AppError` its own status
/// (and `Retry-After` when throttled), whether the function body or the argument decoding
/// failed.
async fn with_error_status(response: Response) -> Response {
    if response.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::Throttled { retry_after_secs } = error
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            parts.headers.insert(header::RETRY_AFTER, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// For load balancers: 200 when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.store.count_users()).await {
        Ok(Ok(_)) => (http::StatusCode::OK, "ok\n").into_response(),
        _ => (http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response(),
    }
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not itself a trusted proxy. Used for sign-in
/// throttling and "last used from".
pub fn client_ip(peer: IpAddr, headers: &http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

async fn record_client_addr(
    State(trusted): State<std::sync::Arc<Vec<IpAddr>>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
    let ip = client_ip(peer, req.headers(), &trusted);
    req.extensions_mut().insert(ClientAddr(ip));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let headers = |xff: &str| {
            let mut h = http::HeaderMap::new();
            h.insert("x-forwarded-for", HeaderValue::from_str(xff).expect("header"));
            h
        };
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // A client speaking directly cannot claim another address.
        assert_eq!(
            client_ip(ip("203.0.113.9"), &headers("1.2.3.4"), &proxies),
            ip("203.0.113.9")
        );
        // Behind the proxy: the nearest untrusted address (spoofed entries further left are ignored).
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers("6.6.6.6, 198.51.100.7"), &proxies),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers("198.51.100.7, 10.0.0.2"), &proxies),
            ip("198.51.100.7")
        );
        // Garbage or nothing: the proxy's own address.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers("not an ip"), &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &http::HeaderMap::new(), &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(client_ip(ip("10.0.0.1"), &headers("1.2.3.4"), &[]), ip("10.0.0.1"));
    }
}
