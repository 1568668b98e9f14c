//! Broadcasting changes that cached token verifications must notice: on PostgreSQL a
//! `NOTIFY` on [`CHANNEL`], on SQLite a row in the `changes` table that every server polls.

use std::str::FromStr as _;

use anyhow::Context as _;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

use super::{Backend, Store, StoreResult};

/// The PostgreSQL channel changes are announced on.
pub const CHANNEL: &str = "tessera_invalidate";
/// The `application_name` of the connection that listens on [`CHANNEL`].
pub const LISTENER_NAME: &str = "tessera-invalidation";

/// A change as the `changes` table holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    pub seq: i64,
    pub kind: String,
    pub subject_id: i64,
}

impl Store {
    /// Announces a change (`kind` 't' or 'u', `payload` its `kind:id` form) to every server.
    #[tracing::instrument(skip_all)]
    pub async fn announce_change(&self, kind: &str, subject_id: i64, payload: &str) -> StoreResult<()> {
        match self.backend {
            Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)::TEXT")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(&self.pool)
                    .await?;
            }
            Backend::Sqlite => {
                sqlx::query("INSERT INTO changes (kind, subject_id) VALUES ($1, $2)")
                    .bind(kind)
                    .bind(subject_id)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// The newest change's seq (0 when there is none).
    #[tracing::instrument(skip_all)]
    pub async fn latest_change(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The changes after `seq`, oldest first (a range scan of the primary key).
    #[tracing::instrument(skip_all)]
    pub async fn changes_after(&self, seq: i64) -> StoreResult<Vec<ChangeRow>> {
        Ok(
            sqlx::query_as("SELECT seq, kind, subject_id FROM changes WHERE seq > $1 ORDER BY seq")
                .bind(seq)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Deletes the changes up to and including `seq`.
    #[tracing::instrument(skip_all)]
    pub async fn prune_changes(&self, seq: i64) -> StoreResult<u64> {
        Ok(sqlx::query("DELETE FROM changes WHERE seq <= $1")
            .bind(seq)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// A new connection listening on [`CHANNEL`] (PostgreSQL only), named [`LISTENER_NAME`].
    pub async fn listen_for_changes(&self) -> anyhow::Result<PgListener> {
        let url = self
            .postgres_url
            .as_ref()
            .context("only PostgreSQL announces changes with NOTIFY")?;
        let options = PgConnectOptions::from_str(url.0.as_str())
            .context("reading the database URL")?
            .application_name(LISTENER_NAME);
        let pool = PgPoolOptions::new().max_connections(1).connect_lazy_with(options);
        let mut listener = PgListener::connect_with(&pool)
            .await
            .context("connecting the change listener")?;
        listener.listen(CHANNEL).await.context("listening for changes")?;
        Ok(listener)
    }
}

/// A PostgreSQL URL, kept to open the change listener; never printed.
#[derive(Clone)]
pub(super) struct PostgresUrl(pub(super) String);

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::redact(&self.0))
    }
}
