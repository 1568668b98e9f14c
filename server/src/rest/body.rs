//! Request bodies: JSON objects only, with our envelope for every kind of mistake.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use http::header;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON body read into `T`. Malformed JSON is a 400; a body of the wrong shape, or one that
/// tries to choose its own `source`, a 422 that says what to fix.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::new(
                http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(e.status(), "payload_too_large", "The request body is too large.")
            } else {
                ApiError::bad_request("unreadable_body", format!("The body could not be read: {e}."))
            }
        })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
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
            .map(Self)
            .map_err(|e| ApiError::unprocessable("invalid_body", format!("The body does not fit this endpoint: {e}.")))
    }
}
