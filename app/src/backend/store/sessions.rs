//! The `sessions` table, keyed by the SHA-256 of the session id.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};

use super::{OptionalTimestamp, Store, StoreResult, Timestamp, UserId};

/// A stored session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub data: String,
    #[sqlx(try_from = "Timestamp")]
    pub expires_at: DateTime<Utc>,
}

/// A session as written: keyed by the digest of its id. The details after `expires_at` are
/// copied out of `data` for the Sessions list; `None` is stored as NULL ("unknown").
#[derive(Debug, Clone, Copy)]
pub struct SessionWrite<'a> {
    pub id_hash: &'a str,
    pub user: Option<UserId>,
    /// The session's data, as JSON.
    pub data: &'a str,
    pub expires_at: DateTime<Utc>,
    /// When the user signed in.
    pub started_at: Option<DateTime<Utc>>,
    /// The latest request recorded.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// The address of that request, as text.
    pub client_addr: Option<&'a str>,
    /// Its user agent, already cleaned and bounded.
    pub user_agent: Option<&'a str>,
}

/// One of a user's sessions as the Sessions list reads it. `id_hash` never leaves the
/// backend.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionDetails {
    pub id_hash: String,
    #[sqlx(try_from = "OptionalTimestamp")]
    pub started_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "OptionalTimestamp")]
    pub last_seen_at: Option<DateTime<Utc>>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

impl Store {
    /// Saves an existing session; never re-creates one that was deleted meanwhile (signed out,
    /// cycled at sign-in, or ended by a deactivation), so a request that loaded the session
    /// before it ended cannot bring it back by saving afterwards. `false` when it was gone.
    #[tracing::instrument(skip_all)]
    pub async fn save_session(&self, session: &SessionWrite<'_>) -> StoreResult<bool> {
        self.write_session(
            "UPDATE sessions SET user_id = $2, data = $3, expires_at = $4, started_at = $5, last_seen_at = $6, \
             client_addr = $7, user_agent = $8 WHERE id_hash = $1",
            session,
        )
        .await
    }

    /// Inserts a session only if the id is free; `false` when it was taken.
    #[tracing::instrument(skip_all)]
    pub async fn create_session(&self, session: &SessionWrite<'_>) -> StoreResult<bool> {
        self.write_session(
            "INSERT INTO sessions (id_hash, user_id, data, expires_at, started_at, last_seen_at, client_addr, \
             user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id_hash) DO NOTHING",
            session,
        )
        .await
    }

    /// Runs `sql` with the session's values as `$1`–`$8`; whether it touched a row.
    async fn write_session(&self, sql: &str, session: &SessionWrite<'_>) -> StoreResult<bool> {
        self.stats.session_writes.fetch_add(1, Ordering::Relaxed);
        let done = sqlx::query(sql)
            .bind(session.id_hash)
            .bind(session.user)
            .bind(session.data)
            .bind(Timestamp(session.expires_at))
            .bind(session.started_at.map(Timestamp))
            .bind(session.last_seen_at.map(Timestamp))
            .bind(session.client_addr)
            .bind(session.user_agent)
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

    /// The user's sessions that have not expired at `now`, latest activity first (a session
    /// never seen counts from its sign-in).
    #[tracing::instrument(skip_all)]
    pub async fn sessions_of(&self, user: UserId, now: DateTime<Utc>) -> StoreResult<Vec<SessionDetails>> {
        Ok(sqlx::query_as(
            "SELECT id_hash, started_at, last_seen_at, client_addr, user_agent FROM sessions \
             WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY COALESCE(last_seen_at, started_at, 0) DESC, COALESCE(started_at, 0) DESC, id_hash",
        )
        .bind(user)
        .bind(Timestamp(now))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends one session of `user`; `false` when the user has no such session.
    #[tracing::instrument(skip_all)]
    pub async fn delete_session_of(&self, user: UserId, id_hash: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash = $2")
            .bind(user)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends every session of `user` but the one under `keep`; answers how many ended.
    #[tracing::instrument(skip_all)]
    pub async fn delete_other_sessions_of(&self, user: UserId, keep: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user)
            .bind(keep)
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
