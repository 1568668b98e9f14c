//! Entities and observables: created with the owner's effective source, read only within the
//! caller's groups.

use app::backend::AppState;
use app::backend::sources::sources_of;
use app::backend::store::{NewObject, ObjectKind, ObjectRecord};
use app::backend::tokens::verify::Caller;
use app::domain::{Description, EntityType, ObservableType, ObservableValue, Title};
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::bearer::ApiCaller;
use super::body::ApiJson;
use super::error::{ApiError, ErrorEnvelope};
use super::me::GroupRef;

/// Body of `POST /api/v1/entities`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntity {
    /// campaign, course-of-action, exploit-target, incident, indicator, report, sighting, threat-actor or ttp
    #[serde(rename = "type")]
    pub kind: String,
    /// 1–500 characters.
    pub title: String,
    pub description: Option<String>,
}

/// Body of `POST /api/v1/observables`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObservable {
    /// ipv4, ipv6, domain, uri, email, hash-md5, hash-sha1 or hash-sha256
    #[serde(rename = "type")]
    pub kind: String,
    /// Validated and stored in canonical form.
    pub value: String,
}

/// An entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entity {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub source: GroupRef,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// An observable.
#[derive(Debug, Serialize, ToSchema)]
pub struct Observable {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub source: GroupRef,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A page of results, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next: Option<String>,
}

/// Paging of list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// How many items, 1–100 (default 20).
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

impl From<ObjectRecord> for Entity {
    fn from(r: ObjectRecord) -> Self {
        Self {
            id: r.id,
            kind: r.object_type,
            title: r.text,
            description: r.description,
            source: r.source.into(),
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

impl From<ObjectRecord> for Observable {
    fn from(r: ObjectRecord) -> Self {
        Self {
            id: r.id,
            kind: r.object_type,
            value: r.text,
            source: r.source.into(),
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

fn invalid(field: &str, message: impl std::fmt::Display) -> ApiError {
    ApiError::unprocessable("invalid_field", format!("{field}: {message}"))
}

/// What a create request asks to store.
struct Submitted<'a> {
    object_type: &'a str,
    text: &'a str,
    description: Option<&'a str>,
}

/// Stores an object under the caller's effective source, at the time of the request, and
/// reads it back.
async fn create(
    state: &AppState,
    caller: &Caller,
    kind: ObjectKind,
    submitted: Submitted<'_>,
) -> Result<ObjectRecord, ApiError> {
    let sources = sources_of(state, &caller.user).await.map_err(ApiError::internal)?;
    let Some(source) = sources.effective else {
        return Err(ApiError::unprocessable(
            "no_source",
            "You belong to no user group, so there is no source to attribute objects to. \
             Ask an administrator to add you to a group.",
        ));
    };
    let new = NewObject {
        object_type: submitted.object_type,
        text: submitted.text,
        description: submitted.description,
        source: source.id,
        created_by: caller.user.id,
        token: Some(caller.token.id),
        created_at: state.clock.now(),
    };
    let id = state
        .store
        .insert_object(kind, &new)
        .await
        .map_err(ApiError::internal)?;
    state
        .store
        .object_visible_to(kind, caller.user.id, id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a created object is not visible to its creator")))
}

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
        (status = 422, description = "Invalid fields, a `source` in the body, or no group to attribute to", body = ErrorEnvelope),
    )
)]
pub async fn create_entity(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewEntity>,
) -> Result<(StatusCode, Json<Entity>), ApiError> {
    let kind = EntityType::parse(&body.kind).map_err(|e| invalid("type", e))?;
    let title = Title::parse(&body.title).map_err(|e| invalid("title", e))?;
    let description =
        Description::parse_optional(body.description.as_deref()).map_err(|e| invalid("description", e))?;
    let submitted = Submitted {
        object_type: kind.as_str(),
        text: title.as_str(),
        description: description.as_ref().map(Description::as_str),
    };
    let record = create(&state, &caller, ObjectKind::Entity, submitted).await?;
    tracing::info!(token_id = caller.token.id.0, entity_id = record.id, "created an entity");
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Creates an observable (stored in canonical form) attributed to the token owner's source.
#[utoipa::path(
    post,
    path = "/api/v1/observables",
    tag = "observables",
    security(("bearer" = [])),
    request_body = NewObservable,
    responses(
        (status = 201, description = "Created", body = Observable),
        (status = 400, description = "Malformed JSON", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields, a `source` in the body, or no group to attribute to", body = ErrorEnvelope),
    )
)]
pub async fn create_observable(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewObservable>,
) -> Result<(StatusCode, Json<Observable>), ApiError> {
    let kind = ObservableType::parse(&body.kind).map_err(|e| invalid("type", e))?;
    let value = ObservableValue::parse(kind, &body.value).map_err(|e| invalid("value", e))?;
    let submitted = Submitted {
        object_type: kind.as_str(),
        text: value.as_str(),
        description: None,
    };
    let record = create(&state, &caller, ObjectKind::Observable, submitted).await?;
    tracing::info!(
        token_id = caller.token.id.0,
        observable_id = record.id,
        "created an observable"
    );
    Ok((StatusCode::CREATED, Json(record.into())))
}

const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 100;

fn encode_cursor(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("before:{id}"))
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("before:")?.parse().ok()
}

/// Reads `limit` and `cursor`, with messages that say what to send instead.
fn paging(params: Result<Query<ListParams>, QueryRejection>) -> Result<(i64, Option<i64>), ApiError> {
    let Query(params) =
        params.map_err(|e| ApiError::bad_request("invalid_query", format!("The query string is malformed: {e}.")))?;
    let limit = match params.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_limit",
                    format!("`limit` must be a whole number from 1 to {MAX_LIMIT}."),
                ));
            }
        },
    };
    let before = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "`cursor` must be the `next` value of a previous page.",
            )
        })?),
    };
    Ok((limit, before))
}

async fn list<T: From<ObjectRecord>>(
    state: &AppState,
    caller: &Caller,
    kind: ObjectKind,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Page<T>>, ApiError> {
    let (limit, before) = paging(params)?;
    let mut records = state
        .store
        .objects_visible_to(kind, caller.user.id, before, limit + 1)
        .await
        .map_err(ApiError::internal)?;
    let more = records.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    records.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more {
        records.last().map(|r| encode_cursor(r.id))
    } else {
        None
    };
    Ok(Json(Page {
        data: records.into_iter().map(T::from).collect(),
        next,
    }))
}

async fn get_one<T: From<ObjectRecord>>(
    state: &AppState,
    caller: &Caller,
    kind: ObjectKind,
    id: &str,
    what: &str,
) -> Result<Json<T>, ApiError> {
    let missing = || ApiError::not_found(format!("There is no {what} with id {id} in your groups."));
    let Ok(id_number) = id.parse::<i64>() else {
        return Err(missing());
    };
    let record = state
        .store
        .object_visible_to(kind, caller.user.id, id_number)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(missing)?;
    Ok(Json(T::from(record)))
}

/// Entities whose source is one of the caller's groups, newest first.
#[utoipa::path(get, path = "/api/v1/entities", tag = "entities", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = Page<Entity>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_entities(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Page<Entity>>, ApiError> {
    list(&state, &caller, ObjectKind::Entity, params).await
}

/// Observables whose source is one of the caller's groups, newest first.
#[utoipa::path(get, path = "/api/v1/observables", tag = "observables", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = Page<Observable>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_observables(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Page<Observable>>, ApiError> {
    list(&state, &caller, ObjectKind::Observable, params).await
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
    let id = id.map_or_else(|_| String::from("(unreadable)"), |Path(id)| id);
    get_one(&state, &caller, ObjectKind::Entity, &id, "entity").await
}

/// One observable, if its source is one of the caller's groups.
#[utoipa::path(get, path = "/api/v1/observables/{id}", tag = "observables", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The observable's id")),
    responses((status = 200, body = Observable), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_observable(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Observable>, ApiError> {
    let id = id.map_or_else(|_| String::from("(unreadable)"), |Path(id)| id);
    get_one(&state, &caller, ObjectKind::Observable, &id, "observable").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(
            decode_cursor(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("after:1")),
            None
        );
    }
}
