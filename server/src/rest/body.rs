//! Request bodies: JSON objects only, with our envelope for every kind of mistake.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use http::header;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON body read into `T`. Malformed JSON is a 400; a body of the wrong shape, or one that
/// tries to choose its own `source`, a 422 that says what to fix.
pub struct ApiJson<T>(pub T);

/// Whether the request says its body is JSON.
fn is_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        })
}

fn not_json() -> ApiError {
    ApiError::new(
        http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "Send the body as JSON with Content-Type: application/json.",
    )
}

async fn read_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(e.status(), "payload_too_large", "The request body is too large.")
        } else {
            ApiError::bad_request("unreadable_body", format!("The body could not be read: {e}."))
        }
    })
}

/// Reads a JSON object body into `T`.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request("malformed_json", format!("The body is not valid JSON: {e}.")))?;
    let Some(object) = value.as_object() else {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "The body must be a JSON object.",
        ));
    };
    if object.contains_key("source") {
        return Err(ApiError::unprocessable(
            "source_not_allowed",
            "Do not send `source`: the server assigns it from the default source in the token owner's profile. \
             Change your default source in Edit your profile.",
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::unprocessable("invalid_body", format!("The body does not fit this endpoint: {e}.")))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(not_json());
        }
        let bytes = read_bytes(req, state).await?;
        parse(&bytes).map(Self)
    }
}

/// Like [`ApiJson`], for an endpoint whose every member is optional: an empty body (with or
/// without a content type) reads as `T::default()`.
pub struct OptionalApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = is_json(req.headers());
        let bytes = read_bytes(req, state).await?;
        if bytes.is_empty() {
            return Ok(Self(T::default()));
        }
        if !json {
            return Err(not_json());
        }
        parse(&bytes).map(Self)
    }
}
