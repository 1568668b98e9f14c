//! The `api_tokens` table. Every query that a user's action reaches is scoped by `user_id`.

use chrono::{DateTime, Utc};

use super::{GroupId, OptionalTimestamp, Store, StoreResult, Timestamp, UserId, dialect};
use crate::backend::tokens::TokenDigest;
use crate::domain::{TokenAccess, TokenDescription, TokenName};

/// A token's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct TokenId(pub i64);

/// A stored token (never its plaintext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    #[sqlx(try_from = "Timestamp")]
    pub created_at: DateTime<Utc>,
    #[sqlx(try_from = "OptionalTimestamp")]
    pub expires_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "OptionalTimestamp")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "OptionalTimestamp")]
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub last_used_agent: Option<String>,
    #[sqlx(try_from = "String")]
    pub access: TokenAccess,
    pub description: Option<String>,
    /// The value's last four characters (checksum characters); none on older tokens.
    pub hint: Option<String>,
    /// The token's own source; none: the owner's profile default applies.
    pub source_group_id: Option<GroupId>,
    /// Until when the value replaced by the last rotation keeps working (in the past once
    /// its grace period is over); none for a token never rotated.
    #[sqlx(try_from = "OptionalTimestamp")]
    pub previous_valid_until: Option<DateTime<Utc>>,
    /// When the current value was issued by a rotation; none: it is the original value.
    #[sqlx(try_from = "OptionalTimestamp")]
    pub rotated_at: Option<DateTime<Utc>>,
}

impl TokenRecord {
    /// When the current value was issued: at the last rotation, else at creation.
    pub fn issued_at(&self) -> DateTime<Utc> {
        self.rotated_at.unwrap_or(self.created_at)
    }

    /// Until when the replaced value still works, if it does at `now`.
    pub fn old_value_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.previous_valid_until.filter(|until| *until > now)
    }
}

/// A token found by a presented value, and whether that value is its current one (else it
/// is the value the last rotation replaced).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FoundToken {
    #[sqlx(flatten)]
    pub token: TokenRecord,
    /// 1 when the digest is the current value's, 0 when it is the replaced one's (an
    /// integer: both databases give one for this expression).
    #[sqlx(try_from = "i64")]
    pub current: Flag,
}

/// A stored yes-or-no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(value: i64) -> Self {
        Self(value != 0)
    }
}

/// A listed token with what it created.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenWithCounts {
    #[sqlx(flatten)]
    pub token: TokenRecord,
    #[sqlx(rename = "entity_count")]
    pub entities: i64,
    #[sqlx(rename = "observable_count")]
    pub observables: i64,
    /// The name of the token's own source, when it has one.
    pub source_name: Option<String>,
    /// Whether the owner is a member of the token's own source (1) or not (0).
    #[sqlx(rename = "source_member")]
    pub source_members: i64,
}

/// What creating a token needs.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    pub user_id: UserId,
    pub name: &'a TokenName,
    pub digest: &'a TokenDigest,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub access: TokenAccess,
    pub description: Option<&'a TokenDescription>,
    pub hint: &'a str,
    pub source: Option<GroupId>,
}

/// What rotating a token changes: its value (by digest and hint), its expiry, and until when
/// the value it replaces keeps working.
#[derive(Debug, Clone)]
pub struct TokenRotation<'a> {
    /// The value being replaced; the rotation happens only if it is still the current one.
    pub replaced: &'a TokenDigest,
    pub digest: &'a TokenDigest,
    pub hint: &'a str,
    pub rotated_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub old_value_until: DateTime<Utc>,
}

/// Why a token was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokedReason {
    /// Deleted by its owner (or revoking itself).
    Deleted,
    /// A value replaced by a rotation asked to rotate again.
    RotationReuse,
    /// Reported as leaked, by a secret scanner or a person.
    Exposed,
    /// Its owner was deactivated.
    Deactivated,
}

impl RevokedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deleted => "deleted",
            Self::RotationReuse => "rotation_reuse",
            Self::Exposed => "exposed",
            Self::Deactivated => "deactivated",
        }
    }
}

/// A token of a user revoked because it was found exposed, whose owner has not dismissed
/// the notice yet.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExposedToken {
    pub id: TokenId,
    pub name: String,
    #[sqlx(try_from = "Timestamp")]
    pub revoked_at: DateTime<Utc>,
}

/// What editing a token changes.
#[derive(Debug, Clone)]
pub struct TokenEdit<'a> {
    pub name: &'a TokenName,
    pub description: Option<&'a TokenDescription>,
    pub source: Option<GroupId>,
}

const TOKEN_COLUMNS: &str = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at, last_used_ip, last_used_agent, access, description, hint, source_group_id, previous_valid_until, rotated_at";

/// What a listed token adds to its columns: how many objects it created, and its own source's
/// name and whether its owner is still a member of it.
const LISTED_EXTRAS: &str = "\
    (SELECT COUNT(*) FROM entities e WHERE e.token_id = api_tokens.id) AS entity_count, \
    (SELECT COUNT(*) FROM observables o WHERE o.token_id = api_tokens.id) AS observable_count, \
    (SELECT g.name FROM groups g WHERE g.id = api_tokens.source_group_id) AS source_name, \
    (SELECT COUNT(*) FROM memberships m WHERE m.user_id = api_tokens.user_id \
       AND m.group_id = api_tokens.source_group_id) AS source_member";

impl Store {
    /// Inserts the token unless the user already has `limit` active (unrevoked, unexpired)
    /// tokens: `Ok(None)` then. `Duplicate` when the user has a listed token of that name.
    /// The count and the insert are one statement in one transaction; on PostgreSQL the
    /// transaction first locks the user's row, so concurrent creations for one user (which READ
    /// COMMITTED would let count the same rows) take turns and cannot overshoot. SQLite
    /// serialises writers by itself.
    #[tracing::instrument(skip_all)]
    pub async fn insert_token(&self, new: &NewToken<'_>, limit: i64) -> StoreResult<Option<TokenId>> {
        let mut tx = self.pool.begin().await?;
        dialect::lock_user(self.backend, &mut tx, new.user_id).await?;
        let id: Option<i64> = sqlx::query_scalar(
            r"INSERT INTO api_tokens (user_id, name, digest, created_at, expires_at, access, description, hint, source_group_id)
              SELECT $1, $2, $3, $4, $5, $7, $8, $9, $10
              WHERE (SELECT COUNT(*) FROM api_tokens
                     WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $4)) < $6
              RETURNING id",
        )
        .bind(new.user_id)
        .bind(new.name.as_str())
        .bind(&new.digest.0)
        .bind(Timestamp(new.created_at))
        .bind(new.expires_at.map(Timestamp))
        .bind(limit)
        .bind(new.access.as_str())
        .bind(new.description.map(TokenDescription::as_str))
        .bind(new.hint)
        .bind(new.source)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id.map(TokenId))
    }

    /// The user's listed (unrevoked) tokens, newest first, with how many objects each created.
    #[tracing::instrument(skip_all)]
    pub async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenWithCounts>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS}, {LISTED_EXTRAS} \
             FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC"
        ))
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a use of a token, unless a later use is already recorded (several instances
    /// may flush out of order).
    #[tracing::instrument(skip_all)]
    pub async fn record_token_use(
        &self,
        id: TokenId,
        at: DateTime<Utc>,
        ip: Option<&str>,
        agent: Option<&str>,
    ) -> StoreResult<()> {
        self.stats
            .last_used_writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1, last_used_ip = $2, last_used_agent = $3 \
             WHERE id = $4 AND (last_used_at IS NULL OR last_used_at < $1)",
        )
        .bind(Timestamp(at))
        .bind(ip)
        .bind(agent)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Adds requests made with tokens, each row `(token, day, requests, refused)` with `day`
    /// in days since 1970-01-01 (UTC) and no `(token, day)` twice: all rows or none, in one
    /// transaction.
    #[tracing::instrument(skip_all, fields(rows = rows.len()))]
    pub async fn add_token_usage(&self, rows: &[(TokenId, i64, i64, i64)]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for &(id, day, requests, refused) in rows {
            sqlx::query(
                "INSERT INTO token_usage (token_id, day, requests, refused) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (token_id, day) DO UPDATE SET requests = token_usage.requests + excluded.requests, \
                 refused = token_usage.refused + excluded.refused",
            )
            .bind(id)
            .bind(day)
            .bind(requests)
            .bind(refused)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes daily counts from before `day`.
    #[tracing::instrument(skip_all)]
    pub async fn delete_token_usage_before(&self, day: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM token_usage WHERE day < $1")
            .bind(day)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The daily counts of the user's tokens from `since_day` on.
    #[tracing::instrument(skip_all)]
    pub async fn token_usage_of(&self, user: UserId, since_day: i64) -> StoreResult<Vec<(TokenId, i64, i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT u.token_id, u.day, u.requests, u.refused FROM token_usage u \
             JOIN api_tokens t ON t.id = u.token_id WHERE t.user_id = $1 AND u.day >= $2 ORDER BY u.token_id, u.day",
        )
        .bind(user)
        .bind(since_day)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many tokens the user created after `since`, and the first of them.
    #[tracing::instrument(skip_all)]
    pub async fn tokens_created_since(
        &self,
        user: UserId,
        since: DateTime<Utc>,
    ) -> StoreResult<(i64, Option<DateTime<Utc>>)> {
        let (count, OptionalTimestamp(first)): (i64, OptionalTimestamp) =
            sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM api_tokens WHERE user_id = $1 AND created_at > $2")
                .bind(user)
                .bind(Timestamp(since))
                .fetch_one(&self.pool)
                .await?;
        Ok((count, first))
    }

    /// How many of the user's tokens work at `now`.
    #[tracing::instrument(skip_all)]
    pub async fn count_active_tokens(&self, user: UserId, now: DateTime<Utc>) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(user)
        .bind(Timestamp(now))
        .fetch_one(&self.pool)
        .await?)
    }

    /// Revokes one of the user's tokens; `false` when the user has no such listed token.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_token(
        &self,
        user: UserId,
        id: TokenId,
        now: DateTime<Utc>,
        reason: RevokedReason,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1, revoked_reason = $4 \
             WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(Timestamp(now))
        .bind(id)
        .bind(user)
        .bind(reason.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Revokes, as exposed, every working token one of `digests` opens (by its current
    /// value, or by the value its last rotation replaced while that still works). One
    /// transaction; answers the tokens revoked, with their owners.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_exposed(
        &self,
        digests: &[TokenDigest],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(TokenId, UserId)>> {
        let mut revoked = Vec::new();
        let mut tx = self.pool.begin().await?;
        for digest in digests {
            let row: Option<(TokenId, UserId)> = sqlx::query_as(
                "UPDATE api_tokens SET revoked_at = $1, revoked_reason = 'exposed' \
                 WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) \
                 AND (digest = $2 OR (previous_digest = $2 AND previous_valid_until > $1)) \
                 RETURNING id, user_id",
            )
            .bind(Timestamp(now))
            .bind(&digest.0)
            .fetch_optional(&mut *tx)
            .await?;
            revoked.extend(row);
        }
        tx.commit().await?;
        Ok(revoked)
    }

    /// The user's tokens revoked as exposed since `since` whose notice they have not
    /// dismissed, newest first.
    #[tracing::instrument(skip_all)]
    pub async fn exposed_tokens(&self, user: UserId, since: DateTime<Utc>) -> StoreResult<Vec<ExposedToken>> {
        Ok(sqlx::query_as(
            "SELECT id, name, revoked_at FROM api_tokens WHERE user_id = $1 AND revoked_reason = 'exposed' \
             AND exposure_seen_at IS NULL AND revoked_at > $2 ORDER BY revoked_at DESC, id DESC",
        )
        .bind(user)
        .bind(Timestamp(since))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records that the user dismissed the notice about their exposed token; `false` when
    /// there was no such notice.
    #[tracing::instrument(skip_all)]
    pub async fn dismiss_exposure(&self, user: UserId, id: TokenId, now: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET exposure_seen_at = $1 WHERE id = $2 AND user_id = $3 \
             AND revoked_reason = 'exposed' AND exposure_seen_at IS NULL",
        )
        .bind(Timestamp(now))
        .bind(id)
        .bind(user)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Renames one of the user's listed tokens and sets its description and source; `false`
    /// when the user has no such listed token, `Duplicate` when another of theirs has that
    /// name.
    #[tracing::instrument(skip_all)]
    pub async fn update_token(&self, user: UserId, id: TokenId, edit: &TokenEdit<'_>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET name = $1, description = $2, source_group_id = $5 \
             WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL",
        )
        .bind(edit.name.as_str())
        .bind(edit.description.map(TokenDescription::as_str))
        .bind(id)
        .bind(user)
        .bind(edit.source)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One of the user's listed tokens, with what it created.
    #[tracing::instrument(skip_all)]
    pub async fn listed_token(&self, user: UserId, id: TokenId) -> StoreResult<Option<TokenWithCounts>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS}, {LISTED_EXTRAS} \
             FROM api_tokens WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL"
        ))
        .bind(user)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The user's listed tokens that work at `now` and expire by `until`, soonest first.
    #[tracing::instrument(skip_all)]
    pub async fn tokens_expiring(
        &self,
        user: UserId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<TokenRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL \
             AND expires_at > $2 AND expires_at <= $3 ORDER BY expires_at, id"
        ))
        .bind(user)
        .bind(Timestamp(now))
        .bind(Timestamp(until))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revokes every token of a user (deactivation).
    #[tracing::instrument(skip_all)]
    pub async fn revoke_tokens_of(&self, user: UserId, now: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1, revoked_reason = 'deactivated' WHERE user_id = $2 AND revoked_at IS NULL",
        )
            .bind(Timestamp(now))
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The token whose current value or last replaced value has this digest, revoked or
    /// not.
    #[tracing::instrument(skip_all)]
    pub async fn token_by_digest(&self, digest: &TokenDigest) -> StoreResult<Option<FoundToken>> {
        self.stats
            .token_lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(sqlx::query_as(&format!(
            "SELECT {TOKEN_COLUMNS}, CAST(CASE WHEN digest = $1 THEN 1 ELSE 0 END AS BIGINT) AS current \
             FROM api_tokens \
             WHERE digest = $1 OR previous_digest = $1"
        ))
        .bind(&digest.0)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The digest of the current value of one of the user's listed tokens.
    #[tracing::instrument(skip_all)]
    pub async fn token_digest(&self, user: UserId, id: TokenId) -> StoreResult<Option<TokenDigest>> {
        Ok(
            sqlx::query_scalar("SELECT digest FROM api_tokens WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
                .bind(id)
                .bind(user)
                .fetch_optional(&self.pool)
                .await?
                .map(TokenDigest),
        )
    }

    /// Gives one of the user's working tokens a new value, if `rotation.replaced` is still
    /// its current value: one statement, so of two rotations of the same value exactly one
    /// happens. The replaced value becomes the previous one (ending the one before at once).
    /// `false` when nothing was rotated: the token is gone, revoked, expired, or already
    /// has another value.
    #[tracing::instrument(skip_all)]
    pub async fn rotate_token(
        &self,
        user: UserId,
        id: TokenId,
        rotation: &TokenRotation<'_>,
    ) -> StoreResult<Option<TokenWithCounts>> {
        // The token as rotated comes back from the update itself: a request revoking it a
        // moment later cannot make the rotation that happened look as if it had not.
        Ok(sqlx::query_as(&format!(
            "UPDATE api_tokens SET previous_digest = digest, previous_valid_until = $1, digest = $2, hint = $3, \
             expires_at = $4, rotated_at = $5 \
             WHERE id = $6 AND user_id = $7 AND digest = $8 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $5) \
             RETURNING {TOKEN_COLUMNS}, {LISTED_EXTRAS}"
        ))
        .bind(Timestamp(rotation.old_value_until))
        .bind(&rotation.digest.0)
        .bind(rotation.hint)
        .bind(rotation.expires_at.map(Timestamp))
        .bind(Timestamp(rotation.rotated_at))
        .bind(id)
        .bind(user)
        .bind(&rotation.replaced.0)
        .fetch_optional(&self.pool)
        .await?)
    }
}
