//! `/api/v1/tokens/current`: the calling token revokes or rotates itself.

use app::backend::tokens::{self, RotationRequest};
use app::backend::{AppState, Error};
use app::domain::{Grace, NewExpiry};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use super::bearer::ApiCaller;
use super::body::OptionalApiJson;
use super::dto::{RotateRequest, RotatedToken};
use super::error::{ApiError, ErrorEnvelope};

/// Revokes the token making the request, at once.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/current",
    tag = "tokens",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The token is revoked"),
    )
)]
pub async fn delete_current_token(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<StatusCode, ApiError> {
    tokens::revoke_current(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the calling token's value with a new one. The token keeps its id, name,
/// description, access, source and history; the replaced value keeps working for the grace
/// period (its answers then carry `Deprecation` and `Sunset`). This is the one way a token
/// obtains a token: only its own successor, never with wider access, another source or a
/// life beyond 24 months.
#[utoipa::path(
    post,
    path = "/api/v1/tokens/current/rotate",
    tag = "tokens",
    security(("bearer" = [])),
    request_body(content = Option<RotateRequest>, content_type = "application/json",
        description = "Optional; `{}` or no body at all: a grace of 1h and the same length as before"),
    responses(
        (status = 201, description = "The new value, shown this once", body = RotatedToken,
            headers(("Cache-Control" = String, description = "no-store"))),
        (status = 400, description = "The body is not valid JSON", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
        (status = 409, description = "The token expired, or this value was already replaced by a rotation \
            (`already_rotated`; when the value presented is a replaced one, the whole token is revoked)", body = ErrorEnvelope),
        (status = 413, description = "The body is too large", body = ErrorEnvelope),
        (status = 415, description = "A body that is not JSON", body = ErrorEnvelope),
        (status = 422, description = "A grace or expires_in_months outside the allowed values, or an expiry the \
            server's token policy refuses (`invalid_field`, naming the policy)", body = ErrorEnvelope),
    )
)]
pub async fn rotate_current_token(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    OptionalApiJson(body): OptionalApiJson<RotateRequest>,
) -> Result<Response, ApiError> {
    let grace = match body.grace.as_deref() {
        None => Grace::OneHour,
        Some(text) => Grace::parse(text).map_err(|e| Error::invalid("grace", e.0))?,
    };
    let request = RotationRequest {
        grace,
        expiry: NewExpiry::from_months(body.expires_in_months).map_err(|e| Error::invalid("expires_in_months", e.0))?,
    };
    let rotated = tokens::rotate_current(&state, &caller, request)
        .await
        .map_err(|error| match error {
            // The expiry the token policy refused is the body's `expires_in_months`.
            Error::Invalid {
                field: "expiry",
                message,
            } => Error::invalid("expires_in_months", message),
            other => other,
        })?;
    let mut response = (StatusCode::CREATED, Json(RotatedToken::from(rotated))).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
