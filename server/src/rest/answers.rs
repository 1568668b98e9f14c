//! The answers every REST operation can give whatever it does, added to each operation of the
//! OpenAPI document in one place, with the headers that come with them: a missing or bad
//! token (401), a body over the size limit (413), a host this server does not serve (421),
//! a failure on our side (500), a request that took too long (503); `WWW-Authenticate` on
//! 401 and 403, `Retry-After` on 429, `Tessera-Token-Expires` on every answer to a verified
//! token that expires, and `Deprecation` and `Sunset` on every answer to a value replaced by a
//! rotation.

use utoipa::Modify;
use utoipa::openapi::content::Content;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{OpenApi, Ref, RefOr};

use crate::limits::MAX_BODY_BYTES;

/// Adds the shared answers and headers to every operation.
pub struct SharedAnswers;

impl Modify for SharedAnswers {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.options,
                &mut item.head,
            ];
            for operation in operations.into_iter().flatten() {
                add_shared_answers(operation);
            }
        }
    }
}

/// An answer with the error envelope as its body.
fn error(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        Content::new(Some(Ref::from_schema_name("ErrorEnvelope"))),
    )
}

fn header(schema: ObjectBuilder, description: &str) -> Header {
    let mut header = Header::new(schema.build());
    header.description = Some(description.to_owned());
    header
}

/// Whether the operation asks for a token (an empty security requirement means it does not).
fn requires_token(operation: &Operation) -> bool {
    serde_json::to_value(&operation.security)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .is_some_and(|requirements| {
            requirements
                .iter()
                .any(|r| r.as_object().is_some_and(|schemes| !schemes.is_empty()))
        })
}

fn add_shared_answers(operation: &mut Operation) {
    let with_token = requires_token(operation);
    let responses = &mut operation.responses.responses;
    if with_token {
        responses.entry("401".to_owned()).or_insert_with(|| {
            RefOr::T(
                error(
                    "No token (`missing_credentials`), or one that is malformed, unknown, expired or revoked \
                     (`invalid_token`)",
                )
                .build(),
            )
        });
    }
    let shared = [
        (
            "413",
            error(&format!(
                "The body is larger than {MAX_BODY_BYTES} bytes (`payload_too_large`)"
            )),
        ),
        (
            "421",
            error("The Host header names a host this server does not serve (`misdirected_request`)"),
        ),
        (
            "500",
            error("Something failed on our side (`internal`); nothing to fix in the request"),
        ),
        (
            "503",
            error("The request took too long to handle (`timeout`); try again"),
        ),
    ];
    for (status, answer) in shared {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(answer.build()));
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        add_headers(status, response, with_token);
    }
}

/// Adds the headers an answer of `status` comes with; `with_token`: the operation verifies a
/// token, so its answers tell about it.
fn add_headers(status: &str, response: &mut Response, with_token: bool) {
    let headers = &mut response.headers;
    match status {
        "401" => {
            headers.insert(
                "WWW-Authenticate".to_owned(),
                header(
                    ObjectBuilder::new().schema_type(Type::String),
                    "The bearer challenge (RFC 6750): `Bearer realm=\"tessera\"`, with \
                     `error=\"invalid_token\"` when a token was sent",
                ),
            );
            // The token was not verified, so its expiry is not known.
            return;
        }
        "403" => {
            headers.insert(
                "WWW-Authenticate".to_owned(),
                header(
                    ObjectBuilder::new().schema_type(Type::String),
                    "With `insufficient_scope`: `Bearer realm=\"tessera\", \
                     error=\"insufficient_scope\", scope=\"write\"`",
                ),
            );
        }
        "429" => {
            headers.entry("Retry-After".to_owned()).or_insert_with(|| {
                header(
                    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)),
                    "Seconds to wait before trying again",
                )
            });
        }
        _ => {}
    }
    if !with_token {
        return;
    }
    headers.insert(
        "Deprecation".to_owned(),
        header(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^@[0-9]+$")),
            "Sent when the value presented was replaced by a rotation and still works for its grace \
             period: since when it is deprecated (RFC 9745, `@<unix seconds>`)",
        ),
    );
    headers.insert(
        "Sunset".to_owned(),
        header(
            ObjectBuilder::new().schema_type(Type::String).pattern(Some(
                "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \
                 [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$",
            )),
            "Sent with `Deprecation`: when the replaced value stops working (RFC 8594, an HTTP date)",
        ),
    );
    headers.insert(
        "Tessera-Token-Expires".to_owned(),
        header(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            "When the request's token stops working (RFC 3339); sent when the token was \
             verified and has an expiry",
        ),
    );
}
