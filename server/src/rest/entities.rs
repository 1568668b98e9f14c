//! `/api/v1/entities`: create, list and read entities.

use app::backend::AppState;
use app::backend::objects;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use http::StatusCode;

use super::bearer::ApiCaller;
use super::body::ApiJson;
use super::dto::{Entity, NewEntity, Page};
use super::error::{ApiError, ErrorEnvelope};
use super::paging::ListParams;
use super::reads;

/// Creates an entity attributed to the token owner's source.
#[utoipa::path(
    post,
    path = "/api/v1/entities",
    tag = "entities",
    security(("bearer" = [])),
    request_body = NewEntity,
    responses(
        (status = 201, description = "Created", body = Entity),
        (status = 400, description = "Malformed JSON", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
        (status = 403, description = "A read-only token (`insufficient_scope`); nothing is written", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields, a `source` in the body, or no group to attribute to", body = ErrorEnvelope),
        (status = 429, description = "This token created too many objects in the last minute; see Retry-After", body = ErrorEnvelope),
    )
)]
pub async fn create_entity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewEntity>,
) -> Result<(StatusCode, Json<Entity>), ApiError> {
    let record = objects::create_entity(&state, &caller, &body.kind, &body.title, body.description.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Entities whose source is one of the caller's groups, newest first.
#[utoipa::path(get, path = "/api/v1/entities", tag = "entities", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = Page<Entity>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_entities(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Page<Entity>>, ApiError> {
    reads::page(&state, &caller, params).await
}

/// One entity, if its source is one of the caller's groups.
#[utoipa::path(get, path = "/api/v1/entities/{id}", tag = "entities", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The entity's id")),
    responses((status = 200, body = Entity), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_entity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Entity>, ApiError> {
    reads::one(&state, &caller, id).await
}
