//! How long verifying a bearer token takes: from the in-memory cache, from the database
//! (SQLite, on a temporary file), and for a token whose checksum is wrong (no database); and
//! whether a lookup slows down as the table grows, with 1,000 and 1,000,000 tokens stored, on
//! SQLite and (with `BENCH_POSTGRES_URL=postgres://user@host/any`) on a fresh PostgreSQL
//! database.
//!
//! Run with `cargo bench -p app --features ssr --bench verify`.

use app::backend::store::{NewToken, NewUser};
use app::backend::tokens::verify::TokenVerifier;
use app::backend::tokens::{Pepper, PlainToken};
use app::backend::{AppState, Clock, Store};
use app::domain::{DisplayName, TokenName, Username};
use criterion::{Criterion, criterion_group, criterion_main};

fn setup(runtime: &tokio::runtime::Runtime) -> (AppState, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let (state, token) = setup_on(runtime, &url);
    (state, token, dir)
}

/// A store at `url` with one user and one token; answers the state and the token.
fn setup_on(runtime: &tokio::runtime::Runtime, url: &str) -> (AppState, String) {
    runtime.block_on(async {
        let store = Store::connect(url).await.expect("store");
        let clock = Clock::manual(chrono::Utc::now());
        let state = AppState::new(store, clock.clone(), Pepper::generate());
        let user = NewUser {
            username: Username::parse("bench").expect("name"),
            display_name: DisplayName::parse("Bench").expect("name"),
            email: None,
            password_hash: "x".into(),
            created_at: clock.now(),
        };
        let user_id = state.store.insert_user(&user).await.expect("user");
        let token = PlainToken::generate();
        let name = TokenName::parse("bench").expect("name");
        let digest = state.pepper.digest(&token);
        let new = NewToken {
            user_id,
            name: &name,
            digest: &digest,
            created_at: clock.now(),
            expires_at: None,
            access: app::domain::TokenAccess::ReadWrite,
            description: None,
            hint: token.hint(),
            source: None,
        };
        state
            .store
            .insert_token(&new, 500)
            .await
            .expect("insert")
            .expect("under the limit");
        (state, token.expose().to_owned())
    })
}

/// Adds `rows` more tokens of user 1 straight into the table, in one statement.
fn add_tokens(runtime: &tokio::runtime::Runtime, url: &str, rows: i64) {
    use sqlx::{Connection as _, Executor as _};
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect");
        let sql = if url.starts_with("sqlite:") {
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
                 INSERT INTO api_tokens (user_id, name, digest, created_at) \
                 SELECT 1, 'bulk ' || i, printf('%064d', i), 0 FROM n"
            )
        } else {
            format!(
                "INSERT INTO api_tokens (user_id, name, digest, created_at) \
                 SELECT 1, 'bulk ' || i, lpad(i::text, 64, '0'), 0 FROM generate_series(1, {rows}) i"
            )
        };
        conn.execute(sql.as_str()).await.expect("bulk insert");
        // What a running database does on its own after a bulk load (PostgreSQL's autovacuum,
        // SQLite's checkpoint), done now so that it does not run during the measurement.
        let settle = if url.starts_with("sqlite:") {
            "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"
        } else {
            "VACUUM ANALYZE api_tokens"
        };
        conn.execute(settle).await.expect("settle after the bulk insert");
        conn.close().await.expect("close");
    });
}

/// An uncached verification with `rows` tokens stored, on SQLite and, when configured,
/// PostgreSQL: a lookup by digest through the unique index should barely notice the size.
fn by_table_size(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("verify_uncached_by_rows");
    let postgres = std::env::var("BENCH_POSTGRES_URL").ok().filter(|u| !u.is_empty());
    for rows in [1_000_i64, 1_000_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut databases = vec![(
            "sqlite",
            format!("sqlite://{}", dir.path().join("rows.db").display()),
            None,
        )];
        if let Some(server) = &postgres {
            let database = runtime.block_on(tessera_test_db::TestDatabase::create(server));
            databases.push(("postgres", database.url().to_owned(), Some(database)));
        }
        for (backend, url, _database) in databases {
            let (state, token) = setup_on(&runtime, &url);
            add_tokens(&runtime, &url, rows - 1);
            group.bench_function(format!("{backend}/{rows}"), |b| {
                b.to_async(&runtime).iter(|| async {
                    let fresh = TokenVerifier::new();
                    fresh.verify(&state, &token).await.expect("valid")
                });
            });
            runtime.block_on(state.store.close());
        }
    }
    group.finish();
}

fn verify(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (state, token, _dir) = setup(&runtime);
    let mut group = c.benchmark_group("verify");

    runtime
        .block_on(state.verifier.verify(&state, &token))
        .expect("valid token");
    group.bench_function("cached", |b| {
        b.to_async(&runtime)
            .iter(|| async { state.verifier.verify(&state, &token).await.expect("valid") });
    });

    group.bench_function("uncached", |b| {
        b.to_async(&runtime).iter(|| async {
            let fresh = TokenVerifier::new();
            fresh.verify(&state, &token).await.expect("valid")
        });
    });

    let mut typo = token.clone().into_bytes();
    typo[10] = if typo[10] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(typo).expect("ascii");
    group.bench_function("bad_checksum", |b| {
        b.to_async(&runtime)
            .iter(|| async { state.verifier.verify(&state, &typo).await.is_err() });
    });
    group.finish();
}

criterion_group!(benches, verify, by_table_size);
criterion_main!(benches);
