//! Which group ("source") the objects created with a user's tokens are attributed to.

use super::store::{Group, GroupId, User};
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

impl Sources {
    /// The sources of a user with this default source choice and these groups (in the order
    /// joined).
    pub fn resolve(chosen: Option<GroupId>, groups: Vec<Group>) -> Self {
        let default = chosen.and_then(|id| groups.iter().find(|g| g.id == id).cloned());
        let effective = default.clone().or_else(|| groups.first().cloned());
        Self {
            groups,
            default,
            effective,
        }
    }
}

/// Works out `user`'s sources from the database as it is now: the default source is read
/// afresh, not taken from `user`, which may be older.
pub async fn sources_of(state: &AppState, user: &User) -> Result<Sources> {
    let groups = state.store.groups_of(user.id).await?;
    let chosen = state.store.user_by_id(user.id).await?.and_then(|u| u.default_source);
    Ok(Sources::resolve(chosen, groups))
}
