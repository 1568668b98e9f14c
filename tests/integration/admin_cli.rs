use clap::Parser as _;
use http::StatusCode;
use server::cli::{Cli, execute};
use tessera_tests::TestApp;

pub(crate) async fn run(app: &TestApp, args: &[&str], stdin: &str) -> Result<String, String> {
    let mut argv = vec!["tessera", "--database-url"];
    let url = app.database_url();
    argv.push(&url);
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    execute(cli, stdin.as_bytes(), &mut out)
        .await
        .map_err(|e| format!("{e:#}"))?;
    Ok(String::from_utf8(out).expect("utf-8"))
}

#[tokio::test]
async fn a_created_user_signs_in_with_the_generated_password() {
    let app = TestApp::new().await;
    run(&app, &["group", "create", "Threat Research"], "")
        .await
        .expect("group");

    let out = run(
        &app,
        &[
            "user",
            "create",
            "Bob",
            "--display-name",
            "Bob B",
            "--group",
            "Threat Research",
        ],
        "",
    )
    .await
    .expect("user");

    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once, store it now): "))
        .expect(&out);
    assert_eq!(password.len(), 24);
    let response = app.anonymous().sign_in("bob", password).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["groups"][0]["name"], "Threat Research");
}

#[tokio::test]
async fn password_stdin_is_used_and_not_printed() {
    let app = TestApp::new().await;
    let out = run(
        &app,
        &["user", "create", "carol", "--password-stdin"],
        "a long enough secret\n",
    )
    .await
    .expect("user");
    assert!(!out.contains("a long enough secret"));
    assert_eq!(
        app.anonymous().sign_in("carol", "a long enough secret").await.status,
        StatusCode::OK
    );
    let short = run(&app, &["user", "create", "dave", "--password-stdin"], "short\n").await;
    assert!(short.expect_err("short").contains("at least 12"));
}

#[tokio::test]
async fn admin_mistakes_get_clear_errors() {
    let app = TestApp::new().await;
    run(&app, &["group", "create", "SOC"], "").await.expect("group");
    run(&app, &["user", "create", "erin"], "").await.expect("user");
    for (args, needle) in [
        (vec!["group", "create", "SOC"], "already exists"),
        (vec!["group", "create", ""], "Enter a group name"),
        (vec!["user", "create", "erin"], "already exists"),
        (vec!["user", "create", "x y"], "invalid username"),
        (
            vec!["user", "create", "frank", "--group", "Nope"],
            "no group named \"Nope\"",
        ),
        (vec!["user", "create", "frank", "--email", "nope"], "invalid email"),
        (vec!["user", "add-to-group", "ghost", "SOC"], "no user named \"ghost\""),
        (vec!["user", "add-to-group", "erin", "Nope"], "no group named"),
        (vec!["user", "deactivate", "ghost"], "no user named"),
    ] {
        let error = run(&app, &args, "").await.expect_err(&format!("{args:?}"));
        assert!(error.contains(needle), "{args:?}: {error}");
    }
    run(&app, &["user", "add-to-group", "erin", "SOC"], "")
        .await
        .expect("add");
    let again = run(&app, &["user", "add-to-group", "erin", "SOC"], "").await;
    assert!(again.expect_err("duplicate").contains("already in"));
}

#[tokio::test]
async fn listing_shows_groups_and_deactivation() {
    let app = TestApp::new().await;
    run(&app, &["demo"], "").await.expect("demo");
    run(&app, &["user", "create", "zed", "--email", "zed@example.org"], "")
        .await
        .expect("user");
    run(&app, &["user", "deactivate", "zed"], "").await.expect("deactivate");

    let list = run(&app, &["user", "list"], "").await.expect("list");

    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert_eq!(
        lines[0], "admin\tAda Admin\tadmin@example.org\tactive\tadmin\tSOC Analysts",
        "{list}"
    );
    assert_eq!(
        lines[1], "demo\tDana Demo\tdemo@example.org\tactive\tuser\tThreat Research, SOC Analysts",
        "{list}"
    );
    assert!(
        lines[2].starts_with("zed\tzed\tzed@example.org\tdeactivated\tuser"),
        "{list}"
    );
    assert!(
        run(&app, &["user", "deactivate", "zed"], "")
            .await
            .expect_err("twice")
            .contains("already deactivated")
    );
    assert_eq!(
        app.anonymous().sign_in("zed", "whatever").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_demo_loads_once_and_its_user_can_sign_in() {
    let app = TestApp::new().await;
    let first = run(&app, &["demo"], "").await.expect("demo");
    assert!(first.contains("sign in as \"demo\""), "{first}");
    let second = run(&app, &["demo"], "").await.expect("demo again");
    assert!(second.contains("already exists"), "{second}");
    assert_eq!(
        app.anonymous()
            .sign_in("demo", server::admin::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_user_can_be_taken_out_of_a_group() {
    let app = TestApp::new().await;
    run(&app, &["demo"], "").await.expect("demo");

    let out = run(&app, &["user", "remove-from-group", "demo", "SOC Analysts"], "")
        .await
        .expect("remove");

    assert!(out.contains("Removed \"demo\" from \"SOC Analysts\""), "{out}");
    let list = run(&app, &["user", "list"], "").await.expect("list");
    assert!(
        list.lines()
            .any(|l| l.starts_with("demo\t") && l.ends_with("\tThreat Research")),
        "{list}"
    );
    let again = run(&app, &["user", "remove-from-group", "demo", "SOC Analysts"], "").await;
    assert!(again.expect_err("not a member").contains("is not in"));
}
