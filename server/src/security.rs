//! Response hardening and CSRF protection.

use std::path::Path;

use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use sha2::{Digest as _, Sha256};

/// Headers added to every response. The CSP allows the WASM client to run
/// (`'wasm-unsafe-eval'`) and, by hash, exactly the inline start-up script Trunk wrote
/// into `index.html`; no other inline script runs.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    pub fn for_client(dist: &Path) -> Self {
        let html = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
        Self::from_index_html(&html)
    }

    pub fn from_index_html(html: &str) -> Self {
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
        Self {
            csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'")),
        }
    }

    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
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
    h.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
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
    response
}

/// Whether a cookie-authenticated call comes from our own pages: browsers say so in
/// `Sec-Fetch-Site`, and `Origin` (when sent) must be this server's origin.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else { return false };
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    origin_host.is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// Refuses server-function calls made from another site (CSRF).
pub async fn reject_cross_site(req: Request, next: Next) -> Response {
    if is_same_origin(req.headers()) {
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
        let csp = SecurityHeaders::from_index_html(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest("init();"));
        assert!(
            csp.csp()
                .to_str()
                .expect("ascii")
                .contains(&format!("'sha256-{expected}'"))
        );
        assert!(!csp.csp().to_str().expect("ascii").contains("unsafe-inline"));
    }

    #[test]
    fn origin_checks() {
        let make = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(is_same_origin(&make(&[("host", "127.0.0.1:3000")])));
        assert!(is_same_origin(&make(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(!is_same_origin(&make(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example")
        ])));
        assert!(!is_same_origin(&make(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "null")
        ])));
        assert!(!is_same_origin(&make(&[
            ("host", "a"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(is_same_origin(&make(&[
            ("host", "a"),
            ("sec-fetch-site", "same-origin")
        ])));
    }
}
