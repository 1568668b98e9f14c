//! Everything that differs between SQLite and PostgreSQL, in one place: which database a URL
//! names, how a connection is set up, the locks that make concurrent writers take turns, and
//! (in `catalogue`) how each describes its schema. The rest of the store is portable SQL.

pub mod catalogue;

use std::str::FromStr as _;

use anyhow::{Context as _, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, Executor as _};

use super::UserId;
use crate::backend::files;

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
                "`{}` is not a database URL Tessera knows: use sqlite://path/to/file.db or postgres://user@host/database",
                super::redact(url)
            )
        }
    }
}

/// Settings every SQLite connection gets: WAL with `synchronous=FULL`, so a write that
/// returned success survives a crash of the process or a loss of power (a revocation never
/// comes back), foreign keys enforced, and waiting for a busy database instead of failing.
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// Sets up a new connection (SQLite's pragmas; PostgreSQL needs nothing).
pub async fn on_connect(backend: Backend, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if backend == Backend::Sqlite {
        conn.execute(SQLITE_PRAGMAS).await?;
    }
    Ok(())
}

/// Makes writers for one user take turns until the transaction ends: PostgreSQL locks the
/// user's row (READ COMMITTED would otherwise let concurrent transactions count the same
/// rows); SQLite serialises writers by itself.
pub async fn lock_user(backend: Backend, tx: &mut AnyConnection, user: UserId) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Makes transactions touching the same named buckets take turns until they end: an advisory
/// lock per bucket on PostgreSQL; on SQLite the transaction's first write does it.
pub async fn lock_buckets(backend: Backend, tx: &mut AnyConnection, buckets: &[&str]) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        for bucket in buckets {
            sqlx::query("SELECT CAST(pg_advisory_xact_lock(hashtext($1)) AS TEXT)")
                .bind(*bucket)
                .fetch_one(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// Checks an SQLite URL, creates the file's folder (0700) and the file (0600) when missing,
/// and warns when an existing file is open to other users.
pub fn prepare_sqlite(url: &str) -> anyhow::Result<String> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("`{url}` is not an SQLite database URL (expected sqlite://path/to/file.db)"))?;
    let file = options.get_filename();
    let in_memory = file.as_os_str() == ":memory:" || url.contains("mode=memory");
    if !in_memory {
        if let Some(parent) = file.parent()
            && !parent.as_os_str().is_empty()
        {
            files::create_private_dir(parent)?;
        }
        // Created here so it is private from the start; SQLite gives its -wal and -shm files
        // the database file's mode.
        if !files::create_private_file(file)? && files::open_to_others(file) {
            tracing::warn!(
                file = %file.display(),
                "the database file is readable by other users; it holds password hashes and token digests: run chmod 600 on it and its -wal and -shm files"
            );
        }
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend_or_say_what_is_expected() {
        assert_eq!(Backend::of_url("sqlite://data/tessera.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://u@h/db").ok(), Some(Backend::Postgres));
        let mistyped = Backend::of_url("postgress://app:s3cret@db/tessera")
            .unwrap_err()
            .to_string();
        assert!(
            mistyped.contains("app:***@db") && !mistyped.contains("s3cret"),
            "{mistyped}"
        );
        let error = Backend::of_url("mysql://u@h/db").unwrap_err().to_string();
        assert!(error.contains("sqlite://") && error.contains("postgres://"), "{error}");
    }
}
