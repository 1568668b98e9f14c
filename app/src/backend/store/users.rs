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
    /// When the account became an administrator; `None` for everyone else.
    #[sqlx(try_from = "OptionalTimestamp")]
    pub admin_since: Option<DateTime<Utc>>,
}

impl User {
    /// Whether the account may sign in and its tokens work.
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }

    /// Whether the account may use the admin area (and is active).
    pub fn is_admin(&self) -> bool {
        self.admin_since.is_some() && self.is_active()
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

/// A line of `tessera user list` and a row of the admin Users page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub user: User,
    /// Group names, in the order the user joined them.
    pub groups: Vec<String>,
    /// How many of the user's tokens work now.
    pub active_tokens: i64,
    /// The latest successful sign-in, if any since Tessera kept it.
    pub last_signed_in_at: Option<DateTime<Utc>>,
}

/// A row of the user search, before its groups are added.
#[derive(sqlx::FromRow)]
struct UserRow {
    #[sqlx(flatten)]
    user: User,
    active_tokens: i64,
    #[sqlx(try_from = "OptionalTimestamp")]
    last_signed_in_at: Option<DateTime<Utc>>,
}

/// What a change to an administrator's standing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminChange {
    Done,
    /// Nothing to change: the user already is (or is not) what was asked.
    Unchanged,
    /// Refused: the user is the last active administrator.
    LastAdmin,
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

const USER_COLUMNS: &str =
    "id, username, display_name, email, deactivated_at, created_at, default_source_id, admin_since";

/// What a row of the Users list has besides the user: their last sign-in and how many of
/// their tokens work at `$2`.
const SUMMARY_EXTRA: &str = "last_signed_in_at, \
     (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = users.id AND t.revoked_at IS NULL \
      AND (t.expires_at IS NULL OR t.expires_at > $2)) AS active_tokens";

/// Whether the user `$1` is an active administrator and no other active one exists.
const IS_LAST_ADMIN: &str = "(admin_since IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users o \
     WHERE o.id <> $1 AND o.admin_since IS NOT NULL AND o.deactivated_at IS NULL))";

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

    #[tracing::instrument(skip_all)]
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

    /// Marks the user deactivated from `now`, unless they are the last active administrator.
    #[tracing::instrument(skip_all)]
    pub async fn deactivate_user(&self, id: UserId, now: DateTime<Utc>) -> StoreResult<AdminChange> {
        self.guarded_admin_change(
            id,
            &format!(
                "UPDATE users SET deactivated_at = $2 WHERE id = $1 AND deactivated_at IS NULL AND NOT {IS_LAST_ADMIN}"
            ),
            Some(now),
            "deactivated_at IS NULL",
        )
        .await
    }

    /// Lets a deactivated user sign in again; `false` when they were active (or unknown).
    #[tracing::instrument(skip_all)]
    pub async fn reactivate_user(&self, id: UserId) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Makes the user an administrator from `now`.
    #[tracing::instrument(skip_all)]
    pub async fn grant_admin(&self, id: UserId, now: DateTime<Utc>) -> StoreResult<AdminChange> {
        let done = sqlx::query("UPDATE users SET admin_since = $2 WHERE id = $1 AND admin_since IS NULL")
            .bind(id)
            .bind(Timestamp(now))
            .execute(&self.pool)
            .await?;
        Ok(if done.rows_affected() == 1 {
            AdminChange::Done
        } else {
            AdminChange::Unchanged
        })
    }

    /// Takes the administrator role away, unless the user is the last active administrator.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_admin(&self, id: UserId) -> StoreResult<AdminChange> {
        self.guarded_admin_change(
            id,
            &format!(
                "UPDATE users SET admin_since = NULL WHERE id = $1 AND admin_since IS NOT NULL AND NOT {IS_LAST_ADMIN}"
            ),
            None,
            "admin_since IS NOT NULL",
        )
        .await
    }

    /// Runs `update` (binding the user as `$1`, and `at` as `$2` when given) while no other
    /// such change runs, so two administrators can never remove each other at once; when it
    /// changes nothing, tells whether the user was already changed (`applies` false) or is the
    /// last administrator.
    async fn guarded_admin_change(
        &self,
        id: UserId,
        update: &str,
        at: Option<DateTime<Utc>>,
        applies: &str,
    ) -> StoreResult<AdminChange> {
        let mut tx = self.pool.begin().await?;
        super::dialect::lock_buckets(self.backend, &mut tx, &["administrators"]).await?;
        let mut query = sqlx::query(update).bind(id);
        if let Some(at) = at {
            query = query.bind(Timestamp(at));
        }
        let done = query.execute(&mut *tx).await?;
        let outcome = if done.rows_affected() == 1 {
            AdminChange::Done
        } else {
            let still: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM users WHERE id = $1 AND {applies}"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if still.is_some() {
                AdminChange::LastAdmin
            } else {
                AdminChange::Unchanged
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// How many active administrators there are.
    #[tracing::instrument(skip_all)]
    pub async fn count_active_admins(&self) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE admin_since IS NOT NULL AND deactivated_at IS NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Notes a successful sign-in.
    #[tracing::instrument(skip_all)]
    pub async fn set_last_signed_in(&self, id: UserId, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE users SET last_signed_in_at = $2 WHERE id = $1")
            .bind(id)
            .bind(Timestamp(now))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn count_users(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Up to `limit` users whose username, display name or email contains `search` (any
    /// case; everyone when empty), by username, skipping `offset`; with how many match.
    #[tracing::instrument(skip_all)]
    pub async fn search_users(
        &self,
        search: &str,
        now: DateTime<Utc>,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<UserSummary>, i64)> {
        let pattern = format!("%{}%", like_escaped(&search.to_lowercase()));
        const MATCHES: &str = "(LOWER(username) LIKE $1 ESCAPE '\\' OR LOWER(display_name) LIKE $1 ESCAPE '\\' \
             OR LOWER(COALESCE(email, '')) LIKE $1 ESCAPE '\\')";
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users WHERE {MATCHES}"))
            .bind(&pattern)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, {SUMMARY_EXTRA} FROM users WHERE {MATCHES} ORDER BY username LIMIT $3 OFFSET $4"
        ))
        .bind(&pattern)
        .bind(Timestamp(now))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        // The page's memberships in one query rather than one per row.
        let placeholders = (1..=rows.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let mut memberships = Vec::new();
        if !rows.is_empty() {
            let sql = format!(
                "SELECT m.user_id, g.name FROM memberships m JOIN groups g ON g.id = m.group_id \
                 WHERE m.user_id IN ({placeholders}) ORDER BY m.user_id, m.joined_at, g.id"
            );
            let mut query = sqlx::query_as::<_, (UserId, String)>(&sql);
            for row in &rows {
                query = query.bind(row.user.id);
            }
            memberships = query.fetch_all(&self.pool).await?;
        }
        let mut groups: std::collections::HashMap<UserId, Vec<String>> = std::collections::HashMap::new();
        for (user, name) in memberships {
            groups.entry(user).or_default().push(name);
        }
        let out = rows
            .into_iter()
            .map(|row| {
                let mine = groups.remove(&row.user.id).unwrap_or_default();
                row.summary(mine)
            })
            .collect();
        Ok((out, total))
    }

    /// The user `id` as a row of the Users list, at `now`.
    #[tracing::instrument(skip_all)]
    pub async fn user_summary(&self, id: UserId, now: DateTime<Utc>) -> StoreResult<Option<UserSummary>> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, {SUMMARY_EXTRA} FROM users WHERE id = $1"
        ))
        .bind(id)
        .bind(Timestamp(now))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.summary_of(row).await?)),
            None => Ok(None),
        }
    }

    async fn summary_of(&self, row: UserRow) -> StoreResult<UserSummary> {
        let groups = self.groups_of(row.user.id).await?.into_iter().map(|g| g.name).collect();
        Ok(row.summary(groups))
    }
}

impl UserRow {
    fn summary(self, groups: Vec<String>) -> UserSummary {
        UserSummary {
            user: self.user,
            groups,
            active_tokens: self.active_tokens,
            last_signed_in_at: self.last_signed_in_at,
        }
    }
}

/// `text` with LIKE's wildcards and the escape character escaped (by a backslash).
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
            admin_since: None,
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
