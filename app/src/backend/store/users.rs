//! The `users` table.

use chrono::{DateTime, Utc};

use super::{GroupId, OptionalTimestamp, Store, StoreResult, Timestamp, UserId};
use crate::domain::{DisplayName, Email, Username};

/// An account as the rest of Tessera sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// When an administrator deactivated the account, if one did.
    #[sqlx(try_from = "OptionalTimestamp")]
    pub deactivated_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "Timestamp")]
    pub created_at: DateTime<Utc>,
    /// The group chosen as default source, if any (it may since have been left).
    #[sqlx(rename = "default_source_id")]
    pub default_source: Option<GroupId>,
}

impl User {
    /// Whether the account may sign in and its tokens work.
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// An account with its password hash, for sign-in only.
#[derive(Clone, sqlx::FromRow)]
pub struct Credentials {
    #[sqlx(flatten)]
    pub user: User,
    pub password_hash: String,
}

/// What creating an account needs.
#[derive(Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: DisplayName,
    pub email: Option<Email>,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A line of `tessera user list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub user: User,
    pub groups: Vec<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("password_hash", &"<redacted>")
            .field("created_at", &self.created_at)
            .finish()
    }
}

const USER_COLUMNS: &str = "id, username, display_name, email, deactivated_at, created_at, default_source_id";

impl Store {
    #[tracing::instrument(skip_all)]
    pub async fn insert_user(&self, new: &NewUser) -> StoreResult<UserId> {
        let id: i64 = sqlx::query_scalar(
            r"INSERT INTO users (username, display_name, email, password_hash, created_at)
              VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.username.as_str())
        .bind(new.display_name.as_str())
        .bind(new.email.as_ref().map(Email::as_str))
        .bind(&new.password_hash)
        .bind(Timestamp(new.created_at))
        .fetch_one(&self.pool)
        .await?;
        Ok(UserId(id))
    }

    #[tracing::instrument(skip_all)]
    pub async fn user_by_id(&self, id: UserId) -> StoreResult<Option<User>> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    #[tracing::instrument(skip_all)]
    pub async fn user_by_username(&self, username: &Username) -> StoreResult<Option<User>> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"))
                .bind(username.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    #[tracing::instrument(skip_all)]
    /// Replaces the user's password hash.
    #[tracing::instrument(skip_all)]
    pub async fn set_password_hash(&self, user: UserId, password_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn credentials(&self, username: &Username) -> StoreResult<Option<Credentials>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        ))
        .bind(username.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip_all)]
    pub async fn update_profile(
        &self,
        id: UserId,
        display_name: &DisplayName,
        email: Option<&Email>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE users SET display_name = $1, email = $2 WHERE id = $3")
            .bind(display_name.as_str())
            .bind(email.map(Email::as_str))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets (or clears) the user's default source.
    #[tracing::instrument(skip_all)]
    pub async fn set_default_source(&self, id: UserId, group: Option<GroupId>) -> StoreResult<()> {
        sqlx::query("UPDATE users SET default_source_id = $1 WHERE id = $2")
            .bind(group)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks the user deactivated from `now`; `false` when there is no such active user.
    #[tracing::instrument(skip_all)]
    pub async fn deactivate_user(&self, id: UserId, now: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL")
            .bind(Timestamp(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    #[tracing::instrument(skip_all)]
    pub async fn count_users(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Every user with their group names, by username.
    #[tracing::instrument(skip_all)]
    pub async fn list_users(&self) -> StoreResult<Vec<UserSummary>> {
        let users: Vec<User> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(users.len());
        for user in users {
            let groups = self.groups_of(user.id).await?.into_iter().map(|g| g.name).collect();
            out.push(UserSummary { user, groups });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_password_hash() {
        let user = User {
            id: UserId(1),
            username: "alice".into(),
            display_name: "Alice".into(),
            email: None,
            deactivated_at: None,
            created_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
            default_source: None,
        };
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
        let credentials = Credentials {
            user: user.clone(),
            password_hash: hash.into(),
        };
        let new = NewUser {
            username: Username::parse("alice").expect("name"),
            display_name: DisplayName::parse("Alice").expect("name"),
            email: None,
            password_hash: hash.into(),
            created_at: user.created_at,
        };
        for shown in [format!("{credentials:?}"), format!("{new:?}")] {
            assert!(shown.contains("alice") && !shown.contains("argon2id"), "{shown}");
        }
    }
}
