//! The `settings` table: named facts every instance must agree on.

use super::{Store, StoreResult};

const PEPPER_FINGERPRINT: &str = "pepper_fingerprint";

impl Store {
    /// The recorded pepper fingerprint, if any.
    #[tracing::instrument(skip_all)]
    pub async fn pepper_fingerprint(&self) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(PEPPER_FINGERPRINT)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Records `fingerprint` unless one is recorded already; answers the one that stands
    /// (two instances starting at once agree on whichever came first).
    #[tracing::instrument(skip_all)]
    pub async fn record_pepper_fingerprint(&self, fingerprint: &str) -> StoreResult<String> {
        sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(PEPPER_FINGERPRINT)
            .bind(fingerprint)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(PEPPER_FINGERPRINT)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Replaces the recorded fingerprint (only while no token exists).
    #[tracing::instrument(skip_all)]
    pub async fn replace_pepper_fingerprint(&self, fingerprint: &str) -> StoreResult<()> {
        sqlx::query("UPDATE settings SET value = $2 WHERE name = $1")
            .bind(PEPPER_FINGERPRINT)
            .bind(fingerprint)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many tokens were ever created, revoked or not.
    #[tracing::instrument(skip_all)]
    pub async fn count_all_tokens(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens")
            .fetch_one(&self.pool)
            .await?)
    }
}
