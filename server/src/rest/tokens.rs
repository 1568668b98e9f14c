//! `DELETE /api/v1/tokens/current`: a token revokes itself.

use app::backend::{AppState, tokens};
use axum::extract::State;
use http::StatusCode;

use super::bearer::ApiCaller;
use super::error::{ApiError, ErrorEnvelope};

/// Revokes the token making the request, at once.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/current",
    tag = "tokens",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The token is revoked"),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
    )
)]
pub async fn delete_current_token(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<StatusCode, ApiError> {
    tokens::revoke_current(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
