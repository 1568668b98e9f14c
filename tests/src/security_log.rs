//! The security log as tests read it: every stored event (through the audit export, which
//! reads every column), and requests that carry a client address and a user agent.

use std::net::SocketAddr;

use app::backend::security_log::{self, AuditQuery};
use app::server_fns::security_log::{SecurityLog, SecurityLogView};
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{HeaderValue, Method, Request, header};
use serde::Serialize;
use server_fn::ServerFn;

use crate::{Client, HOST, TestApp, TestResponse};

/// A stored event, as plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEvent {
    pub kind: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub token_id: Option<i64>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
    /// The administrator who did it, when not the user.
    pub actor: Option<String>,
}

impl TestApp {
    /// Every event in the log, oldest first.
    pub async fn security_events(&self) -> Vec<LoggedEvent> {
        security_log::audit(&self.state, AuditQuery::default(), 0, 100_000)
            .await
            .expect("audit")
            .into_iter()
            .map(|e| LoggedEvent {
                kind: e.kind,
                user_id: e.user_id.map(|u| u.0),
                username: e.username,
                token_id: e.token_id.map(|t| t.0),
                client_addr: e.client_addr,
                user_agent: e.user_agent,
                detail: e.detail,
                actor: e.actor_name,
            })
            .collect()
    }

    /// The kinds of every event in the log, oldest first.
    pub async fn security_event_kinds(&self) -> Vec<String> {
        self.security_events().await.into_iter().map(|e| e.kind).collect()
    }
}

impl Client {
    /// A request to `path` as if from `addr` with the user agent `agent`.
    pub fn request_from(&self, method: Method, path: &str, addr: &str, agent: &str) -> http::request::Builder {
        let peer: SocketAddr = format!("{addr}:40000").parse().expect("an address");
        self.request(method, path)
            .header(header::USER_AGENT, agent)
            .extension(ConnectInfo(peer))
    }

    /// Calls a server function as the page does, from `addr` with the user agent `agent`.
    pub async fn call_from<F: ServerFn + Serialize>(&self, args: F, addr: &str, agent: &str) -> TestResponse {
        let mut request = self.call_request(&args);
        let peer: SocketAddr = format!("{addr}:40000").parse().expect("an address");
        request.extensions_mut().insert(ConnectInfo(peer));
        let headers = request.headers_mut();
        headers.insert(header::USER_AGENT, HeaderValue::from_str(agent).expect("an agent"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::try_from(format!("http://{HOST}")).expect("an origin"),
        );
        self.send(request).await
    }

    /// `GET path` with this client's token, from `addr` with the user agent `agent`.
    pub async fn get_from(&self, path: &str, addr: &str, agent: &str) -> TestResponse {
        let request: Request<Body> = self
            .request_from(Method::GET, path, addr, agent)
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// Page `page` of the signed-in user's security log, of token `token` (empty: all).
    pub async fn security_log(&self, page: u32, token: &str) -> SecurityLogView {
        self.call_ok(SecurityLog {
            page,
            token: token.to_owned(),
        })
        .await
    }
}
