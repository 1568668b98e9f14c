//! The `groups` and `memberships` tables.

use chrono::{DateTime, Utc};

use super::{GroupId, Store, StoreResult, Timestamp, UserId};
use crate::domain::GroupName;

/// A user group; groups are the "sources" objects are attributed to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
}

/// A group with its members' usernames (active or not), by username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupWithMembers {
    pub group: Group,
    pub members: Vec<String>,
}

impl Store {
    /// Every group by name, with its members.
    #[tracing::instrument(skip_all)]
    pub async fn groups_with_members(&self) -> StoreResult<Vec<GroupWithMembers>> {
        let groups: Vec<Group> = sqlx::query_as("SELECT id, name FROM groups ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let pairs: Vec<(GroupId, String)> = sqlx::query_as(
            "SELECT m.group_id, u.username FROM memberships m JOIN users u ON u.id = m.user_id ORDER BY u.username",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(groups
            .into_iter()
            .map(|group| GroupWithMembers {
                members: pairs
                    .iter()
                    .filter(|(g, _)| *g == group.id)
                    .map(|(_, u)| u.clone())
                    .collect(),
                group,
            })
            .collect())
    }

    /// Renames a group; `false` when there is no such group, `Duplicate` when the name is
    /// taken.
    #[tracing::instrument(skip_all)]
    pub async fn rename_group(&self, id: GroupId, name: &GroupName) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE groups SET name = $1 WHERE id = $2")
            .bind(name.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(skip_all)]
    pub async fn insert_group(&self, name: &GroupName, now: DateTime<Utc>) -> StoreResult<GroupId> {
        let id: i64 = sqlx::query_scalar("INSERT INTO groups (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name.as_str())
            .bind(Timestamp(now))
            .fetch_one(&self.pool)
            .await?;
        Ok(GroupId(id))
    }

    #[tracing::instrument(skip_all)]
    pub async fn group_by_name(&self, name: &GroupName) -> StoreResult<Option<Group>> {
        Ok(sqlx::query_as("SELECT id, name FROM groups WHERE name = $1")
            .bind(name.as_str())
            .fetch_optional(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip_all)]
    pub async fn group_by_id(&self, id: GroupId) -> StoreResult<Option<Group>> {
        Ok(sqlx::query_as("SELECT id, name FROM groups WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Adds the user to the group; `Duplicate` when they already belong to it.
    #[tracing::instrument(skip_all)]
    pub async fn add_membership(&self, user: UserId, group: GroupId, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("INSERT INTO memberships (user_id, group_id, joined_at) VALUES ($1, $2, $3)")
            .bind(user)
            .bind(group)
            .bind(Timestamp(now))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Takes the user out of the group; `false` when they were not in it.
    #[tracing::instrument(skip_all)]
    pub async fn remove_membership(&self, user: UserId, group: GroupId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND group_id = $2")
            .bind(user)
            .bind(group)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The user's groups in the order they joined them (ties by group id).
    #[tracing::instrument(skip_all)]
    pub async fn groups_of(&self, user: UserId) -> StoreResult<Vec<Group>> {
        Ok(sqlx::query_as(
            r"SELECT g.id, g.name FROM groups g JOIN memberships m ON m.group_id = g.id
              WHERE m.user_id = $1 ORDER BY m.joined_at, g.id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }
}
