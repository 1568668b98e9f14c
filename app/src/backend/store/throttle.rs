//! The `sign_in_failures` table: sign-in throttling shared by every instance.

use chrono::{DateTime, Duration, Utc};

use super::{Backend, Store, StoreResult, to_millis};

impl Store {
    /// Counts a sign-in attempt against each `(bucket, limit)` within `window` before `now`:
    /// `Ok(Err(seconds))` when a bucket is full (nothing is recorded then), else the attempt is
    /// recorded in every bucket. Concurrent attempts take turns (an advisory lock per bucket on
    /// PostgreSQL, SQLite's single writer otherwise), so none slips past the limit.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_attempt(
        &self,
        buckets: &[(&str, i64)],
        now: DateTime<Utc>,
        window: Duration,
    ) -> StoreResult<Result<(), u64>> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            for (bucket, _) in buckets {
                sqlx::query("SELECT CAST(pg_advisory_xact_lock(hashtext($1)) AS TEXT)")
                    .bind(*bucket)
                    .fetch_one(&mut *tx)
                    .await?;
            }
        }
        // A write first: on SQLite it takes the write lock before anything is counted.
        let cutoff = to_millis(now - window);
        sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
        let mut wait_ms = 0_i64;
        for (bucket, limit) in buckets {
            let (count, oldest): (i64, Option<i64>) =
                sqlx::query_as("SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE bucket = $1 AND at > $2")
                    .bind(*bucket)
                    .bind(cutoff)
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= *limit
                && let Some(oldest) = oldest
            {
                wait_ms = wait_ms.max(oldest - cutoff);
            }
        }
        if wait_ms > 0 {
            tx.commit().await?;
            return Ok(Err(u64::try_from(wait_ms / 1000 + 1).unwrap_or(1)));
        }
        for (bucket, _) in buckets {
            sqlx::query("INSERT INTO sign_in_failures (bucket, at) VALUES ($1, $2)")
                .bind(*bucket)
                .bind(to_millis(now))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// A successful sign-in: forgets the account's failures, and takes back the attempt that
    /// was recorded for the address at `at`.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_succeeded(&self, account: &str, address: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE bucket = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE bucket = $1 AND at = $2")
            .bind(address)
            .bind(to_millis(at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
