//! All data access. Callers see domain types and `StoreError`, never SQL or SQLite: a
//! PostgreSQL implementation can slot in behind the same functions.

mod groups;
mod objects;
mod schema;
mod sessions;
mod throttle;
mod tokens;
mod users;

use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor as _};

pub use groups::Group;
pub use objects::{NewObject, ObjectKind, ObjectRecord};
pub use schema::{Column, Index, Schema};
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
    pool: AnyPool,
    backend: Backend,
    stats: Arc<StoreStats>,
}

/// Which database a store talks to. Only the store knows; its callers never ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file: the embedded default, for one server.
    Sqlite,
    /// A PostgreSQL server: for several server instances on one database.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            bail!(
                "`{url}` is not a database URL Tessera knows: use sqlite://path/to/file.db or postgres://user@host/database"
            )
        }
    }
}

/// Settings every SQLite connection gets: WAL with `synchronous=FULL`, so a write that
/// returned success survives a crash of the process or a loss of power (a revocation never
/// comes back), foreign keys enforced, and waiting for a busy database instead of failing.
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

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
            Backend::Sqlite => prepare_sqlite(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
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

pub(crate) fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Checks an SQLite URL, creates the file's folder, and asks for the file to be created.
fn prepare_sqlite(url: &str) -> anyhow::Result<String> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("`{url}` is not an SQLite database URL (expected sqlite://path/to/file.db)"))?;
    if let Some(parent) = options.get_filename().parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the database folder {}", parent.display()))?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend_or_say_what_is_expected() {
        assert_eq!(Backend::of_url("sqlite://data/tessera.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://u@h/db").ok(), Some(Backend::Postgres));
        let error = Backend::of_url("mysql://u@h/db").unwrap_err().to_string();
        assert!(error.contains("sqlite://") && error.contains("postgres://"), "{error}");
    }

    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/tessera"),
            "postgres://app:***@db:5432/tessera"
        );
        assert_eq!(redact("postgres://app@db/tessera"), "postgres://app@db/tessera");
        assert_eq!(redact("sqlite://data/tessera.db"), "sqlite://data/tessera.db");
    }
}
