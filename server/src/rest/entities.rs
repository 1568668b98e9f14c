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
        (status = 400, description = "The body is not JSON (`malformed_json`) or could not be read (`unreadable_body`)", body = ErrorEnvelope),
        (status = 403, description = "A read-only token (`insufficient_scope`); nothing is written", body = ErrorEnvelope),
        (status = 415, description = "The body is not sent as `Content-Type: application/json` (`unsupported_media_type`)", body = ErrorEnvelope),
        (status = 422, description = "A body that does not fit the schema (`invalid_body`), a field that breaks its rule \
            (`invalid_field`), a `source` in the body (`source_not_allowed`), or no group to attribute the object to \
            (`no_source`, `token_source_unavailable`)", body = ErrorEnvelope),
        (status = 429, description = "This token created too many objects in the last minute (`rate_limited`); see Retry-After", body = ErrorEnvelope),
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
    responses(
        (status = 200, description = "A page of entities, newest first", body = Page<Entity>),
        (status = 400, description = "A `limit` that is not a whole number from 1 to 100 (`invalid_limit`), a `cursor` \
            that is not a `next` value (`invalid_cursor`), or a malformed query string (`invalid_query`)", body = ErrorEnvelope),
    ))]
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
    responses(
        (status = 200, description = "The entity", body = Entity),
        (status = 404, description = "No entity with this id among the caller's groups (`not_found`)", body = ErrorEnvelope),
    ))]
pub async fn get_entity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Entity>, ApiError> {
    reads::one(&state, &caller, id).await
}

/// Deletes an entity the caller created (after a leak, say). Someone else's, or one that does
/// not exist, is not found alike.
#[utoipa::path(delete, path = "/api/v1/entities/{id}", tag = "entities", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The entity's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "A read-only token (`insufficient_scope`); nothing is deleted", body = ErrorEnvelope),
        (status = 404, description = "No entity with this id created by the token's owner (`not_found`)", body = ErrorEnvelope),
    ))]
pub async fn delete_entity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    reads::delete_one(&state, &caller, app::backend::store::ObjectKind::Entity, id).await
}
