//! `GET /api/v1/me`: the token's owner and the token itself.

use app::backend::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};

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
    let body = Me::new(&caller, state.clock.now()).to_json();
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}
