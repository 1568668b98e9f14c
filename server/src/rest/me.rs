//! `GET /api/v1/me`: the token's owner and the token itself.

use axum::Json;

use super::bearer::ApiCaller;
use super::dto::Me;
use super::error::{ApiError, ErrorEnvelope};

/// Who the token belongs to, their groups and sources.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's owner", body = Me),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
    )
)]
pub async fn get_me(ApiCaller(caller): ApiCaller) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me::from(caller)))
}
