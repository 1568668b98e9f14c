//! The REST API under /api/v1 as a token client sees it: its paths, objects created that
//! must be accepted, lists, and the answers that refuse credentials.

use axum::body::Body;
use http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::backend::PlainToken;
use crate::{Client, TestApp, TestResponse, assert_error};

pub const ME: &str = "/api/v1/me";
pub const ENTITIES: &str = "/api/v1/entities";
pub const OBSERVABLES: &str = "/api/v1/observables";
pub const CURRENT_TOKEN: &str = "/api/v1/tokens/current";
pub const ROTATE: &str = "/api/v1/tokens/current/rotate";
pub const OPENAPI: &str = "/api/v1/openapi.json";

/// The challenge of a 401 for a request without bearer credentials.
pub const BARE_CHALLENGE: &str = "Bearer realm=\"tessera\"";
/// The challenge of a 401 for a token that does not work.
pub const INVALID_TOKEN_CHALLENGE: &str = "Bearer realm=\"tessera\", error=\"invalid_token\"";

impl Client {
    /// Creates a report entity that must be accepted; answers it.
    pub async fn create_entity(&self, title: &str) -> Value {
        let response = self.post(ENTITIES, json!({"type": "report", "title": title})).await;
        assert_eq!(response.status, StatusCode::CREATED, "{title:?}: {}", response.text());
        response.json()
    }

    /// Creates an observable that must be accepted; answers it.
    pub async fn create_observable(&self, kind: &str, value: &str) -> Value {
        let response = self.post(OBSERVABLES, json!({"type": kind, "value": value})).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{kind} {value:?}: {}",
            response.text()
        );
        response.json()
    }

    /// The `data` of a list response that must succeed.
    pub async fn list(&self, path: &str) -> Vec<Value> {
        let response = self.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text());
        response.json()["data"].as_array().expect("a data list").clone()
    }

    /// Rotates this client's token with `body` (none: no body at all); answers the response.
    pub async fn rotate(&self, body: Option<Value>) -> TestResponse {
        match body {
            Some(body) => self.post(ROTATE, body).await,
            None => self.fetch(Method::POST, ROTATE).await,
        }
    }

    /// Rotates this client's token with `body`, which must be accepted; answers the JSON
    /// answer and a client holding the new value.
    pub async fn rotated(&self, body: Value) -> (Value, Client) {
        let response = self.rotate(Some(body)).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        let answer = response.json();
        let client = self.with_secret(answer["token"].as_str().expect("a new value"));
        (answer, client)
    }

    /// The id of this client's token, as `me` tells it.
    pub async fn token_id(&self) -> i64 {
        let me = self.get(ME).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text());
        me.json()["token"]["id"].as_i64().expect("a token id")
    }

    /// Asks `me` with this client's token, in real time, until it is refused; answers how long
    /// that took. Fails if the token is still accepted after `bound` (or answers anything but
    /// 200 or 401).
    pub async fn refused_within(&self, bound: std::time::Duration) -> std::time::Duration {
        let start = std::time::Instant::now();
        loop {
            let status = self.get(ME).await.status;
            let elapsed = start.elapsed();
            if status == StatusCode::UNAUTHORIZED {
                return elapsed;
            }
            assert_eq!(status, StatusCode::OK, "neither accepted nor refused");
            assert!(elapsed < bound, "still accepted after {elapsed:?} (bound {bound:?})");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

/// The ids of listed objects, in order.
pub fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().expect("a numeric id")).collect()
}

/// `GET /api/v1/me` with one raw `Authorization` header value (or none).
pub async fn with_authorization(app: &TestApp, value: Option<&[u8]>) -> TestResponse {
    let client = app.anonymous();
    let mut builder = client.request(Method::GET, ME);
    if let Some(value) = value {
        builder = builder.header(header::AUTHORIZATION, value);
    }
    client.send(builder.body(Body::empty()).expect("request")).await
}

/// A 401 asking for bearer credentials.
pub fn assert_missing_credentials(response: &TestResponse) {
    assert_error(response, StatusCode::UNAUTHORIZED, "missing_credentials");
    assert_eq!(response.header("www-authenticate"), Some(BARE_CHALLENGE));
}

/// A 401 for a token that does not work, identical to the answer for a token nobody ever
/// created: the answer must not tell malformed, unknown, expired and revoked apart.
pub async fn assert_invalid_token(app: &TestApp, response: &TestResponse) {
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token");
    assert_eq!(response.header("www-authenticate"), Some(INVALID_TOKEN_CHALLENGE));
    let unknown = app.bearer(PlainToken::generate().expose()).get(ME).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.text(), unknown.text(), "the answers tell the cases apart");
}
