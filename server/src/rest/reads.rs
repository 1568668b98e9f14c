//! What reading entities and observables share: a page of them, one by id, for the caller.

use app::backend::AppState;
use app::backend::objects;
use app::backend::store::{ObjectKind, ObjectRecord};
use app::backend::tokens::verify::Caller;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};

use super::dto::{Entity, Observable, Page};
use super::error::ApiError;
use super::paging::{ListParams, Paging};

/// A JSON resource made from one kind of object.
pub trait ObjectResource: From<ObjectRecord> {
    const KIND: ObjectKind;
}

impl ObjectResource for Entity {
    const KIND: ObjectKind = ObjectKind::Entity;
}

impl ObjectResource for Observable {
    const KIND: ObjectKind = ObjectKind::Observable;
}

/// A page of the objects the caller can see.
pub async fn page<T: ObjectResource>(
    state: &AppState,
    caller: &Caller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Page<T>>, ApiError> {
    let Paging { limit, before } = Paging::from_query(params)?;
    let page = objects::list(state, caller.user.id, T::KIND, before, limit).await?;
    Ok(Json(page.into()))
}

/// One object by the id in the path; anything that is not an id is simply not found.
pub async fn one<T: ObjectResource>(
    state: &AppState,
    caller: &Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<T>, ApiError> {
    let id = id.map_or_else(|_| String::from("(unreadable)"), |Path(id)| id);
    let id = id.parse::<i64>().map_err(|_| objects::not_found(T::KIND, &id))?;
    Ok(Json(objects::get(state, caller.user.id, T::KIND, id).await?.into()))
}

/// Deletes one object the caller created, by the id in the path; anything else is not found.
pub async fn delete_one(
    state: &AppState,
    caller: &Caller,
    kind: ObjectKind,
    id: Result<Path<String>, PathRejection>,
) -> Result<http::StatusCode, ApiError> {
    let id = id.map_or_else(|_| String::from("(unreadable)"), |Path(id)| id);
    let id = id.parse::<i64>().map_err(|_| objects::not_found(kind, &id))?;
    objects::delete(state, caller, kind, id).await?;
    Ok(http::StatusCode::NO_CONTENT)
}
