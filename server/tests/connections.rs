//! The real `tessera serve` over raw sockets, the way slow and hostile clients talk to it: the
//! header timeout disconnects a half-sent request and an idle keep-alive connection, connections
//! beyond the limit wait until one closes, SIGTERM exits within the shutdown timeout whoever is
//! connected, and a request for a foreign host gets 421.

mod common;

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Running, tessera};

/// A fresh database and a server with `extra` flags.
fn start(extra: &[&str]) -> (Running, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let server = Running::start_with(&db, &dir.path().join("pepper"), dir.path(), extra);
    (server, dir)
}

fn connect(server: &Running) -> TcpStream {
    TcpStream::connect(server.authority()).expect("connect")
}

/// Sends the start of a request and never finishes its headers.
fn half_a_request(server: &Running) -> TcpStream {
    let mut stream = connect(server);
    write!(stream, "GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", server.authority()).expect("write");
    stream
}

/// Reads until the server closes the connection or `wait` passes: how long it took, and
/// whether it was closed.
fn wait_for_close(stream: &mut TcpStream, wait: Duration) -> (Duration, bool) {
    let started = Instant::now();
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let mut buffer = [0_u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (started.elapsed(), true),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return (started.elapsed(), true),
            Err(_) => return (started.elapsed(), false),
        }
    }
}

/// Sends a whole request and reads the status line of the answer (within `wait`).
fn status_of(stream: &mut TcpStream, request: &str, wait: Duration) -> Option<String> {
    stream.write_all(request.as_bytes()).expect("write");
    read_status(stream, wait)
}

fn read_status(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let mut answer = Vec::new();
    let mut buffer = [0_u8; 4096];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return None,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    text.lines().next().map(str::to_owned)
}

fn health_check(server: &Running) -> String {
    format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.authority())
}

#[test]
fn a_client_that_sends_half_a_request_header_is_disconnected_within_the_header_timeout() {
    let (server, _dir) = start(&["--header-timeout-ms", "1000"]);
    let mut slow = half_a_request(&server);

    let (waited, closed) = wait_for_close(&mut slow, Duration::from_secs(10));

    assert!(closed, "still connected after {waited:?}");
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(4),
        "closed after {waited:?}"
    );
    assert!(server.stop(), "the server did not exit cleanly");
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let (server, _dir) = start(&["--header-timeout-ms", "1000"]);
    let mut idle = connect(&server);
    let status = status_of(&mut idle, &health_check(&server), Duration::from_secs(5));
    assert_eq!(status.as_deref(), Some("HTTP/1.1 200 OK"));

    let (waited, closed) = wait_for_close(&mut idle, Duration::from_secs(10));

    assert!(
        closed && waited < Duration::from_secs(4),
        "closed: {closed} after {waited:?}"
    );
    assert!(server.stop(), "the server did not exit cleanly");
}

#[test]
fn sigterm_with_slow_and_idle_clients_connected_exits_within_the_shutdown_timeout() {
    let (server, _dir) = start(&["--header-timeout-ms", "60000", "--shutdown-timeout-ms", "1000"]);
    let mut slow = half_a_request(&server);
    let mut idle = connect(&server);
    let status = status_of(&mut idle, &health_check(&server), Duration::from_secs(5));
    assert_eq!(status.as_deref(), Some("HTTP/1.1 200 OK"));
    std::thread::sleep(Duration::from_millis(200));

    let stopping = Instant::now();
    let exited = server.stop_within(Duration::from_secs(5));

    assert_eq!(exited, Some(true), "no clean exit within 5 s of SIGTERM");
    assert!(
        stopping.elapsed() < Duration::from_secs(4),
        "took {:?}",
        stopping.elapsed()
    );
    assert!(
        wait_for_close(&mut slow, Duration::from_secs(1)).1,
        "the slow client is still connected"
    );
    assert!(
        wait_for_close(&mut idle, Duration::from_secs(1)).1,
        "the idle client is still connected"
    );
}

#[test]
fn connections_beyond_the_limit_wait_until_one_closes() {
    let (server, _dir) = start(&[
        "--max-connections",
        "2",
        "--header-timeout-ms",
        "60000",
        "--shutdown-timeout-ms",
        "500",
    ]);
    let first = half_a_request(&server);
    let _second = half_a_request(&server);
    std::thread::sleep(Duration::from_millis(300));

    let mut third = connect(&server);
    let waiting = status_of(&mut third, &health_check(&server), Duration::from_millis(700));
    assert_eq!(waiting, None, "a third connection was served beyond the limit of two");

    drop(first);
    let served = read_status(&mut third, Duration::from_secs(5));
    assert_eq!(served.as_deref(), Some("HTTP/1.1 200 OK"));
    assert_eq!(server.stop_within(Duration::from_secs(5)), Some(true));
}

#[test]
fn the_real_server_answers_a_rebound_host_with_421_and_its_own_names_normally() {
    let (server, _dir) = start(&[]);
    let port = server.authority().rsplit(':').next().expect("port").to_owned();
    let sign_in = |host: &str| {
        let body = "username=alice&password=correct+horse+battery";
        format!(
            "POST /rpc/sign_in HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let rebound = format!("rebind.attacker:{port}");
    let status = status_of(&mut connect(&server), &sign_in(&rebound), Duration::from_secs(5));
    assert_eq!(status.as_deref(), Some("HTTP/1.1 421 Misdirected Request"));

    // The loopback names with the bound port get through to the handler (no such user: 401).
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let status = status_of(&mut connect(&server), &sign_in(&host), Duration::from_secs(5));
        assert_eq!(status.as_deref(), Some("HTTP/1.1 401 Unauthorized"), "{host}");
    }
    assert!(server.stop());
}

#[test]
fn a_server_on_a_public_address_refuses_to_start_without_the_names_it_serves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());

    let out = tessera(&db, &["serve", "--addr", "0.0.0.0:3999"], "");

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--public-url https://"), "{stderr}");
    assert!(stderr.contains("--allowed-host HOST:3999"), "{stderr}");
    assert!(
        !dir.path().join("t.db").exists(),
        "the database was opened before the check"
    );
}
