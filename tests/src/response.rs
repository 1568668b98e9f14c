//! A response read whole, and the REST API's one error envelope.

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as JSON; fails the test when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body decoded as `T` (a server function's output type, say); fails the test when
    /// it does not decode.
    pub fn decode<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not a {} ({e}): {}",
                std::any::type_name::<T>(),
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text (lossy), for messages and searches.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value, when present and readable as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The seconds `Retry-After` says to wait; fails the test when it says none.
    pub fn retry_after(&self) -> u64 {
        self.header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no Retry-After in seconds: {:?}", self.headers))
    }

    /// Checks that the body is declared as JSON (`Content-Type: application/json…`).
    pub fn assert_json_content_type(&self) {
        let content_type = self.header("content-type");
        assert!(
            content_type.is_some_and(|t| t.starts_with("application/json")),
            "{content_type:?}"
        );
    }

    /// The one error of a REST error envelope, as (code, detail). Fails on any other shape:
    /// `{"errors": [{"code": …, "detail": …}]}` and nothing else, the detail not empty.
    pub fn error(&self) -> (String, String) {
        let body: Value = serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} answered a body that is not the JSON envelope ({e}): {}",
                self.status,
                self.text()
            )
        });
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors list: {body}"));
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
        assert_eq!(errors.len(), 1, "{body}");
        let error = errors[0].as_object().expect("an error object");
        assert_eq!(error.len(), 2, "only code and detail: {body}");
        let code = error["code"].as_str().expect("a code").to_owned();
        let detail = error["detail"].as_str().expect("a detail").to_owned();
        assert!(!detail.is_empty(), "{body}");
        (code, detail)
    }
}

/// Checks the status and the code of an error envelope; answers the detail.
pub fn assert_error(response: &TestResponse, status: StatusCode, code: &str) -> String {
    assert_eq!(response.status, status, "{}", response.text());
    let (actual, detail) = response.error();
    assert_eq!(actual, code, "{detail}");
    detail
}

/// Checks that a server function refused its input: 422 with `{"Invalid": {"field": …}}`
/// naming `field`; answers the message.
pub fn assert_invalid(response: &TestResponse, field: &str) -> String {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {}",
        response.text()
    );
    let error = &response.json()["Invalid"];
    assert_eq!(error["field"], field, "{error}");
    error["message"].as_str().unwrap_or_default().to_owned()
}
