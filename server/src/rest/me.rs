//! `GET /api/v1/me`: the token's owner and the token itself.

use app::backend::AppState;
use axum::Json;
use axum::extract::State;

use super::bearer::ApiCaller;
use super::dto::Me;
use super::error::ApiError;

/// Who the token belongs to, their groups and sources.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's owner", body = Me),
    )
)]
pub async fn get_me(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me::new(caller, state.clock.now())))
}
