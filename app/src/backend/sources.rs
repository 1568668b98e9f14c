//! Which group ("source") the objects created with a user's tokens are attributed to.

use super::store::{Group, User};
use super::{AppState, Result};

/// A user's groups and the source that applies now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    /// The user's groups, in the order they joined them.
    pub groups: Vec<Group>,
    /// The default source chosen in the profile, if it is still one of the user's groups.
    pub default: Option<Group>,
    /// What objects are attributed to: the default source, else the group joined first,
    /// else none (the user cannot create objects).
    pub effective: Option<Group>,
}

/// Works out `user`'s sources from the database as it is now: the default source is read
/// afresh, not taken from `user`, which may come from the token cache.
pub async fn sources_of(state: &AppState, user: &User) -> Result<Sources> {
    let groups = state.store.groups_of(user.id).await?;
    let chosen = state.store.user_by_id(user.id).await?.and_then(|u| u.default_source);
    let default = chosen.and_then(|id| groups.iter().find(|g| g.id == id).cloned());
    let effective = default.clone().or_else(|| groups.first().cloned());
    Ok(Sources {
        groups,
        default,
        effective,
    })
}
