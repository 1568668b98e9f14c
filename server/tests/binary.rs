//! The `tessera` binary itself: admin commands' exit codes, and a real server on port 0 that
//! serves a token-authenticated request and stops gracefully on SIGTERM, writing pending
//! last-used times on the way out.

mod common;

use app::server_fns::profile::{SetDefaultSource, UpdateProfile};
use app::server_fns::session::CurrentUser;
use app::server_fns::tokens::ListTokens;
use common::{Running, api_get, call, client, create_token, first_token_last_used, sign_in, tessera};

#[test]
fn admin_commands_exit_non_zero_with_a_readable_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());

    let ok = tessera(&db, &["group", "create", "SOC"], "");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    for args in [
        &["group", "create", "SOC"][..],
        &["user", "create", "not valid"],
        &["user", "deactivate", "ghost"],
    ] {
        let out = tessera(&db, args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let bad_url = tessera("mysql://nope", &["user", "list"], "");
    assert_eq!(bad_url.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_url.stderr).contains("sqlite://"));
}

#[test]
fn tessera_audit_prints_one_json_object_per_line_and_names_a_bad_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let created = tessera(
        &db,
        &["user", "create", "alice", "--password-stdin"],
        "a long enough secret\n",
    );
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(tessera(&db, &["user", "deactivate", "alice"], "").status.success());

    let out = tessera(&db, &["audit", "--user", "alice"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object"))
        .collect();
    let kinds: Vec<_> = lines
        .iter()
        .map(|l| (l["kind"].as_str(), l["username"].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("account_created"), Some("alice")),
            (Some("account_deactivated"), Some("alice"))
        ],
        "{stdout}"
    );
    // Done by a command, not by an administrator in the browser.
    assert_eq!(lines[1]["actor"], serde_json::Value::Null);
    assert!(
        lines[1]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("tessera user deactivate"))
    );

    let bad = tessera(&db, &["audit", "--since", "yesterday"], "");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(
        stderr.contains("`yesterday` is not a date") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn bad_expiry_warning_thresholds_stop_start_up_with_what_to_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    for bad in ["7,30", "30", "30,0", "soon,urgent"] {
        let out = tessera(
            &db,
            &["serve", "--addr", "127.0.0.1:0", "--token-expiry-warning-days", bad],
            "",
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("--token-expiry-warning-days") && stderr.contains("\"30,7\""),
            "{bad}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn bad_token_policy_values_stop_start_up_with_what_to_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    for bad in ["0", "25", "abc"] {
        let out = tessera(
            &db,
            &["serve", "--addr", "127.0.0.1:0", "--max-token-lifetime-months", bad],
            "",
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("--max-token-lifetime-months") && stderr.contains("from 1 to 24"),
            "{bad}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    for (var, bad) in [
        ("TESSERA_MAX_TOKEN_LIFETIME_MONTHS", "25"),
        ("TESSERA_REQUIRE_TOKEN_EXPIRY", "sometimes"),
    ] {
        let out = std::process::Command::new(common::BIN)
            .args(["--database-url", &db, "serve", "--addr", "127.0.0.1:0"])
            .env(var, bad)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run tessera");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{var}={bad}: {stderr}");
        assert!(stderr.contains(bad), "{var}={bad}: {stderr}");
    }
}

#[tokio::test]
async fn the_server_binds_port_zero_serves_tokens_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let created = tessera(
        &db,
        &["user", "create", "alice", "--password-stdin"],
        "correct horse battery\n",
    );
    assert!(created.status.success());
    let server = Running::start(&db, &dir.path().join("pepper"), dir.path());
    let (client, base) = (client(), server.base.clone());

    let cookie = sign_in(&client, &base, "alice", "correct horse battery").await;
    // Every server function answers from the real binary (they are registered explicitly).
    let update = UpdateProfile {
        display_name: "Alice".to_owned(),
        email: String::new(),
    };
    let clear_default = SetDefaultSource {
        group_id: String::new(),
    };
    let session = Some(cookie.as_str());
    for (function, (status, answer, _)) in [
        ("current_user", call(&client, &base, session, &CurrentUser {}).await),
        ("update_profile", call(&client, &base, session, &update).await),
        (
            "set_default_source",
            call(&client, &base, session, &clear_default).await,
        ),
        ("list_tokens", call(&client, &base, session, &ListTokens {}).await),
    ] {
        assert_eq!(status, 200, "{function}: {answer}");
    }
    let (_, secret) = create_token(&client, &base, &cookie, "ci").await;
    assert_eq!(api_get(&client, &base, "/api/v1/me", &secret).await, 200);

    assert!(server.stop(), "the server did not exit cleanly on SIGTERM");

    // The use was written at shutdown (or by the background flush just before).
    assert!(
        first_token_last_used(&db, "alice").await.is_some(),
        "last used was not written"
    );
}

#[test]
fn a_signal_sent_as_soon_as_the_address_is_announced_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pepper = dir.path().join("pepper");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    for round in 0..3 {
        let server = Running::start(&db, &pepper, dir.path());
        assert!(server.stop(), "round {round}: the server did not exit cleanly");
    }
}

/// Sends a request with a query string and a bearer token, and a plain one, to a server
/// started with `extra` flags and `RUST_LOG=filter`; stops it and answers its log.
async fn log_of_two_requests(extra: &[&str], filter: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let log = dir.path().join("log");
    let server = Running::start_logging(&db, &dir.path().join("pepper"), dir.path(), extra, filter, &log);
    let client = client();
    let secret = "tsr_secretInTheQuery";
    let path = format!("/api/v1/me?access_token={secret}");
    assert_eq!(api_get(&client, &server.base, &path, secret).await, 401);
    let health = http::Request::get(format!("{}/healthz", server.base))
        .body(String::new())
        .expect("request");
    assert_eq!(common::send(&client, health).await.0, 200);
    assert!(server.stop(), "the server did not exit cleanly");
    let text = std::fs::read_to_string(&log).expect("the log");
    assert!(text.contains("shutting down"), "the log was written:\n{text}");
    assert!(!text.contains(secret) && !text.contains('?'), "{text}");
    text
}

#[tokio::test]
async fn each_request_writes_one_short_line_without_its_query_or_token() {
    let text = log_of_two_requests(&[], "info").await;
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("tessera::access")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, expected) in lines
        .iter()
        .zip(["127.0.0.1 GET /api/v1/me 401 ", "127.0.0.1 GET /healthz 200 "])
    {
        let (_, message) = line.split_once("INFO tessera::access: ").expect(line);
        let latency = message.strip_prefix(expected).unwrap_or_else(|| panic!("{line}"));
        let millis = latency.strip_suffix("ms").unwrap_or_else(|| panic!("{line}"));
        assert!(millis.parse::<f64>().is_ok_and(|ms| ms >= 0.0), "{line}");
    }
}

#[tokio::test]
async fn the_access_log_is_turned_off_by_a_flag_or_by_rust_log() {
    for (extra, filter) in [
        (&["--no-access-log"][..], "info"),
        (&[][..], "info,tessera::access=off"),
    ] {
        let text = log_of_two_requests(extra, filter).await;
        assert!(!text.contains("tessera::access"), "{extra:?} {filter}:\n{text}");
        assert!(!text.contains("/healthz"), "{extra:?} {filter}:\n{text}");
    }
}

#[tokio::test]
async fn the_client_is_compressed_at_start_by_a_child_process_and_by_the_precompress_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The folder every test server serves as its client.
    let dist = dir.path().join("no-client");
    std::fs::create_dir(&dist).expect("dist");
    let script = dist.join("app.js");
    std::fs::write(&script, "console.log('Tessera');\n".repeat(200)).expect("a script");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let log = dir.path().join("log");
    let server = Running::start_logging(&db, &dir.path().join("pepper"), dir.path(), &[], "info", &log);
    for copy in ["app.js.br", "app.js.gz"] {
        let len = std::fs::metadata(dist.join(copy)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{copy} was written before the server listened");
    }
    let script_request = http::Request::get(format!("{}/app.js", server.base))
        .header("accept-encoding", "br")
        .body(String::new())
        .expect("request");
    assert_eq!(common::send(&client(), script_request).await.0, 200);
    let stopped = server.stop();
    let text = std::fs::read_to_string(&log).expect("the log");
    assert!(stopped, "the server did not exit cleanly:\n{text}");
    assert!(
        !text.contains("compressed the client's files") && !text.contains("child process"),
        "the child compressed them, so start-up found nothing left to do:\n{text}"
    );

    std::fs::write(&script, "console.log('Tessera, again');\n".repeat(200)).expect("a changed script");
    let done = tessera(&db, &["precompress", "--dist", &dist.display().to_string()], "");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(
        String::from_utf8_lossy(&done.stdout),
        format!("{}: compressed 1 new or changed files\n", dist.display())
    );
    let again = tessera(&db, &["precompress", "--dist", &dist.display().to_string()], "");
    assert!(String::from_utf8_lossy(&again.stdout).ends_with("compressed 0 new or changed files\n"));
}
