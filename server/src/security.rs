//! Response hardening, the host check (against DNS rebinding) and CSRF protection.

use std::sync::Arc;

use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use sha2::{Digest as _, Sha256};

use crate::hosts::{AllowedHosts, HostPort};
use crate::index_page::IndexPage;
use crate::refusal::{Caller, Refusal};

/// Two years, subdomains included: what the HSTS preload list asks for.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Headers added to every response. The CSP allows the WASM client to run
/// (`'wasm-unsafe-eval'`) and, by hash, exactly the inline start-up script Trunk wrote
/// into `index.html`; no other inline script runs. The page sets its own policy, made from
/// the bytes it serves; other responses get the policy of the page last read.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    page: Arc<IndexPage>,
    hsts: bool,
}

impl SecurityHeaders {
    pub fn new(page: Arc<IndexPage>) -> Self {
        Self { page, hsts: false }
    }

    /// Adds `Strict-Transport-Security`, for a server browsers reach over https only.
    pub fn with_hsts(self, hsts: bool) -> Self {
        Self { hsts, ..self }
    }
}

/// The Content-Security-Policy for a page `html`: our own files, WebAssembly, and the page's
/// inline scripts by their SHA-256.
pub fn content_security_policy(html: &str) -> HeaderValue {
    let hashes: String = inline_scripts(html)
        .iter()
        .map(|s| {
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s))
            )
        })
        .collect();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

/// The bodies of `<script>` elements without a `src`, exactly as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let body_start = &after[tag_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            found.push(&body_start[..close]);
        }
        rest = &body_start[close..];
    }
    found
}

pub async fn add_security_headers(State(headers): State<SecurityHeaders>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, headers.page.csp());
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if headers.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

/// Whether the request names one of our hosts, in its `Host` header and, when the request line
/// has one, in its absolute URI (HTTP/1.1 lets a client send both; both must be ours). A
/// request naming none, or with several `Host` headers, is not ours either.
pub fn names_allowed_host(req: &Request, allowed: &AllowedHosts) -> bool {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let (header, extra) = (hosts.next(), hosts.next());
    if extra.is_some() {
        return false;
    }
    let header = header.map(|v| v.to_str().ok().and_then(|h| h.parse::<HostPort>().ok()));
    let uri = req.uri().authority().map(|a| a.as_str().parse::<HostPort>().ok());
    if header.is_none() && uri.is_none() {
        return false;
    }
    [header, uri]
        .into_iter()
        .flatten()
        .all(|host| host.is_some_and(|h| allowed.allows_host(&h)))
}

/// Answers 421 Misdirected Request, before any handler, to a request for a host we do not
/// serve. `/healthz` is exempt: load balancers probe it by IP address, and it reveals nothing
/// and changes nothing.
pub async fn reject_misdirected(State(allowed): State<Arc<AllowedHosts>>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/healthz" || names_allowed_host(&req, &allowed) {
        return next.run(req).await;
    }
    tracing::info!(
        host = ?req.headers().get(header::HOST),
        path = %req.uri().path(),
        "refused a request for a host this server does not serve (see --public-url and --allowed-host)"
    );
    Refusal::new(
        StatusCode::MISDIRECTED_REQUEST,
        "misdirected_request",
        "This server does not serve the host named in the request.",
    )
    .answer(Caller::of(req.uri().path()))
}

/// Whether a cookie-authenticated call comes from our own pages: browsers say so in
/// `Sec-Fetch-Site`, and `Origin` (when sent) must be one of our origins, scheme and port
/// included. The request's own `Host` proves nothing: DNS rebinding chooses it.
pub fn is_same_origin(headers: &HeaderMap, allowed: &AllowedHosts) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return false;
    }
    let mut origins = headers.get_all(header::ORIGIN).iter();
    match (origins.next(), origins.next()) {
        (None, _) => true,
        (Some(origin), None) => origin.to_str().is_ok_and(|o| allowed.allows_origin(o)),
        (Some(_), Some(_)) => false,
    }
}

/// Refuses server-function calls made from another site (CSRF).
pub async fn reject_cross_site(State(allowed): State<Arc<AllowedHosts>>, req: Request, next: Next) -> Response {
    if is_same_origin(req.headers(), &allowed) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "refused a cross-site server function call");
    let body = serde_json::to_string(&AppError::Forbidden).unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_ignored() {
        let html = r#"<html><script src="/a.js"></script><script type="module">init();</script></html>"#;
        assert_eq!(inline_scripts(html), vec!["init();"]);
        let csp = content_security_policy(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest("init();"));
        let csp = csp.to_str().expect("ascii");
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }

    fn make(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn loopback() -> AllowedHosts {
        let host = HostPort::new("127.0.0.1", 3000).expect("host");
        AllowedHosts::new(None, &[host], false)
    }

    #[test]
    fn origin_checks() {
        let allowed = loopback();
        let same = |pairs: &[(&'static str, &'static str)]| is_same_origin(&make(pairs), &allowed);
        assert!(same(&[("host", "127.0.0.1:3000")]));
        assert!(same(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]));
        assert!(!same(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")]));
        assert!(!same(&[("host", "127.0.0.1:3000"), ("origin", "null")]));
        assert!(!same(&[("host", "a"), ("sec-fetch-site", "cross-site")]));
        assert!(same(&[("host", "a"), ("sec-fetch-site", "same-origin")]));
    }

    #[test]
    fn the_origin_is_compared_with_ours_not_with_the_request_host() {
        let allowed = loopback();
        let same = |pairs: &[(&'static str, &'static str)]| is_same_origin(&make(pairs), &allowed);
        // DNS rebinding: the attacker's name in both Host and Origin.
        assert!(!same(&[
            ("host", "rebind.attacker:3000"),
            ("origin", "http://rebind.attacker:3000")
        ]));
        // Our host, another scheme or port.
        assert!(!same(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://127.0.0.1:3000")
        ]));
        assert!(!same(&[
            ("host", "127.0.0.1:3001"),
            ("origin", "http://127.0.0.1:3001")
        ]));
        // Two Origin headers are not one of ours.
        assert!(!same(&[
            ("origin", "http://127.0.0.1:3000"),
            ("origin", "http://evil.example")
        ]));
    }

    #[test]
    fn a_request_must_name_an_allowed_host_in_its_host_header_and_uri() {
        let allowed = loopback();
        let request = |uri: &str, hosts: &[&'static str]| {
            let mut builder = Request::builder().uri(uri);
            for host in hosts {
                builder = builder.header(header::HOST, *host);
            }
            names_allowed_host(&builder.body(axum::body::Body::empty()).expect("request"), &allowed)
        };
        assert!(request("/", &["127.0.0.1:3000"]));
        assert!(request("/", &["127.0.0.1.:3000"]));
        assert!(request("http://127.0.0.1:3000/", &["127.0.0.1:3000"]));
        assert!(request("http://127.0.0.1:3000/", &[]));
        assert!(!request("/", &[]));
        assert!(!request("/", &["rebind.attacker:3000"]));
        assert!(!request("/", &["127.0.0.1"]));
        assert!(!request("/", &["127.0.0.1:3000", "rebind.attacker:3000"]));
        assert!(!request("http://rebind.attacker:3000/", &["127.0.0.1:3000"]));
        assert!(!request("http://127.0.0.1:3000/", &["rebind.attacker:3000"]));
        assert!(!request("/", &["user@127.0.0.1:3000"]));
    }
}
