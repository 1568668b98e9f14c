//! One acting user's HTTP client: a cookie jar of its own and, for the REST API, a bearer
//! token of its own. Nothing is shared between clients, so "alice" stays alice however many
//! other users sign in during a test.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Method, Request, header};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::app::Storage;
use crate::{HOST, TestResponse};

/// A client of one app instance, like one browser (its cookie) or one script (its token).
/// Every request it sends carries its session cookie, when it has one, and
/// `Authorization: Bearer <token>`, when it has a token.
pub struct Client {
    router: Router,
    storage: Arc<Storage>,
    jar: Mutex<Option<String>>,
    token: Option<String>,
    device: Option<Device>,
}

/// Where a client's requests come from: its `User-Agent` and the TCP peer the server sees.
#[derive(Debug, Clone)]
struct Device {
    agent: String,
    peer: SocketAddr,
}

impl Client {
    pub(crate) fn new(router: Router, storage: Arc<Storage>, cookie: Option<String>, token: Option<String>) -> Self {
        Self {
            router,
            storage,
            jar: Mutex::new(cookie),
            token,
            device: None,
        }
    }

    /// This client as a browser sending `User-Agent: agent` from the address `peer` (such as
    /// `"198.51.100.7:50123"`) on every request; without this it sends no user agent and
    /// the server cannot tell its address.
    pub fn from_device(mut self, agent: &str, peer: &str) -> Self {
        let peer = peer
            .parse()
            .unwrap_or_else(|e| panic!("{peer:?} is not an address with a port: {e}"));
        self.device = Some(Device {
            agent: agent.to_owned(),
            peer,
        });
        self
    }

    /// A client of the same instance that sends `token` and no cookie, like a script.
    pub(crate) fn with_token(&self, token: String) -> Self {
        Self::new(self.router.clone(), self.storage.clone(), None, Some(token))
    }

    /// A client on the same app that sends token `secret` and no cookie, like a script.
    pub fn with_secret(&self, secret: &str) -> Self {
        self.with_token(secret.to_owned())
    }

    /// The same cookie and token on another instance of the app: one browser whose requests
    /// a load balancer sends elsewhere.
    pub fn on(&self, app: &crate::TestApp) -> Self {
        app.client(self.cookie(), self.token.clone())
    }

    /// The session cookie (`name=value`) this client holds, if any.
    pub fn cookie(&self) -> Option<String> {
        self.jar.lock().expect("jar").clone()
    }

    /// The bearer token this client sends; fails the test when it has none.
    pub fn token(&self) -> &str {
        self.token.as_deref().expect("a client with a token")
    }

    /// A request to `path` with the host set and this client's cookie and token. Add headers,
    /// extensions and a body, then [`send`](Self::send) it.
    pub fn request(&self, method: Method, path: &str) -> http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path).header(header::HOST, HOST);
        if let Some(cookie) = self.cookie() {
            builder = builder.header(header::COOKIE, cookie);
        }
        if let Some(token) = &self.token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(device) = &self.device {
            builder = builder
                .header(header::USER_AGENT, device.agent.as_str())
                .extension(ConnectInfo(device.peer));
        }
        builder
    }

    /// Sends a request through the router in process; a `Set-Cookie` in the answer replaces
    /// (or, when it expires the cookie, empties) this client's jar.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        if let Some(set) = headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap_or_default().trim().to_owned();
            let cleared = set.contains("Max-Age=0") || pair.ends_with('=');
            *self.jar.lock().expect("jar") = if cleared { None } else { Some(pair) };
        }
        TestResponse { status, headers, body }
    }

    /// A request without a body.
    pub async fn fetch(&self, method: Method, path: &str) -> TestResponse {
        self.send(self.request(method, path).body(Body::empty()).expect("request"))
            .await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.fetch(Method::GET, path).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> TestResponse {
        self.fetch(Method::DELETE, path).await
    }

    /// `POST path` with `body` as `Content-Type: application/json`.
    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.send_json(Method::POST, path, body).await
    }

    /// Any method with `body` as `Content-Type: application/json`.
    pub async fn send_json(&self, method: Method, path: &str, body: Value) -> TestResponse {
        let request = self
            .request(method, path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(request).await
    }

    /// Sends the sign-in page's form as a browser does from `/login{query}`: a same-origin
    /// form post of the username and password, encoded.
    pub async fn post_sign_in_form(&self, query: &str, username: &str, password: &str) -> TestResponse {
        let fields = std::collections::BTreeMap::from([("username", username), ("password", password)]);
        let body = serde_qs::to_string(&fields).expect("a form");
        let request = self
            .request(Method::POST, &format!("/login{query}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, format!("http://{HOST}"))
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }
}
