//! All data access, one module per table, one statement per function, returning records that
//! derive `FromRow`. Callers see records and `StoreError`, never SQL. The SQL is portable
//! between SQLite and PostgreSQL except what `dialect` holds; `timestamp` stores instants the
//! same way on both.

mod changes;
pub mod dialect;
mod groups;
mod objects;
mod security_events;
mod sessions;
mod settings;
mod throttle;
mod timestamp;
mod tokens;
mod url;
mod users;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

pub use changes::{CHANNEL, ChangeRow, LISTENER_NAME};
pub use dialect::Backend;
pub use dialect::catalogue::{Column, Index, Schema};
pub use groups::{Group, GroupWithMembers};
pub use objects::{NewObject, ObjectFilter, ObjectKind, ObjectRecord};
pub use security_events::{LoggedToken, NewSecurityEvent, SecurityEventRecord};
pub use sessions::{SessionDetails, SessionWrite};
pub use timestamp::{OptionalTimestamp, Timestamp};
pub use tokens::{
    ExposedToken, FoundToken, NewToken, RevokedReason, TokenEdit, TokenId, TokenRecord, TokenRotation, TokenWithCounts,
};
pub use url::{DatabaseUrl, redact};
pub use users::{AdminChange, Credentials, NewUser, User, UserSummary};

/// A user's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct UserId(pub i64);

/// A group's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct GroupId(pub i64);

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (username, group name, membership) is already taken.
    #[error("already exists")]
    Duplicate,
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Duplicate,
            _ => Self::Database(error),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Counters of selected store calls, for tests and benchmarks that prove a path does (or
/// does not) touch the database.
#[derive(Debug, Default)]
pub struct StoreStats {
    /// Token lookups by digest.
    pub token_lookups: AtomicU64,
    /// Last-used writes.
    pub last_used_writes: AtomicU64,
    /// Session rows written (created or saved).
    pub session_writes: AtomicU64,
}

/// The database behind Tessera.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    stats: Arc<StoreStats>,
    /// Where the change listener connects (PostgreSQL only).
    postgres_url: Option<changes::PostgresUrl>,
}

impl Store {
    /// Opens the database at `url` (an SQLite file is created with its folder when missing)
    /// and applies pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        Self::connect_with(url, 8).await
    }

    /// Like `connect`, with at most `max_connections` connections.
    pub async fn connect_with(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite => dialect::prepare_sqlite(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let postgres_url = (backend == Backend::Postgres).then(|| changes::PostgresUrl(url.clone()));
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| Box::pin(async move { dialect::on_connect(backend, conn).await }))
            .connect(&url)
            .await
            .with_context(|| format!("opening the database {}", redact(&url)))?;
        let migrations = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrations.run(&pool).await.context("applying database migrations")?;
        Ok(Self {
            pool,
            backend,
            stats: Arc::default(),
            postgres_url,
        })
    }

    /// Which database this is (for diagnostics and the schema comparison).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Counters of selected calls made through this store.
    pub fn stats(&self) -> &StoreStats {
        &self.stats
    }

    /// Closes every connection, flushing the write-ahead log.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
