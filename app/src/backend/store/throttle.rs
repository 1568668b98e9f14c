//! The `sign_in_failures` table: sign-in throttling shared by every instance.

use chrono::{DateTime, Duration, Utc};

use super::{OptionalTimestamp, Store, StoreResult, Timestamp, dialect};

impl Store {
    /// Counts a sign-in attempt against each `(bucket, limit)` within `window` before `now`:
    /// `Ok(Err(seconds))` when a bucket is full (nothing is recorded then), else the attempt is
    /// recorded in every bucket. Concurrent attempts take turns (an advisory lock per bucket on
    /// PostgreSQL, SQLite's single writer otherwise), so none slips past the limit.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_attempt(
        &self,
        buckets: &[(&str, i64)],
        attempt: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> StoreResult<Result<(), u64>> {
        let mut tx = self.pool.begin().await?;
        let names: Vec<&str> = buckets.iter().map(|(bucket, _)| *bucket).collect();
        dialect::lock_buckets(self.backend, &mut tx, &names).await?;
        // A write first: on SQLite it takes the write lock before anything is counted.
        let cutoff = now - window;
        sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
            .bind(Timestamp(cutoff))
            .execute(&mut *tx)
            .await?;
        let mut wait = Duration::zero();
        for (bucket, limit) in buckets {
            let (count, OptionalTimestamp(oldest)): (i64, OptionalTimestamp) =
                sqlx::query_as("SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE bucket = $1 AND at > $2")
                    .bind(*bucket)
                    .bind(Timestamp(cutoff))
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= *limit
                && let Some(oldest) = oldest
            {
                wait = wait.max(oldest - cutoff);
            }
        }
        if wait > Duration::zero() {
            tx.commit().await?;
            return Ok(Err(u64::try_from(wait.num_seconds() + 1).unwrap_or(1)));
        }
        for (bucket, _) in buckets {
            sqlx::query("INSERT INTO sign_in_failures (bucket, at, attempt) VALUES ($1, $2, $3)")
                .bind(*bucket)
                .bind(Timestamp(now))
                .bind(attempt)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// A successful sign-in: forgets the account's failures, and takes back this attempt's
    /// reservation in the address bucket (and no other attempt's).
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_succeeded(&self, account: &str, address: &str, attempt: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE bucket = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE bucket = $1 AND attempt = $2")
            .bind(address)
            .bind(attempt)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
