//! The REST API's JSON bodies: the input is the body of both `POST /api/v1/entities` and
//! `POST /api/v1/observables`, read by the same extractor the handlers use, and what it
//! accepts goes through the domain parsers the backend calls next.
//!
//! Checked: nothing panics; a refused body is a 400 or 422 (415 is for a wrong content type,
//! which this target never sends) with our JSON error envelope; a body that names its own
//! `source` is always refused; accepted text normalises idempotently.

#![no_main]

use std::sync::OnceLock;

use app::domain::{Description, EntityType, ObservableType, ObservableValue, Title};
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::response::IntoResponse;
use http::{StatusCode, header};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use server::rest::body::ApiJson;
use server::rest::dto::{NewEntity, NewObservable};
use tokio::runtime::Runtime;

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
    })
}

/// Whether the body is a JSON object with a top-level `source`, which must never be accepted.
fn names_a_source(data: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|value| value.as_object().map(|object| object.contains_key("source")))
        .unwrap_or(false)
}

/// Runs the extractor on `data` as a JSON body sent to `path`; a refusal is checked here.
fn extract<T: DeserializeOwned>(path: &str, data: &[u8]) -> Option<T> {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(data.to_vec()))
        .expect("a request");
    runtime().block_on(async {
        match ApiJson::<T>::from_request(request, &()).await {
            Ok(ApiJson(body)) => Some(body),
            Err(error) => {
                let response = error.into_response();
                let status = response.status();
                assert!(
                    matches!(status, StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY),
                    "{path}: refused with {status}"
                );
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("an error body");
                let envelope: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON error body");
                assert!(
                    envelope["errors"][0]["code"].is_string() && envelope["errors"][0]["detail"].is_string(),
                    "{path}: not our envelope: {envelope}"
                );
                None
            }
        }
    })
}

fn check_entity(body: NewEntity) {
    let _ = EntityType::parse(&body.kind);
    if let Ok(title) = Title::parse(&body.title) {
        assert_eq!(Title::parse(title.as_str()).as_ref(), Ok(&title));
    }
    if let Ok(Some(description)) = Description::parse_optional(body.description.as_deref()) {
        assert_eq!(Description::parse(description.as_str()).as_ref(), Ok(&description));
    }
}

fn check_observable(body: NewObservable) {
    let Ok(kind) = ObservableType::parse(&body.kind) else {
        return;
    };
    if let Ok(value) = ObservableValue::parse(kind, &body.value) {
        assert_eq!(ObservableValue::parse(kind, value.as_str()).as_ref(), Ok(&value));
    }
}

fuzz_target!(|data: &[u8]| {
    let entity = extract::<NewEntity>("/api/v1/entities", data);
    let observable = extract::<NewObservable>("/api/v1/observables", data);
    if names_a_source(data) {
        assert!(entity.is_none() && observable.is_none(), "a body chose its own source");
    }
    if let Some(body) = entity {
        check_entity(body);
    }
    if let Some(body) = observable {
        check_observable(body);
    }
});
