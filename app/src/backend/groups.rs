//! Groups (the sources objects are attributed to) and who belongs to them.

use super::error::invalid_at;
use super::invalidation::{self, Invalidation};
use super::store::{Group, StoreError, User};
use super::{AppState, Error, Result};
use crate::domain::GroupName;

/// Creates a group; a conflict when the name is taken.
pub async fn create(state: &AppState, name: &str) -> Result<Group> {
    let name = GroupName::parse(name).map_err(invalid_at("group_name"))?;
    match state.store.insert_group(&name, state.clock.now()).await {
        Ok(id) => Ok(Group {
            id,
            name: name.to_string(),
        }),
        Err(StoreError::Duplicate) => Err(Error::conflict(
            "group_name",
            format!("A group named \"{name}\" already exists."),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The group with this name.
pub async fn find(state: &AppState, name: &str) -> Result<Group> {
    let name = GroupName::parse(name).map_err(invalid_at("group_name"))?;
    state
        .store
        .group_by_name(&name)
        .await?
        .ok_or_else(|| Error::NotFound(format!("There is no group named \"{name}\".")))
}

/// Adds the user to the group, as the last group they joined. Their tokens see the change at
/// once on this instance (and on others as soon as they hear of it, see `invalidation`).
pub async fn add_member(state: &AppState, user: &User, group: &Group) -> Result<()> {
    match state.store.add_membership(user.id, group.id, state.clock.now()).await {
        Ok(()) => {
            invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
            Ok(())
        }
        Err(StoreError::Duplicate) => Err(Error::conflict(
            "group_name",
            format!("\"{}\" is already in \"{}\".", user.username, group.name),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Takes the user out of the group. Their objects there stay; new ones go to another source.
pub async fn remove_member(state: &AppState, user: &User, group: &Group) -> Result<()> {
    if state.store.remove_membership(user.id, group.id).await? {
        invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
        Ok(())
    } else {
        Err(Error::NotFound(format!(
            "\"{}\" is not in \"{}\".",
            user.username, group.name
        )))
    }
}
