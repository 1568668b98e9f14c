//! The `sessions` table, keyed by the SHA-256 of the session id.

use chrono::{DateTime, Utc};

use super::{Store, StoreResult, Timestamp, UserId};

/// A stored session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub data: String,
    #[sqlx(try_from = "Timestamp")]
    pub expires_at: DateTime<Utc>,
}

/// A session as written: keyed by the digest of its id.
#[derive(Debug, Clone, Copy)]
pub struct SessionWrite<'a> {
    pub id_hash: &'a str,
    pub user: Option<UserId>,
    /// The session's data, as JSON.
    pub data: &'a str,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Saves an existing session; never re-creates one that was deleted meanwhile (signed out,
    /// cycled at sign-in, or ended by a deactivation), so a request that loaded the session
    /// before it ended cannot bring it back by saving afterwards. `false` when it was gone.
    #[tracing::instrument(skip_all)]
    pub async fn save_session(&self, session: &SessionWrite<'_>) -> StoreResult<bool> {
        self.write_session(
            "UPDATE sessions SET user_id = $2, data = $3, expires_at = $4 WHERE id_hash = $1",
            session,
        )
        .await
    }

    /// Inserts a session only if the id is free; `false` when it was taken.
    #[tracing::instrument(skip_all)]
    pub async fn create_session(&self, session: &SessionWrite<'_>) -> StoreResult<bool> {
        self.write_session(
            "INSERT INTO sessions (id_hash, user_id, data, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id_hash) DO NOTHING",
            session,
        )
        .await
    }

    /// Runs `sql` with the session's values as `$1`–`$4`; whether it touched a row.
    async fn write_session(&self, sql: &str, session: &SessionWrite<'_>) -> StoreResult<bool> {
        let done = sqlx::query(sql)
            .bind(session.id_hash)
            .bind(session.user)
            .bind(session.data)
            .bind(Timestamp(session.expires_at))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The session, unless it is missing or expired at `now`.
    #[tracing::instrument(skip_all)]
    pub async fn load_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRow>> {
        Ok(
            sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(id_hash)
                .bind(Timestamp(now))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    #[tracing::instrument(skip_all)]
    pub async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of one user (deactivation).
    #[tracing::instrument(skip_all)]
    pub async fn delete_sessions_of(&self, user: UserId) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    #[tracing::instrument(skip_all)]
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(Timestamp(now))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    #[tracing::instrument(skip_all)]
    pub async fn count_sessions_of(&self, user: UserId) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(user)
            .fetch_one(&self.pool)
            .await?)
    }
}
