//! The `tessera` binary itself: admin commands' exit codes, and a real server on port 0 that
//! serves a token-authenticated request and stops gracefully on SIGTERM, writing pending
//! last-used times on the way out.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use http_body_util::BodyExt as _;

const BIN: &str = env!("CARGO_BIN_EXE_tessera");

fn tessera(db: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .arg("--database-url")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tessera");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

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

async fn post(client: &Client, url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, Option<String>) {
    let mut request = http::Request::builder().method("POST").uri(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    send(client, request.body(body.to_owned()).expect("request")).await
}

type Client = hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, String>;

async fn send(client: &Client, request: http::Request<String>) -> (u16, String, Option<String>) {
    let response = client.request(request).await.expect("response");
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap_or_default().to_owned());
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned(), cookie)
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

    let mut server = Command::new(BIN)
        .args(["--database-url", &db, "serve", "--addr", "127.0.0.1:0"])
        .arg("--pepper-file")
        .arg(dir.path().join("pepper"))
        .arg("--dist")
        .arg(dir.path().join("no-client"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let base = line.trim().rsplit(' ').next().expect("an address").to_owned();
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"), "{line}");

    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("origin", base.as_str()),
    ];
    let (status, _, cookie) = post(
        &client,
        &format!("{base}/rpc/sign_in"),
        &form,
        "username=alice&password=correct+horse+battery",
    )
    .await;
    assert_eq!(status, 200);
    let cookie = cookie.expect("a session cookie");
    let mut with_cookie = form.to_vec();
    with_cookie.push(("cookie", cookie.as_str()));
    // Every server function answers from the real binary (they are registered explicitly).
    for (function, body) in [
        ("current_user", ""),
        ("update_profile", "display_name=Alice&email="),
        ("set_default_source", "group_id="),
        ("list_tokens", ""),
    ] {
        let (status, answer, _) = post(&client, &format!("{base}/rpc/{function}"), &with_cookie, body).await;
        assert_eq!(status, 200, "{function}: {answer}");
    }
    let (status, body, _) = post(
        &client,
        &format!("{base}/rpc/create_token"),
        &with_cookie,
        "name=ci&expiry=never&expires_at=",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let secret = serde_json::from_str::<serde_json::Value>(&body).expect("json")["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let request = http::Request::get(format!("{base}/api/v1/me"))
        .header("authorization", format!("Bearer {secret}"))
        .body(String::new())
        .expect("request");
    assert_eq!(send(&client, request).await.0, 200);

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let exit = server.wait().expect("exit");
    assert!(exit.success(), "the server did not exit cleanly: {exit}");

    // The use was written at shutdown, though the background flush had not come round yet.
    let store = app::backend::Store::connect(&db).await.expect("reopen");
    let user = store
        .user_by_username(&app::domain::Username::parse("alice").expect("name"))
        .await
        .expect("store")
        .expect("alice");
    let tokens = store.tokens_of(user.id).await.expect("tokens");
    assert!(
        tokens[0].token.last_used_at.is_some(),
        "last used was not written at shutdown"
    );
}
