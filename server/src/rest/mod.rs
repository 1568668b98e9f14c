//! The REST API under `/api/v1`: JSON, authenticated by `Authorization: Bearer <token>` only.
//! One file per resource (`me`, `entities`, `observables`, `tokens`) holds its handlers, which
//! call one backend operation each; `dto/` holds the JSON types; `bearer`, `body`, `paging`
//! and `error` are the plumbing every handler shares.

pub mod answers;
pub mod bearer;
pub mod body;
pub mod credentials;
pub mod dto;
pub mod entities;
pub mod error;
pub mod me;
pub mod observables;
pub mod openapi;
pub mod paging;
pub mod reads;
pub mod schema;
pub mod tokens;

use app::backend::AppState;
use axum::Router;
use axum::routing::{delete, get, post};

use error::ApiError;

/// The routes, to be nested under `/api/v1`.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/me", get(me::get_me))
        .route("/entities", get(entities::list_entities).post(entities::create_entity))
        .route(
            "/entities/{id}",
            get(entities::get_entity).delete(entities::delete_entity),
        )
        .route(
            "/observables",
            get(observables::list_observables).post(observables::create_observable),
        )
        .route(
            "/observables/{id}",
            get(observables::get_observable).delete(observables::delete_observable),
        )
        .route("/tokens/current", delete(tokens::delete_current_token))
        .route("/tokens/current/rotate", post(tokens::rotate_current_token))
        .route("/credentials/revoke", post(credentials::revoke_credentials))
        .route("/openapi.json", get(openapi::get_openapi))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state, bearer::announce_expiry))
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This endpoint does not accept that method; see /api/v1/openapi.json.",
            )
        })
}

/// The answer for a path the API does not have.
pub async fn not_found() -> ApiError {
    ApiError::not_found("There is no such endpoint; see /api/v1/openapi.json.")
}
