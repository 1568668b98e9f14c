//! All data access. Callers see domain types and `StoreError`, never SQL or SQLite: a
//! PostgreSQL implementation can slot in behind the same functions.

mod groups;
mod objects;
mod sessions;
mod tokens;
mod users;

use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use groups::Group;
pub use objects::{NewObject, ObjectKind, ObjectRecord};
pub use tokens::{NewToken, TokenId, TokenRecord, TokenWithCounts};
pub use users::{Credentials, NewUser, User, UserSummary};

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
}

/// The database behind Tessera.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    stats: Arc<StoreStats>,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL`: a write that returned success
    /// survives a crash of the process and a loss of power, so a revocation never comes back.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("`{url}` is not a SQLite database URL (expected sqlite://path/to/file.db)"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(parent) = options.get_filename().parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating the database folder {}", parent.display()))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("opening the database {url}"))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("applying database migrations")?;
        Ok(Self {
            pool,
            stats: Arc::default(),
        })
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

pub(crate) fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
