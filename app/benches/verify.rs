//! How long verifying a bearer token takes: from the in-memory cache, from the database
//! (SQLite, on a temporary file), and for a token whose checksum is wrong (no database).
//!
//! Run with `cargo bench -p app --features ssr --bench verify`.

use app::backend::store::{NewToken, NewUser};
use app::backend::tokens::verify::TokenVerifier;
use app::backend::tokens::{Pepper, PlainToken};
use app::backend::{AppState, Clock, Store};
use app::domain::{DisplayName, TokenName, Username};
use criterion::{Criterion, criterion_group, criterion_main};

fn setup(runtime: &tokio::runtime::Runtime) -> (AppState, String, tempfile::TempDir) {
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let store = Store::connect(&url).await.expect("store");
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
        };
        state
            .store
            .insert_token(&new, 500)
            .await
            .expect("insert")
            .expect("under the limit");
        (state, token.expose().to_owned(), dir)
    })
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

criterion_group!(benches, verify);
criterion_main!(benches);
