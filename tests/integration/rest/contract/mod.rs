//! The contract between the OpenAPI document and the server, tested with requests generated
//! from the served document for every operation it lists: sent with a read-and-write token,
//! a read-only token and none, every answer must be one the operation documents, with a body
//! and headers that fit what the document says; a request the document accepts, sent with a
//! read-and-write token, is never refused as invalid; and a request that breaks the document
//! in a known way gets the documented refusal.

mod answers;
mod document;
mod formats;
mod requests;
mod validate;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use chrono::Duration;
use http::{Method, StatusCode, header};
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tessera_tests::api::OPENAPI;
use tessera_tests::{Client, TestApp, TestResponse, create_token_with_access};

use answers::check_documented;
use document::{Document, Operation};
use requests::{Invalid, Request, invalid_request, valid_request};

/// Requests the document accepts, per operation and caller.
const VALID_CASES: u32 = 40;
/// Requests that break the document, per operation and caller.
const INVALID_CASES: u32 = 20;

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    ReadWrite,
    ReadOnly,
    Anonymous,
}

/// The app, the user whose tokens make the requests, their standing tokens, and the
/// statuses seen so far per operation and caller.
struct World {
    app: TestApp,
    doc: Document,
    user: Client,
    read_write: Client,
    read_only: Client,
    seen: Mutex<BTreeMap<(String, String), BTreeSet<u16>>>,
    /// Tokens made for one request so far, to name the next one.
    own_tokens: AtomicU32,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let user = app.signed_in("alice", &["Threat Research"]).await;
        // Every token expires, so every answer to one carries `Tessera-Token-Expires`.
        let read_write = token(&user, "contract read-write", "12", "read_write").await;
        let read_only = token(&user, "contract read-only", "6", "read").await;
        let response = app.anonymous().get(OPENAPI).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let doc = Document::new(response.json());
        Self {
            app,
            doc,
            user,
            read_write,
            read_only,
            seen: Mutex::default(),
            own_tokens: AtomicU32::new(0),
        }
    }

    /// The client for `caller`. Operations on the token itself (revoking it, rotating it) get
    /// a token of their own each time, so they do not end the tokens the rest of the run uses.
    async fn client(&self, caller: Caller, operation: &Operation) -> Client {
        let own = operation.path.starts_with("/api/v1/tokens/");
        let name = || format!("contract own {}", self.own_tokens.fetch_add(1, Ordering::Relaxed));
        match caller {
            Caller::Anonymous => self.app.anonymous(),
            Caller::ReadWrite if own => token(&self.user, &name(), "2", "read_write").await,
            Caller::ReadOnly if own => token(&self.user, &name(), "2", "read").await,
            Caller::ReadWrite => self.user.with_secret(self.read_write.token()),
            Caller::ReadOnly => self.user.with_secret(self.read_only.token()),
        }
    }

    /// Sends `request` as `caller`, a few seconds after the previous one so the per-minute
    /// limits on creating objects and tokens are not what the run measures.
    async fn send(&self, caller: Caller, operation: &Operation, request: &Request) -> TestResponse {
        self.app.clock.advance(Duration::seconds(3));
        let client = self.client(caller, operation).await;
        let method = Method::from_bytes(request.method.as_bytes()).expect("a method");
        let mut builder = client.request(method, &request.uri);
        if let Some(content_type) = &request.content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let body = request.body.clone().map_or_else(Body::empty, Body::from);
        let response = client.send(builder.body(body).expect("a request")).await;
        self.seen
            .lock()
            .expect("seen")
            .entry((operation.name(), format!("{caller:?}")))
            .or_default()
            .insert(response.status.as_u16());
        response
    }
}

async fn token(user: &Client, name: &str, expiry: &str, access: &str) -> Client {
    let args = create_token_with_access(name, expiry, "", access);
    let mut response = user.call(args.clone()).await;
    if response.status == StatusCode::FORBIDDEN {
        // The run outlasts the hour a password entry allows sensitive actions for.
        user.confirm_password_ok().await;
        response = user.call(args).await;
    }
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let secret = response.json()["secret"].as_str().expect("a secret").to_owned();
    user.with_secret(&secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_generated_from_the_document_get_only_documented_answers() {
    let world = World::new().await;
    for title in ["seed one", "seed two"] {
        world.read_write.create_entity(title).await;
    }
    world.read_write.create_observable("ipv4", "192.0.2.1").await;
    let operations = world.doc.operations();
    assert!(operations.len() >= 8, "{operations:?}");
    let handle = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
        for operation in &operations {
            for caller in [Caller::ReadWrite, Caller::ReadOnly, Caller::Anonymous] {
                let valid = valid_request(&world.doc, operation);
                run(VALID_CASES, &valid, |request| {
                    handle.block_on(check_valid(&world, operation, caller, &request))
                });
                if let Some(invalid) = invalid_request(&world.doc, operation) {
                    run(INVALID_CASES, &invalid, |(way, request)| {
                        handle.block_on(check_invalid(&world, operation, caller, way, &request))
                    });
                }
            }
        }
    });
    // The run must have reached past the refusals: every operation answered success to a
    // read-and-write token at least once, so success bodies were checked too.
    let seen = world.seen.lock().expect("seen");
    eprintln!("statuses seen: {seen:#?}");
    for operation in &operations {
        let statuses = &seen[&(operation.name(), format!("{:?}", Caller::ReadWrite))];
        assert!(
            statuses.iter().any(|s| (200..300).contains(s)),
            "{} never succeeded: {statuses:?}",
            operation.name()
        );
    }
}

/// Runs `test` on `cases` values of `strategy`; a failure is shrunk, then fails the test.
fn run<S: Strategy>(cases: u32, strategy: &S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    };
    if let Err(failure) = TestRunner::new(config).run(strategy, test) {
        panic!("{failure}");
    }
}

async fn check_valid(
    world: &World,
    operation: &Operation,
    caller: Caller,
    request: &Request,
) -> Result<(), TestCaseError> {
    if let (Some(schema), Some(body)) = (operation.body_schema(), &request.json) {
        let fits = world.doc.validate(schema, body);
        proptest::prop_assert!(fits.is_ok(), "the generator made a body the document refuses: {fits:?}");
    }
    let response = world.send(caller, operation, request).await;
    check_documented(
        &world.doc,
        operation,
        request,
        &response,
        caller != Caller::Anonymous && operation.requires_token(),
    )?;
    let status = response.status;
    let context = || {
        format!(
            "{caller:?} {} {:?}: {status} {}",
            request.method,
            request.uri,
            response.text()
        )
    };
    match caller {
        Caller::Anonymous if operation.requires_token() => {
            proptest::prop_assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", context());
        }
        Caller::Anonymous => {}
        Caller::ReadWrite => {
            let refused_as_invalid = [StatusCode::UNPROCESSABLE_ENTITY, StatusCode::UNSUPPORTED_MEDIA_TYPE];
            proptest::prop_assert!(!refused_as_invalid.contains(&status), "{}", context());
            if request.json.is_some() {
                proptest::prop_assert!(
                    status.is_success() || status == StatusCode::TOO_MANY_REQUESTS,
                    "a body the document accepts was refused: {}",
                    context()
                );
            }
        }
        Caller::ReadOnly => {}
    }
    Ok(())
}

async fn check_invalid(
    world: &World,
    operation: &Operation,
    caller: Caller,
    way: Invalid,
    request: &Request,
) -> Result<(), TestCaseError> {
    if way.breaks_the_body_schema() {
        let schema = operation.body_schema().expect("a body schema");
        let body = request.json.as_ref().expect("a JSON body");
        proptest::prop_assert!(world.doc.validate(schema, body).is_err(), "{way:?} left {body} valid");
    }
    let response = world.send(caller, operation, request).await;
    check_documented(
        &world.doc,
        operation,
        request,
        &response,
        caller != Caller::Anonymous && operation.requires_token(),
    )?;
    let status = response.status;
    let context = || {
        format!(
            "{caller:?} {way:?} {} {:?}: {status} {}",
            request.method,
            request.uri,
            response.text()
        )
    };
    proptest::prop_assert!(status.is_client_error(), "{}", context());
    // Where the operation documents 422, a body the schema refuses gets it (a read-only token
    // may be refused for its access level first: the body's shape and media type are checked
    // before the fields, the access level before the fields' rules); elsewhere any refusal.
    let anonymous = caller == Caller::Anonymous && operation.requires_token();
    let unprocessable = operation.documents(422);
    let expected: &[StatusCode] = match (caller, way) {
        _ if anonymous => &[StatusCode::UNAUTHORIZED],
        (_, Invalid::ContentType) => &[StatusCode::UNSUPPORTED_MEDIA_TYPE],
        (_, Invalid::MalformedJson) => &[StatusCode::BAD_REQUEST],
        (Caller::ReadOnly, way) if way.breaks_the_body_schema() && unprocessable => {
            &[StatusCode::UNPROCESSABLE_ENTITY, StatusCode::FORBIDDEN]
        }
        (_, way) if way.breaks_the_body_schema() && unprocessable => &[StatusCode::UNPROCESSABLE_ENTITY],
        _ => &[],
    };
    proptest::prop_assert!(expected.is_empty() || expected.contains(&status), "{}", context());
    Ok(())
}
