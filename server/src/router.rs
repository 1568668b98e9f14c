//! The one router, used by `tessera serve` and by the in-process tests.

use std::net::IpAddr;
use std::time::Duration;

use app::backend::AppState;
use app::backend::sessions::DbSessionStore;
use axum::Router;
use axum::extract::State;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::access_log::{self, AccessLog};
use crate::hosts::{AllowedHosts, HostPort, PublicUrl};
use crate::index_page::IndexPage;
use crate::limits::RequestLimits;
use crate::security;

/// Options of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    pub dist: std::path::PathBuf,
    pub cookie_secure: bool,
    /// Reverse proxies (load balancers) whose `X-Forwarded-For` tells the client's address.
    pub trusted_proxies: Vec<IpAddr>,
    /// The URL people open: its host is served, and its origin may call server functions. An
    /// https URL makes the server secure (see `is_secure`).
    pub public_url: Option<PublicUrl>,
    /// Other hosts requests may name; their pages' origin is `https://` when the server is
    /// secure, `http://` otherwise. With neither these nor a public URL (the default), every
    /// request but `/healthz` is answered 421 Misdirected Request.
    pub allowed_hosts: Vec<HostPort>,
    /// Per-request timeout and body size.
    pub limits: RequestLimits,
    /// One line per request (see `access_log`), on by default.
    pub access_log: AccessLog,
}

impl WebOptions {
    /// Whether browsers reach us over https only: `Secure` cookies, HSTS, `https://` origins.
    pub fn is_secure(&self) -> bool {
        self.cookie_secure || self.public_url.as_ref().is_some_and(PublicUrl::is_https)
    }

    /// The hosts and origins to answer.
    pub fn allowed(&self) -> AllowedHosts {
        AllowedHosts::new(self.public_url.as_ref(), &self.allowed_hosts, self.is_secure())
    }
}

/// Builds the application's routes around `state`.
pub fn router(state: AppState, options: &WebOptions) -> Router {
    crate::rpc::register_server_functions();
    let secure = options.is_secure();
    let allowed = std::sync::Arc::new(options.allowed());
    let cookie_name = if secure {
        "__Host-tessera_session"
    } else {
        "tessera_session"
    };
    let page = std::sync::Arc::new(IndexPage::new(&options.dist));
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.store.clone()))
        .with_name(cookie_name)
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        // A session is written only when its data changes. Its "last seen" note changes at
        // most once a minute while it is used (`session_activity`), and that write is what
        // moves the idle timeout on and refreshes the cookie: one write a minute per active
        // session instead of one per request.
        .with_always_save(false)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            app::backend::sessions::IDLE_TIMEOUT.num_seconds(),
        )));

    // The admin area's addresses: the client's page, 403 for anyone but an administrator.
    let admin_pages = Router::new()
        .route("/admin", get(crate::index_page::serve_admin_index))
        .route("/admin/{*rest}", get(crate::index_page::serve_admin_index))
        .with_state((state.clone(), std::sync::Arc::clone(&page)))
        .layer(sessions.clone());

    // The sign-in page and its form (which refuses posts from other sites itself).
    let sign_in_page = crate::login_page::SignInPage {
        state: state.clone(),
        page: std::sync::Arc::clone(&page),
        allowed: std::sync::Arc::clone(&allowed),
    };
    let login = Router::new()
        .route(
            "/login",
            get(crate::login_page::get_sign_in_page).post(crate::login_page::post_sign_in_form),
        )
        .with_state(sign_in_page)
        .layer(sessions.clone());

    let rpc = Router::new()
        .route("/rpc/{*name}", post(crate::rpc::handle_rpc))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::session_activity::record_session_activity,
        ))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::clone(&allowed),
            security::reject_cross_site,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    let rest = crate::rest::routes(state.clone()).layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ));

    let headers = security::SecurityHeaders::new(std::sync::Arc::clone(&page)).with_hsts(secure);
    let app = Router::new()
        .route("/healthz", get(healthz))
        .merge(rpc)
        .merge(admin_pages)
        .merge(login)
        .nest("/api/v1", rest)
        // The nested router does not see its root with a trailing slash; it is no page either.
        .route("/api/v1/", axum::routing::any(crate::rest::not_found))
        .merge(crate::assets::routes(&options.dist, page))
        .layer(middleware::from_fn_with_state(
            options.limits,
            crate::limits::limit_requests,
        ))
        .layer(middleware::from_fn_with_state(allowed, security::reject_misdirected))
        .layer(middleware::from_fn_with_state(headers, security::add_security_headers));
    // Inside `record_client_addr`, so the line can say who asked.
    let app = match options.access_log {
        AccessLog::On => app.layer(middleware::from_fn(access_log::log_request)),
        AccessLog::Off => app,
    };
    app.layer(middleware::from_fn_with_state(
        std::sync::Arc::new(options.trusted_proxies.clone()),
        crate::client_addr::record_client_addr,
    ))
    .with_state(state)
}

/// For load balancers: 200 when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.store.count_users()).await {
        Ok(Ok(_)) => (http::StatusCode::OK, "ok\n").into_response(),
        _ => (http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response(),
    }
}
