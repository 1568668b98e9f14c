//! Whether an answer is one the operation documents.

use http::StatusCode;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use tessera_tests::TestResponse;

use super::document::{Document, Operation};
use super::requests::Request;

/// The answer is one the operation documents: its status is listed, its body fits the
/// documented schema (or is empty when none is), and its headers fit theirs. `expiring_token`:
/// the request carried a token that expires, so an answer past verification says when.
pub fn check_documented(
    doc: &Document,
    operation: &Operation,
    request: &Request,
    response: &TestResponse,
    expiring_token: bool,
) -> Result<(), TestCaseError> {
    let status = response.status;
    let context = || format!("{} {:?}: {status} {}", request.method, request.uri, response.text());
    let documented = operation.response(doc, status.as_u16());
    let Some(documented) = documented else {
        return Err(TestCaseError::fail(format!(
            "{} does not document {status}: {}",
            operation.name(),
            context()
        )));
    };
    match documented.pointer("/content/application~1json/schema") {
        Some(schema) => {
            let content_type = response.header("content-type").unwrap_or_default();
            proptest::prop_assert!(
                content_type.starts_with("application/json"),
                "{content_type:?}: {}",
                context()
            );
            let body: Value = serde_json::from_slice(&response.body)
                .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {}", context())))?;
            let fits = doc.validate(schema, &body);
            proptest::prop_assert!(
                fits.is_ok(),
                "the body does not fit the schema: {fits:?}; {}",
                context()
            );
        }
        None => proptest::prop_assert!(response.body.is_empty(), "an undocumented body: {}", context()),
    }
    for (name, spec) in documented["headers"].as_object().into_iter().flatten() {
        let Some(value) = response.header(name) else { continue };
        let schema = &doc.resolve(spec)["schema"];
        let value = match schema["type"].as_str() {
            Some("integer") => value.parse::<i64>().map_or_else(|_| Value::from(value), Value::from),
            _ => Value::from(value),
        };
        let fits = doc.validate(schema, &value);
        proptest::prop_assert!(fits.is_ok(), "header {name}: {fits:?}; {}", context());
    }
    let required_header = match status {
        StatusCode::UNAUTHORIZED => Some("www-authenticate"),
        StatusCode::TOO_MANY_REQUESTS => Some("retry-after"),
        StatusCode::FORBIDDEN if response.text().contains("insufficient_scope") => Some("www-authenticate"),
        _ => None,
    };
    if let Some(name) = required_header {
        proptest::prop_assert!(response.header(name).is_some(), "no {name}: {}", context());
        let listed = documented["headers"]
            .as_object()
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case(name)));
        proptest::prop_assert!(listed, "{name} is sent but not documented for {status}");
    }
    if expiring_token && status != StatusCode::UNAUTHORIZED {
        let documented = documented["headers"].get("Tessera-Token-Expires").is_some();
        proptest::prop_assert!(documented, "Tessera-Token-Expires is not documented for {status}");
        proptest::prop_assert!(
            response.header("tessera-token-expires").is_some(),
            "no Tessera-Token-Expires: {}",
            context()
        );
    }
    Ok(())
}
