//! `GET /api/v1/me`: the token's owner and the token itself.

use app::backend::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::bearer::ApiCaller;
use super::dto::Me;

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
pub async fn get_me(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> Response {
    Json(Me::new(&caller, state.clock.now())).into_response()
}
