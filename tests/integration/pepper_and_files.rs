//! The pepper a server starts with must be the one the database's tokens were made with, and
//! the files holding secrets are private to their owner.

use std::path::Path;

use app::backend::accounts::{self, NewAccount};
use app::backend::{AppState, tokens};
use app::domain::ExpiryChoice;
use server::{Application, ServeConfig};

fn config(dir: &Path, pepper: &str) -> ServeConfig {
    let mut config = ServeConfig::for_tests(
        format!("sqlite://{}", dir.join("data").join("tessera.db").display()),
        dir.join("dist"),
    );
    config.pepper_file = dir.join(pepper);
    config
}

async fn start(config: &ServeConfig) -> Result<Application, String> {
    Application::build(config.clone()).await.map_err(|e| format!("{e:#}"))
}

async fn create_a_token(state: &AppState) {
    let account = NewAccount {
        username: format!("user{}", state.store.count_all_tokens().await.expect("count")),
        password: Some(tessera_tests::PASSWORD.into()),
        ..NewAccount::default()
    };
    let user = accounts::create(state, account).await.expect("user").user;
    tokens::create(
        state,
        &user,
        tokens::TokenRequest {
            name: "ci",
            description: "",
            expiry: ExpiryChoice::Never,
            access: app::domain::TokenAccess::ReadWrite,
            source: None,
        },
        &app::backend::security_log::Origin::none(),
    )
    .await
    .expect("token");
}

#[tokio::test]
async fn a_server_refuses_to_start_without_the_pepper_its_tokens_were_made_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = config(dir.path(), "pepper");
    let app = start(&first).await.expect("a fresh database starts with a new pepper");
    create_a_token(app.state()).await;
    app.state().store.close().await;
    drop(app);

    // The same pepper: fine.
    let again = start(&first).await.expect("restart");
    again.state().store.close().await;
    drop(again);

    // The file is gone: no silent new pepper.
    let missing = config(dir.path(), "nowhere/pepper");
    let error = start(&missing).await.err().expect("refused");
    assert!(
        error.contains("is missing") && error.contains("copy the pepper file"),
        "{error}"
    );
    assert!(!dir.path().join("nowhere/pepper").exists(), "no new pepper was written");

    // Another pepper: refused while tokens exist.
    write_pepper(&dir.path().join("other"));
    let other = config(dir.path(), "other");
    let error = start(&other).await.err().expect("refused");
    assert!(error.contains("is not the pepper"), "{error}");
}

#[tokio::test]
async fn a_second_fresh_instance_without_the_first_ones_pepper_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start(&config(dir.path(), "first")).await.expect("first");
    let error = start(&config(dir.path(), "second")).await.err().expect("refused");
    assert!(error.contains("is missing"), "{error}");
    app.state().store.close().await;
}

#[tokio::test]
async fn another_pepper_is_accepted_while_the_database_holds_no_token() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start(&config(dir.path(), "first")).await.expect("first");
    app.state().store.close().await;
    drop(app);
    write_pepper(&dir.path().join("replacement"));
    let app = start(&config(dir.path(), "replacement"))
        .await
        .expect("no token depends on the old one");
    create_a_token(app.state()).await;
    app.state().store.close().await;
    drop(app);
    assert!(start(&config(dir.path(), "replacement")).await.is_ok());
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start(&config(dir.path(), "data/tessera.pepper")).await.expect("start");
    create_a_token(app.state()).await;
    let data = dir.path().join("data");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("tessera.db")), 0o600);
    assert_eq!(mode(&data.join("tessera.db-wal")), 0o600);
    assert_eq!(mode(&data.join("tessera.pepper")), 0o600);
    app.state().store.close().await;
}

/// Writes a new random pepper file.
fn write_pepper(path: &Path) {
    app::backend::tokens::Pepper::generate()
        .write_new(path)
        .expect("pepper");
}
