//! Entities and observables: created by API requests under the token owner's effective source
//! at the time of the request, and read only within the reader's groups.

use super::error::invalid_at;
use super::security_log::{self, Refusal};
use super::store::{NewObject, ObjectFilter, ObjectKind, ObjectRecord, TokenId, User, UserId};
use super::tokens::verify::{Caller, MissingSource};
use super::{AppState, Error, Result};
use crate::domain::{Description, EntityType, ObservableType, ObservableValue, Title};

/// The most objects one page holds.
pub const MAX_PAGE: i64 = 100;

/// One page of objects, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<ObjectRecord>,
    /// Whether older objects follow the last one.
    pub more: bool,
}

/// Refuses a token that may only read, before anything of the request is looked at.
async fn require_write(state: &AppState, caller: &Caller) -> Result<()> {
    if caller.token.access.can_write() {
        Ok(())
    } else {
        security_log::refused_caller(state, caller, Refusal::Scope).await;
        Err(Error::InsufficientScope)
    }
}

/// Creates an entity; `kind`, `title` and `description` are checked here.
pub async fn create_entity(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    title: &str,
    description: Option<&str>,
) -> Result<ObjectRecord> {
    require_write(state, caller).await?;
    let kind = EntityType::parse(kind).map_err(invalid_at("type"))?;
    let title = Title::parse(title).map_err(invalid_at("title"))?;
    let description = Description::parse_optional(description).map_err(invalid_at("description"))?;
    let record = create(
        state,
        caller,
        ObjectKind::Entity,
        kind.as_str(),
        title.as_str(),
        description.as_ref().map(Description::as_str),
    )
    .await?;
    tracing::info!(token_id = caller.token.id.0, entity_id = record.id, "created an entity");
    Ok(record)
}

/// Creates an observable, stored in canonical form.
pub async fn create_observable(state: &AppState, caller: &Caller, kind: &str, value: &str) -> Result<ObjectRecord> {
    require_write(state, caller).await?;
    let kind = ObservableType::parse(kind).map_err(invalid_at("type"))?;
    let value = ObservableValue::parse(kind, value).map_err(invalid_at("value"))?;
    let record = create(
        state,
        caller,
        ObjectKind::Observable,
        kind.as_str(),
        value.as_str(),
        None,
    )
    .await?;
    tracing::info!(
        token_id = caller.token.id.0,
        observable_id = record.id,
        "created an observable"
    );
    Ok(record)
}

/// Stores an object under the caller's effective source (as verified with the token: changes
/// on this instance apply at once, elsewhere once announced, see `invalidation`) and
/// reads it back;
/// refused when the token has used up its creations for the minute.
async fn create(
    state: &AppState,
    caller: &Caller,
    kind: ObjectKind,
    object_type: &str,
    text: &str,
    description: Option<&str>,
) -> Result<ObjectRecord> {
    state
        .object_rate
        .take(caller.token.id, state.clock.now())
        .map_err(|retry_after_secs| Error::TooFast {
            what: "objects",
            retry_after_secs,
        })?;
    let source = match caller.source() {
        Ok(source) => source,
        Err(MissingSource::NoGroup) => {
            security_log::refused_caller(state, caller, Refusal::NoGroup).await;
            return Err(Error::NoSource);
        }
        Err(MissingSource::Left(id)) => {
            let group = state
                .store
                .group_by_id(id)
                .await?
                .map_or_else(|| format!("group {}", id.0), |g| g.name);
            security_log::refused_caller(state, caller, Refusal::SourceLeft(group.clone())).await;
            return Err(Error::TokenSourceUnavailable { group });
        }
    };
    let new = NewObject {
        object_type,
        text,
        description,
        source: source.id,
        created_by: caller.user.id,
        token: Some(caller.token.id),
        created_at: state.clock.now(),
    };
    let id = state.store.insert_object(kind, &new).await?;
    state
        .store
        .object_visible_to(kind, caller.user.id, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a created object is not visible to its creator").into())
}

/// Up to `limit` (1 to `MAX_PAGE`) objects the reader can see, newest first, older than the
/// object `before` when given.
pub async fn list(state: &AppState, reader: UserId, kind: ObjectKind, before: Option<i64>, limit: i64) -> Result<Page> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut items = state.store.objects_visible_to(kind, reader, before, limit + 1).await?;
    let more = items.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(Page { items, more })
}

/// One object, if its source is one of the reader's groups; otherwise not found, whether it
/// exists or not.
pub async fn get(state: &AppState, reader: UserId, kind: ObjectKind, id: i64) -> Result<ObjectRecord> {
    state
        .store
        .object_visible_to(kind, reader, id)
        .await?
        .ok_or_else(|| not_found(kind, &id.to_string()))
}

/// The answer for an object id that is missing, not visible, or not an id at all.
pub fn not_found(kind: ObjectKind, id: &str) -> Error {
    let what = match kind {
        ObjectKind::Entity => "entity",
        ObjectKind::Observable => "observable",
    };
    Error::NotFound(format!("There is no {what} with id {id} in your groups."))
}

/// Up to `limit` objects the reader can see, narrowed by `filter` (the Data page).
pub async fn list_filtered(
    state: &AppState,
    reader: UserId,
    kind: ObjectKind,
    filter: &ObjectFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Page> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut items = state
        .store
        .objects_filtered(kind, reader, filter, before, limit + 1)
        .await?;
    let more = items.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(Page { items, more })
}

/// Deletes an object its creator asks to delete through the API (a token that may write);
/// anyone else's, or a missing one, is not found alike.
pub async fn delete(state: &AppState, caller: &Caller, kind: ObjectKind, id: i64) -> Result<()> {
    require_write(state, caller).await?;
    if state.store.delete_object(kind, caller.user.id, id).await? {
        tracing::info!(token_id = caller.token.id.0, object_id = id, "deleted an object");
        Ok(())
    } else {
        Err(not_found(kind, &id.to_string()))
    }
}

/// Deletes everything the user created with their token `token` (after a leak); answers
/// how many entities and observables went.
pub async fn delete_created_with(state: &AppState, user: &User, token: TokenId) -> Result<(u64, u64)> {
    let (entities, observables) = state.store.delete_objects_of_token(user.id, token).await?;
    tracing::info!(
        user_id = user.id.0,
        token_id = token.0,
        entities,
        observables,
        "deleted what a token created"
    );
    Ok((entities, observables))
}
