//! "Last used", coalesced: a token's uses are written at most once a minute, and the token
//! list shows the latest use and what each token created.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use chrono::Duration;
use http::{Method, StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::TestApp;
use tessera_tests::api::{ENTITIES, ME, OBSERVABLES};
use tessera_tests::backend::WRITE_INTERVAL;

#[tokio::test]
async fn token_uses_are_written_at_most_once_a_minute_and_listed_with_the_latest_use() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let client: SocketAddr = "192.0.2.7:50123".parse().expect("an address");
    let call = |agent: String| {
        let request = token
            .request(Method::GET, ME)
            .header(header::USER_AGENT, agent)
            .extension(ConnectInfo(client))
            .body(Body::empty())
            .expect("request");
        token.send(request)
    };
    let writes = app.last_used_writes();

    let mut latest = app.clock.now();
    for _ in 0..20 {
        latest = app.clock.now();
        assert_eq!(call("first agent/1.0".into()).await.status, StatusCode::OK);
        app.clock.advance(Duration::milliseconds(100));
    }
    let first_flush = app.clock.now();
    let written = app.flush_last_used_due().await;

    assert_eq!(written, 1);
    assert_eq!(app.last_used_writes(), writes + 1, "twenty uses, one write");
    let listed = alice.tokens().await;
    assert_eq!(listed[0]["last_used_at"], json!(latest));
    assert_eq!(listed[0]["last_used_ip"], "192.0.2.7");
    assert_eq!(listed[0]["last_used_agent"], "first agent/1.0");

    app.clock.advance(Duration::seconds(30));
    let long_agent = format!("second agent/2.0\t{}", "x".repeat(300));
    for _ in 0..5 {
        latest = app.clock.now();
        assert_eq!(call(long_agent.clone()).await.status, StatusCode::OK);
        app.clock.advance(Duration::milliseconds(10));
    }
    let written = app.flush_last_used_due().await;

    assert_eq!(written, 0);
    assert_eq!(app.last_used_writes(), writes + 1, "no second write within the minute");

    app.clock.set(first_flush + WRITE_INTERVAL);
    let written = app.flush_last_used_due().await;

    assert_eq!(written, 1);
    assert_eq!(app.last_used_writes(), writes + 2);
    let listed = alice.tokens().await;
    assert_eq!(listed[0]["last_used_at"], json!(latest), "the latest call");
    assert_eq!(listed[0]["last_used_ip"], "192.0.2.7");
    let expected_agent: String = long_agent.chars().filter(|c| !c.is_control()).take(256).collect();
    assert_eq!(listed[0]["last_used_agent"], expected_agent.as_str());
    // Nothing left to write.
    app.clock.advance(WRITE_INTERVAL);
    assert_eq!(app.flush_last_used_due().await, 0);
    assert_eq!(app.last_used_writes(), writes + 2);
}

#[tokio::test]
async fn the_token_list_counts_what_each_token_created() {
    let app = TestApp::new().await;
    let (_, bobs) = app.signed_in_with_token("bob", &["Threat Research"]).await;
    let (alice, first) = app.signed_in_with_token("alice", &["Threat Research"]).await;
    let second = alice.new_token("second").await;

    first.create_entity("one").await;
    first.create_entity("two").await;
    first.create_observable("ipv4", "192.0.2.1").await;
    second.create_observable("domain", "example.com").await;
    second.create_observable("domain", "example.org").await;
    bobs.create_entity("bob's").await;
    // Refused requests create nothing.
    second.post(ENTITIES, json!({"type": "report", "title": ""})).await;
    second.post(OBSERVABLES, json!({"type": "ipv4", "value": "x"})).await;

    let listed = alice.tokens().await;
    let counts: Vec<(Value, Value, Value)> = listed
        .iter()
        .map(|t| (t["name"].clone(), t["entities"].clone(), t["observables"].clone()))
        .collect();
    assert_eq!(
        counts,
        [
            (json!("second"), json!(0), json!(2)),
            (json!("alice's token"), json!(2), json!(1)),
        ]
    );
}

#[tokio::test]
async fn a_flush_returns_only_once_a_flush_already_under_way_has_written() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    for round in 0..10 {
        app.clock.advance(WRITE_INTERVAL);
        assert_eq!(token.get(ME).await.status, StatusCode::OK);
        let used = app.clock.now();
        // The background flush takes the use and writes it; a flush asked for meanwhile finds
        // nothing due, and must still not return before that write is done.
        let (_, listed) = tokio::join!(app.flush_last_used_due(), async {
            app.flush_last_used_due().await;
            alice.tokens().await
        });
        assert_eq!(listed[0]["last_used_at"], json!(used), "round {round}");
    }
}
