//! The REST API's one error envelope: `{"errors":[{"code":"…","detail":"…"}]}`.

use app::backend;
use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;
use utoipa::ToSchema;

/// One problem with a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorItem {
    /// A stable, machine-readable code.
    pub code: String,
    /// What went wrong and what to do about it, for a person.
    pub detail: String,
}

/// Every error response has this body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub errors: Vec<ErrorItem>,
}

/// An error answer of the REST API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    challenge: Option<&'static str>,
    /// Seconds for `Retry-After`, on a 429.
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            challenge: None,
            retry_after: None,
        }
    }

    /// No credentials at all (RFC 6750: a bare challenge).
    pub fn missing_credentials() -> Self {
        Self {
            challenge: Some("Bearer realm=\"tessera\""),
            ..Self::new(
                StatusCode::UNAUTHORIZED,
                "missing_credentials",
                "Send an API token in the Authorization header: Authorization: Bearer <token>.",
            )
        }
    }

    /// A token that does not work, for whatever reason; the detail never says which.
    pub fn invalid_token() -> Self {
        Self {
            challenge: Some("Bearer realm=\"tessera\", error=\"invalid_token\""),
            ..Self::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "The API token is malformed, unknown, expired or revoked. Create a new token in your profile.",
            )
        }
    }

    /// A working token whose access level does not allow the request (RFC 6750, 3.1).
    pub fn insufficient_scope(detail: impl Into<String>) -> Self {
        Self {
            challenge: Some("Bearer realm=\"tessera\", error=\"insufficient_scope\", scope=\"write\""),
            ..Self::new(StatusCode::FORBIDDEN, "insufficient_scope", detail)
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }
}

/// Every backend error has one REST answer; an internal one is logged here and shown to the
/// client only as "internal".
impl From<backend::Error> for ApiError {
    fn from(error: backend::Error) -> Self {
        use backend::Error as E;
        if error.log_if_internal("REST API") {
            return Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side. Please try again later.",
            );
        }
        let detail = error.to_string();
        match error {
            E::Invalid { field, message } => Self::unprocessable("invalid_field", format!("{field}: {message}")),
            E::Conflict { .. } => Self::new(StatusCode::CONFLICT, "conflict", detail),
            E::NotFound(detail) => Self::not_found(detail),
            E::AlreadyRotated(_) => Self::new(StatusCode::CONFLICT, "already_rotated", detail),
            E::NoSource => Self::unprocessable("no_source", detail),
            E::NotAdmin => Self::new(StatusCode::FORBIDDEN, "forbidden", detail),
            E::TokenSourceUnavailable { .. } => Self::unprocessable("token_source_unavailable", detail),
            E::InvalidToken => Self::invalid_token(),
            E::InsufficientScope => Self::insufficient_scope(detail),
            // Only browser sessions are asked to confirm their password; a token never is.
            E::ReauthRequired => Self::new(StatusCode::FORBIDDEN, "reauth_required", detail),
            E::Unauthenticated => Self::missing_credentials(),
            E::BadCredentials => Self::new(StatusCode::UNAUTHORIZED, "bad_credentials", detail),
            E::Throttled { retry_after_secs } => Self {
                retry_after: Some(retry_after_secs),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, "throttled", detail)
            },
            E::TooFast { retry_after_secs, .. } | E::TooMany { retry_after_secs, .. } => Self {
                retry_after: Some(retry_after_secs),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", detail)
            },
            E::Internal(_) => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side.",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorEnvelope {
            errors: vec![ErrorItem {
                code: self.code.to_owned(),
                detail: self.detail,
            }],
        };
        let mut response = (self.status, Json(body)).into_response();
        if matches!(
            self.code,
            "insufficient_scope" | "token_source_unavailable" | "rate_limited"
        ) {
            response.extensions_mut().insert(super::bearer::RefusedToken);
        }
        if let Some(challenge) = self.challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
