//! Who is calling: the `Authorization: Bearer <token>` header, and nothing else (no cookie,
//! no query parameter).

use app::backend::AppState;
use app::backend::ClientAddr;
use app::backend::security_log::{self, Origin};
use app::backend::tokens::verify::{Caller, Presented};
use std::sync::{Arc, OnceLock};

use app::backend::store::TokenId;
use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use http::request::Parts;
use http::{HeaderMap, HeaderName, HeaderValue, header};

use super::error::ApiError;

/// What the Authorization header holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Credentials<'a> {
    /// No Authorization header, an empty one, or another scheme.
    Missing,
    /// `Bearer` with something that is not a single token.
    Malformed,
    /// `Bearer <token>` (the scheme in any case).
    Bearer(&'a str),
}

impl<'a> Credentials<'a> {
    pub fn from_headers(headers: &'a HeaderMap) -> Self {
        let mut values = headers.get_all(header::AUTHORIZATION).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return if headers.contains_key(header::AUTHORIZATION) {
                Self::Malformed
            } else {
                Self::Missing
            };
        };
        let Ok(value) = value.to_str() else {
            return Self::Malformed;
        };
        // `to_str` let through visible ASCII and tabs only, so ASCII whitespace is all there is.
        let value = value.trim_ascii();
        if value.is_empty() {
            return Self::Missing;
        }
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Self::Missing;
        }
        let token = rest.trim_start_matches(' ');
        if token.is_empty() || token.bytes().any(|b| b.is_ascii_whitespace()) {
            return Self::Malformed;
        }
        Self::Bearer(token)
    }
}

/// Every answer to a request made with a token that expires says when:
/// `Tessera-Token-Expires: <RFC 3339>`, so a script can warn before it stops working.
pub const TOKEN_EXPIRES: HeaderName = HeaderName::from_static("tessera-token-expires");
/// An answer to a value replaced by a rotation (still in its grace period) says since when it
/// is deprecated, as an RFC 9745 date (`@<unix seconds>`)...
pub const DEPRECATION: HeaderName = HeaderName::from_static("deprecation");
/// ...and when it stops working, as an RFC 8594 HTTP date.
pub const SUNSET: HeaderName = HeaderName::from_static("sunset");

/// What the answer tells about the token that made the request.
#[derive(Debug, Clone, Copy)]
struct TokenNotice {
    token: TokenId,
    expires_at: Option<DateTime<Utc>>,
    presented: Presented,
}

/// Where the verified token's notice is left for `announce_expiry` to put in the answer.
#[derive(Clone, Default)]
struct NoticeSlot(Arc<OnceLock<TokenNotice>>);

/// Put in the extensions of an answer that refuses a working token what it asked (its scope,
/// its source, its rate): the request counts as refused in the token's usage.
#[derive(Debug, Clone, Copy)]
pub struct RefusedToken;

/// Middleware for the REST routes: gives each request a slot for its token's notice and, once
/// the answer is made, counts the request in the token's usage, adds `Tessera-Token-Expires`
/// when the token has an expiry, and `Deprecation` and `Sunset` when the value presented was
/// replaced by a rotation.
pub async fn announce_expiry(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let slot = NoticeSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let Some(notice) = slot.0.get() else {
        return response;
    };
    let refused = response.extensions().get::<RefusedToken>().is_some();
    state.last_used.count(notice.token, state.clock.now(), refused);
    let headers = response.headers_mut();
    if let Some(at) = notice.expires_at
        && let Ok(value) = HeaderValue::from_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
    {
        headers.insert(TOKEN_EXPIRES, value);
    }
    if let Presented::Previous { rotated_at, until } = notice.presented {
        if let Ok(value) = HeaderValue::from_str(&format!("@{}", rotated_at.timestamp())) {
            headers.insert(DEPRECATION, value);
        }
        if let Ok(value) = HeaderValue::from_str(&until.format("%a, %d %b %Y %H:%M:%S GMT").to_string()) {
            headers.insert(SUNSET, value);
        }
    }
    response
}

/// The verified caller of a REST request.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = match Credentials::from_headers(&parts.headers) {
            Credentials::Missing => return Err(ApiError::missing_credentials()),
            Credentials::Malformed => return Err(ApiError::invalid_token()),
            Credentials::Bearer(token) => token,
        };
        let origin = request_origin(&parts.extensions, &parts.headers);
        let caller = state.verifier.verify_from(state, token, origin).await?;
        security_log::note_use(state, &caller).await;
        if let Some(slot) = parts.extensions.get::<NoticeSlot>() {
            let _ = slot.0.set(TokenNotice {
                token: caller.token.id,
                expires_at: match caller.presented {
                    Presented::Current => caller.token.expires_at,
                    Presented::Previous { .. } => None,
                },
                presented: caller.presented,
            });
        }
        state.last_used.note(
            caller.token.id,
            state.clock.now(),
            caller.origin.addr(),
            caller.origin.agent(),
        );
        Ok(Self(caller))
    }
}

/// Where a request came from: its client address and user agent (cleaned and bounded).
pub fn request_origin(extensions: &http::Extensions, headers: &HeaderMap) -> Origin {
    Origin::new(
        extensions.get::<ClientAddr>().map(|ClientAddr(ip)| *ip),
        headers.get(header::USER_AGENT).map(HeaderValue::as_bytes),
    )
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn parse(values: &[&[u8]]) -> String {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::AUTHORIZATION, HeaderValue::from_bytes(v).expect("header"));
        }
        format!("{:?}", Credentials::from_headers(&headers))
    }

    #[test]
    fn authorization_headers_are_read_strictly() {
        for (values, expected) in [
            (&[][..], "Missing"),
            (&[&b""[..]][..], "Missing"),
            (&[&b"   "[..]][..], "Missing"),
            (&[&b"Basic dXNlcjpwYXNz"[..]][..], "Missing"),
            (&[&b"Bearer"[..]][..], "Malformed"),
            (&[&b"Bearer "[..]][..], "Malformed"),
            (&[&b"Bearer a b"[..]][..], "Malformed"),
            (&[&b"Bearer a\tb"[..]][..], "Malformed"),
            (&[&b"Bearer tsr_x"[..], &b"Bearer tsr_y"[..]][..], "Malformed"),
            (&[&b"Bearer \xff\xfe"[..]][..], "Malformed"),
            (&[&b"Bearer tsr_abc"[..]][..], "Bearer(\"tsr_abc\")"),
            (&[&b"bearer tsr_abc"[..]][..], "Bearer(\"tsr_abc\")"),
            (&[&b"BEARER   tsr_abc  "[..]][..], "Bearer(\"tsr_abc\")"),
            (&[&b"Bearertsr_abc"[..]][..], "Missing"),
        ] {
            assert_eq!(parse(values), expected, "{values:?}");
        }
    }
}
