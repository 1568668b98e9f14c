//! Where tests reach past HTTP into the backend: setting up users, reading what the store
//! keeps, and doing what another instance or an admin would. Test files call these instead of
//! the store, so a change to the backend's signatures (or its record types, which may move)
//! is adapted here once. Answers plain values: ids as `i64`, records as [`StoredToken`].

use std::sync::atomic::Ordering;

use app::backend::store::{NewToken, User};
use app::backend::tokens::TokenDigest;
use app::domain::{GroupName, TokenName, Username};
use chrono::{DateTime, Utc};
use server::admin;

use crate::{PASSWORD, TestApp};

pub use app::backend::sessions::activity::{MAX_AGENT, SEEN_INTERVAL};
pub use app::backend::sessions::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT};
pub use app::backend::store::Schema;
pub use app::backend::tokens::last_used::WRITE_INTERVAL;
pub use app::backend::tokens::verify::REVALIDATE_AFTER;
pub use app::backend::tokens::{MAX_ACTIVE_TOKENS, Pepper, PlainToken};

/// A token as the store keeps it: never its plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// The id lists and `me` show.
    pub id: i64,
    /// Whose token it is.
    pub user_id: i64,
    /// The trimmed name.
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// `None`: never expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// Set when deleted or when its owner was deactivated; the row stays for audit.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether the secret is the token's current value (else the one its last rotation
    /// replaced).
    pub current: bool,
    /// Until when the value the last rotation replaced works.
    pub previous_valid_until: Option<DateTime<Utc>>,
}

impl TestApp {
    /// Creates a user with [`PASSWORD`] and the display name "`username` display" in the
    /// given groups (created when missing). A fixture: unlike `tessera user create`, it
    /// leaves no "account created" event in the security log, so tests of the log see only
    /// what they do.
    pub async fn create_user(&self, username: &str, groups: &[&str]) {
        let mut sink = Vec::new();
        for group in groups {
            let _ = admin::create_group(&self.state, group, &mut sink).await;
        }
        let request = app::backend::accounts::NewAccount {
            username: username.into(),
            display_name: Some(format!("{username} display")),
            email: None,
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            password: Some(PASSWORD.into()),
        };
        app::backend::accounts::create(&self.state, request)
            .await
            .expect("create user");
    }

    /// Creates an administrator, like `create_user` (`tessera user create --admin`).
    pub async fn create_admin(&self, username: &str, groups: &[&str]) {
        self.create_user(username, groups).await;
        admin::grant_admin(&self.state, username, &mut Vec::new())
            .await
            .expect("grant admin");
    }

    /// Deactivates `username`, as the admin command does.
    pub async fn deactivate(&self, username: &str) {
        admin::deactivate(&self.state, username, &mut Vec::new())
            .await
            .expect("deactivate");
    }

    /// Adds `username` to the existing `group`, as the admin command does.
    pub async fn add_to_group(&self, username: &str, group: &str) {
        admin::add_to_group(&self.state, username, group, &mut Vec::new())
            .await
            .expect("join the group");
    }

    /// Takes `username` out of `group`, as the admin command does.
    pub async fn remove_from_group(&self, username: &str, group: &str) {
        admin::remove_from_group(&self.state, username, group, &mut Vec::new())
            .await
            .expect("leave the group");
    }

    async fn user(&self, username: &str) -> User {
        let name = Username::parse(username).expect("a username");
        self.state
            .store
            .user_by_username(&name)
            .await
            .expect("store")
            .unwrap_or_else(|| panic!("no user {username:?}"))
    }

    /// The id of user `username`.
    pub async fn user_id(&self, username: &str) -> i64 {
        self.user(username).await.id.0
    }

    /// The id of group `name`, whoever is in it.
    pub async fn group_id(&self, name: &str) -> i64 {
        let name = GroupName::parse(name).expect("a group name");
        let group = self.state.store.group_by_name(&name).await.expect("store");
        group.expect("the group").id.0
    }

    /// How many sessions of `username` the store holds.
    pub async fn sessions_of(&self, username: &str) -> i64 {
        let user = self.user(username).await;
        self.state.store.count_sessions_of(user.id).await.expect("count")
    }

    /// How many active tokens of `username` the store counts now.
    pub async fn active_tokens_in_store(&self, username: &str) -> i64 {
        let user = self.user(username).await;
        let count = self.state.store.count_active_tokens(user.id, self.clock.now()).await;
        count.expect("count")
    }

    /// How many tokens the store would list for `username`.
    pub async fn listed_tokens_in_store(&self, username: &str) -> usize {
        let user = self.user(username).await;
        self.state.store.tokens_of(user.id).await.expect("list").len()
    }

    /// Writes `count` never-expiring tokens for `username` straight into the store, each
    /// under the active-token limit, as fast as the database allows. They are dated two
    /// minutes back, so the per-minute creation limit leaves room for new ones.
    pub async fn insert_tokens_in_store(&self, username: &str, count: i64) {
        let user = self.user(username).await;
        for i in 0..count {
            let name = TokenName::parse(&format!("bulk {i}")).expect("name");
            let plain = PlainToken::generate();
            let digest = self.state.pepper.digest(&plain);
            let new = NewToken {
                user_id: user.id,
                name: &name,
                digest: &digest,
                created_at: self.clock.now() - chrono::Duration::minutes(2),
                expires_at: None,
                access: app::domain::TokenAccess::ReadWrite,
                description: None,
                hint: plain.hint(),
                source: None,
            };
            let inserted = self.state.store.insert_token(&new, MAX_ACTIVE_TOKENS).await;
            inserted.expect("store").expect("under the limit");
        }
    }

    /// The hex digest the store keys token `secret` on, under this server's pepper.
    pub fn digest(&self, secret: &str) -> String {
        self.digest_under(&self.state.pepper, secret).0
    }

    fn digest_under(&self, pepper: &Pepper, secret: &str) -> TokenDigest {
        pepper.digest(&PlainToken::parse(secret).expect("a well-formed token"))
    }

    /// The stored token `secret` stands for, looked up by its digest under this server's pepper.
    pub async fn stored_token(&self, secret: &str) -> Option<StoredToken> {
        self.stored_token_under(&self.state.pepper, secret).await
    }

    /// The stored token `secret` stands for, looked up by its digest under `pepper`.
    pub async fn stored_token_under(&self, pepper: &Pepper, secret: &str) -> Option<StoredToken> {
        let digest = self.digest_under(pepper, secret);
        let found = self.state.store.token_by_digest(&digest).await.expect("store")?;
        let record = found.token;
        Some(StoredToken {
            current: found.current.0,
            previous_valid_until: record.previous_valid_until,
            id: record.id.0,
            user_id: record.user_id.0,
            name: record.name,
            created_at: record.created_at,
            expires_at: record.expires_at,
            revoked_at: record.revoked_at,
        })
    }

    /// Revokes a token of `username` in the store, as another instance would: this
    /// instance's verification cache does not hear of it. Answers whether it was revoked.
    pub async fn revoke_in_store(&self, username: &str, token_id: i64) -> bool {
        use app::backend::store::{RevokedReason, TokenId};
        let user = self.user(username).await;
        let revoked =
            self.state
                .store
                .revoke_token(user.id, TokenId(token_id), self.clock.now(), RevokedReason::Deleted);
        revoked.await.expect("store")
    }

    /// Sets `username`'s default source to group `group` in the store, whether or not they
    /// are in it (as if they had chosen it and left it since).
    pub async fn set_default_source_in_store(&self, username: &str, group: &str) {
        use app::backend::store::GroupId;
        let (user, group) = (self.user(username).await, self.group_id(group).await);
        let set = self.state.store.set_default_source(user.id, Some(GroupId(group)));
        set.await.expect("store");
    }

    /// How many days of token usage the store keeps for `username`'s tokens.
    pub async fn stored_usage_days(&self, username: &str) -> usize {
        let user = self.user(username).await;
        let rows = self.state.store.token_usage_of(user.id, i64::MIN).await;
        rows.expect("store").len()
    }

    /// How many times the store has looked a token up by its digest.
    pub fn token_lookups(&self) -> u64 {
        self.state.store.stats().token_lookups.load(Ordering::Relaxed)
    }

    /// How many last-used writes the store has made.
    pub fn last_used_writes(&self) -> u64 {
        self.state.store.stats().last_used_writes.load(Ordering::Relaxed)
    }

    /// How many times the store has written a session row (created or saved it).
    pub fn session_writes(&self) -> u64 {
        self.state.store.stats().session_writes.load(Ordering::Relaxed)
    }

    /// Writes the token uses that are due now (by this app's clock); answers how many.
    pub async fn flush_last_used_due(&self) -> usize {
        let flushed = self.state.last_used.flush_due(&self.state.store, self.clock.now());
        flushed.await.expect("flush")
    }

    /// Writes every pending token use, due or not (as at shutdown); answers how many.
    pub async fn flush_last_used(&self) -> usize {
        let flushed = self.state.last_used.flush_all(&self.state.store, self.clock.now());
        flushed.await.expect("flush")
    }

    /// This app's schema, read from its database's catalogue.
    pub async fn schema(&self) -> Schema {
        self.state.store.schema().await.expect("schema")
    }

    /// Everything the database holds, as bytes to search: the SQLite file and its write-ahead
    /// log (the store is closed first), or every row of every PostgreSQL table as text.
    pub async fn database_bytes(&self) -> Vec<u8> {
        if let Some(path) = self.sqlite_file() {
            self.state.store.close().await;
            let mut bytes = std::fs::read(path).expect("the database file");
            bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
            return bytes;
        }
        use sqlx::Connection as _;
        let mut conn = sqlx::AnyConnection::connect(&self.database_url())
            .await
            .expect("connect");
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_all(&mut conn)
        .await
        .expect("tables");
        let mut bytes = Vec::new();
        for table in tables {
            let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT CAST(t AS TEXT) FROM {table} t"))
                .fetch_all(&mut conn)
                .await
                .expect("rows");
            for row in rows {
                bytes.extend(row.into_bytes());
                bytes.push(b'\n');
            }
        }
        bytes
    }
}

/// The schema of a fresh SQLite database with every migration applied.
pub async fn fresh_sqlite_schema() -> Schema {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("schema.db").display());
    let store = app::backend::Store::connect(&url).await.expect("sqlite");
    store.schema().await.expect("sqlite schema")
}

/// A database as an older Tessera left it: only the migrations before `version` applied, on
/// SQLite, or on PostgreSQL when `TESSERA_TEST_BACKEND` is `postgres`. Removed when dropped.
pub struct OlderDatabase {
    url: String,
    _dir: tempfile::TempDir,
    _postgres: Option<tessera_test_db::TestDatabase>,
}

impl OlderDatabase {
    /// A fresh database with the migrations numbered below `version` applied.
    pub async fn before(version: i64) -> Self {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, postgres, folder) = if std::env::var(crate::BACKEND_ENV).as_deref() == Ok("postgres") {
            let server = tessera_test_db::server().expect("TEST_DATABASE_URL for PostgreSQL");
            let db = tessera_test_db::TestDatabase::create(&server).await;
            (db.url().to_owned(), Some(db), "postgres")
        } else {
            let url = format!("sqlite://{}", dir.path().join("old.db").display());
            (url, None, "sqlite")
        };
        // The migrations of this checkout (tests run in `tests/`), those below `version` only.
        let all = std::env::current_dir()
            .expect("cwd")
            .join("../app/migrations")
            .join(folder);
        let older = dir.path().join("migrations");
        std::fs::create_dir_all(&older).expect("migrations folder");
        for entry in std::fs::read_dir(&all).expect("migrations") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            let number: i64 = name.split('_').next().and_then(|n| n.parse().ok()).unwrap_or(i64::MAX);
            if number < version {
                std::fs::copy(&path, older.join(&name)).expect("copy a migration");
            }
        }
        let database = Self {
            url,
            _dir: dir,
            _postgres: postgres,
        };
        let pool = database.pool().await;
        let migrator = sqlx::migrate::Migrator::new(older.as_path())
            .await
            .expect("older migrations");
        migrator.run(&pool).await.expect("apply the older migrations");
        pool.close().await;
        database
    }

    /// The database's URL, for `Store::connect` (which applies the remaining migrations).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A connection pool for raw SQL on it.
    pub async fn pool(&self) -> sqlx::AnyPool {
        let url = if self.url.starts_with("sqlite:") {
            format!("{}?mode=rwc", self.url)
        } else {
            self.url.clone()
        };
        sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("connect to the older database")
    }
}
