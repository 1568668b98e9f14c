//! The REST API under /api/v1 driven in process: bearer authentication and what it refuses,
//! `me`, source attribution, entities and observables with their canonical values,
//! visibility by group, paging, coalesced "last used" writes, the verification cache, the
//! OpenAPI document, and the one error envelope for everything that goes wrong.

use std::collections::{BTreeSet, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use app::backend::store::{GroupId, TokenId, User};
use app::backend::tokens::PlainToken;
use app::backend::tokens::last_used::WRITE_INTERVAL;
use app::backend::tokens::verify::REVALIDATE_AFTER;
use app::domain::GroupName;
use axum::body::Body;
use axum::extract::ConnectInfo;
use chrono::{DateTime, Duration, Utc};
use http::{Method, StatusCode, header};
use serde_json::{Value, json};
use tessera_tests::{PASSWORD, TestApp, TestResponse};

const ME: &str = "/api/v1/me";
const ENTITIES: &str = "/api/v1/entities";
const OBSERVABLES: &str = "/api/v1/observables";
const CURRENT_TOKEN: &str = "/api/v1/tokens/current";
const OPENAPI: &str = "/api/v1/openapi.json";

const BARE_CHALLENGE: &str = "Bearer realm=\"tessera\"";
const INVALID_TOKEN_CHALLENGE: &str = "Bearer realm=\"tessera\", error=\"invalid_token\"";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

/// Creates `username` in `groups`, signs them in (the app's cookie is theirs from now on) and
/// creates a never-expiring token named "`username`'s token"; answers the user and the secret.
async fn user_with_token(app: &TestApp, username: &str, groups: &[&str]) -> (User, String) {
    let user = app.create_user(username, groups).await;
    sign_in_as(app, username).await;
    let token = app.create_token(&format!("{username}'s token")).await;
    (user, token)
}

/// A fresh app with one signed-in user in "Threat Research" who has one token.
async fn app_with_token(username: &str) -> (TestApp, User, String) {
    let app = TestApp::new().await;
    let (user, token) = user_with_token(&app, username, &["Threat Research"]).await;
    (app, user, token)
}

async fn sign_in_as(app: &TestApp, username: &str) {
    let response = app.sign_in(username, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

async fn get(app: &TestApp, path: &str, token: &str) -> TestResponse {
    app.api(Method::GET, path, Some(token), None).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> TestResponse {
    app.api(Method::POST, path, Some(token), Some(body)).await
}

/// A request with one raw Authorization header value (or none).
async fn with_authorization(app: &TestApp, value: Option<&[u8]>) -> TestResponse {
    let mut builder = app.api_request(Method::GET, ME, None);
    if let Some(value) = value {
        builder = builder.header(header::AUTHORIZATION, value);
    }
    app.send(builder.body(Body::empty()).expect("request")).await
}

/// Creates a report entity that must be accepted; answers it.
async fn create_entity(app: &TestApp, token: &str, title: &str) -> Value {
    let response = post(app, ENTITIES, token, json!({"type": "report", "title": title})).await;
    assert_eq!(response.status, StatusCode::CREATED, "{title:?}: {}", response.text());
    response.json()
}

/// Creates an observable that must be accepted; answers it.
async fn create_observable(app: &TestApp, token: &str, kind: &str, value: &str) -> Value {
    let response = post(app, OBSERVABLES, token, json!({"type": kind, "value": value})).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{kind} {value:?}: {}",
        response.text()
    );
    response.json()
}

/// The `data` of a list response that must succeed.
async fn list(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let response = get(app, path, token).await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text());
    response.json()["data"].as_array().expect("a data list").clone()
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().expect("a numeric id")).collect()
}

/// The one error of an error envelope, as (code, detail); fails on any other shape.
fn error_of(response: &TestResponse) -> (String, String) {
    let body: Value = serde_json::from_slice(&response.body).unwrap_or_else(|e| {
        panic!(
            "{} answered a body that is not the JSON envelope ({e}): {}",
            response.status,
            response.text()
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

/// Checks status and code of an error envelope; answers the detail.
fn assert_error(response: &TestResponse, status: StatusCode, code: &str) -> String {
    assert_eq!(response.status, status, "{}", response.text());
    let (actual, detail) = error_of(response);
    assert_eq!(actual, code, "{detail}");
    detail
}

fn assert_missing_credentials(response: &TestResponse) {
    assert_error(response, StatusCode::UNAUTHORIZED, "missing_credentials");
    assert_eq!(response.header("www-authenticate"), Some(BARE_CHALLENGE));
}

/// A 401 for a token that does not work, identical to the answer for a token nobody ever
/// created: the answer must not tell malformed, unknown, expired and revoked apart.
async fn assert_invalid_token(app: &TestApp, response: &TestResponse) {
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token");
    assert_eq!(response.header("www-authenticate"), Some(INVALID_TOKEN_CHALLENGE));
    let unknown = get(app, ME, PlainToken::generate().expose()).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.text(), unknown.text(), "the answers tell the cases apart");
}

fn token_lookups(app: &TestApp) -> u64 {
    app.state.store.stats().token_lookups.load(Ordering::Relaxed)
}

fn last_used_writes(app: &TestApp) -> u64 {
    app.state.store.stats().last_used_writes.load(Ordering::Relaxed)
}

/// The signed-in user's tokens as `list_tokens` shows them.
async fn list_tokens(app: &TestApp) -> Vec<Value> {
    let response = app.rpc("list_tokens", &[]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json().as_array().expect("a list").clone()
}

/// The id of the token `token`, as `me` tells it.
async fn token_id(app: &TestApp, token: &str) -> i64 {
    let me = get(app, ME, token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    me.json()["token"]["id"].as_i64().expect("a token id")
}

/// The signed-in user's group ids by name, from `current_user`.
async fn group_id(app: &TestApp, name: &str) -> i64 {
    let me = app.rpc("current_user", &[]).await.json();
    me["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["name"] == name)
        .and_then(|g| g["id"].as_i64())
        .unwrap_or_else(|| panic!("not in {name:?}: {me}"))
}

async fn group_named(app: &TestApp, name: &str) -> GroupId {
    let name = GroupName::parse(name).expect("a group name");
    app.state
        .store
        .group_by_name(&name)
        .await
        .expect("store")
        .expect("the group")
        .id
}

async fn set_default_source(app: &TestApp, group_id: &str) -> TestResponse {
    app.rpc("set_default_source", &[("group_id", group_id)]).await
}

// ---------------------------------------------------------------------------------------
// 1. Who may call: the Authorization header, and nothing else.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_request_without_an_authorization_header_gets_a_bare_bearer_challenge() {
    let (app, _, _) = app_with_token("alice").await;

    let response = app.api(Method::GET, ME, None, None).await;

    assert_missing_credentials(&response);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    // Every endpoint asks for credentials before it reads the body.
    for (method, path) in [
        (Method::GET, ENTITIES),
        (Method::GET, "/api/v1/entities/1"),
        (Method::GET, OBSERVABLES),
        (Method::GET, "/api/v1/observables/1"),
        (Method::DELETE, CURRENT_TOKEN),
    ] {
        assert_missing_credentials(&app.api(method, path, None, None).await);
    }
    for path in [ENTITIES, OBSERVABLES] {
        let request = app
            .api_request(Method::POST, path, None)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("{not json"))
            .expect("request");
        assert_missing_credentials(&app.send(request).await);
    }
}

#[tokio::test]
async fn an_empty_authorization_header_counts_as_missing_credentials() {
    let (app, _, _) = app_with_token("alice").await;
    for value in [&b""[..], b"   "] {
        assert_missing_credentials(&with_authorization(&app, Some(value)).await);
    }
}

#[tokio::test]
async fn another_authorization_scheme_counts_as_missing_credentials() {
    let (app, _, token) = app_with_token("alice").await;
    for value in [
        "Basic YWxpY2U6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==".to_owned(),
        format!("Token {token}"),
        format!("Bearer{token}"),
        token.clone(),
    ] {
        let response = with_authorization(&app, Some(value.as_bytes())).await;
        assert_missing_credentials(&response);
    }
}

#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    let (app, _, token) = app_with_token("alice").await;
    for value in [
        format!("bearer {token}"),
        format!("BEARER {token}"),
        format!("Bearer   {token}  "),
    ] {
        let response = with_authorization(&app, Some(value.as_bytes())).await;
        assert_eq!(response.status, StatusCode::OK, "{value:?}: {}", response.text());
        assert_eq!(response.json()["username"], "alice");
    }
}

#[tokio::test]
async fn a_bearer_header_that_is_not_one_token_is_refused_as_an_invalid_token() {
    let (app, _, token) = app_with_token("alice").await;
    for value in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        format!("Bearer {token} {token}"),
        format!("Bearer {token}\textra"),
        "Bearer tsr_short".to_owned(),
        format!("Bearer {}", token.to_uppercase()),
    ] {
        let response = with_authorization(&app, Some(value.as_bytes())).await;
        assert_invalid_token(&app, &response).await;
    }
    let not_utf8 = with_authorization(&app, Some(b"Bearer tsr_\xff\xfe")).await;
    assert_invalid_token(&app, &not_utf8).await;
    let request = app
        .api_request(Method::GET, ME, Some(&token))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    assert_invalid_token(&app, &app.send(request).await).await;
}

#[tokio::test]
async fn a_token_with_a_bad_checksum_is_refused_without_asking_the_store() {
    let (app, _, token) = app_with_token("alice").await;
    let last = token.chars().last().expect("a last character");
    let typo = format!("{}{}", &token[..token.len() - 1], if last == 'A' { 'B' } else { 'A' });
    assert!(PlainToken::parse(&typo).is_err());
    let before = token_lookups(&app);

    let response = get(&app, ME, &typo).await;

    assert_eq!(
        token_lookups(&app),
        before,
        "a checksum failure must not reach the store"
    );
    assert_invalid_token(&app, &response).await;
}

#[tokio::test]
async fn an_unknown_well_formed_token_is_refused_as_invalid() {
    let (app, _, _) = app_with_token("alice").await;
    let unknown = PlainToken::generate();
    let before = token_lookups(&app);

    let response = get(&app, ME, unknown.expose()).await;

    assert_invalid_token(&app, &response).await;
    assert!(token_lookups(&app) > before, "a well-formed token is looked up");
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn an_expired_token_is_refused_from_the_instant_it_expires() {
    let (app, _, _) = app_with_token("alice").await;
    let created = app
        .rpc(
            "create_token",
            &[("name", "two months"), ("expiry", "2"), ("expires_at", "")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    let token = created.json()["secret"].as_str().expect("a secret").to_owned();
    let me = get(&app, ME, &token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["token"]["expires_at"], "2026-03-01T00:00:00Z");

    app.clock.set(at("2026-02-28T23:59:59.999Z"));
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);
    // One millisecond later, while the token is still in the verification cache.
    app.clock.set(at("2026-03-01T00:00:00Z"));
    let response = get(&app, ME, &token).await;

    assert_invalid_token(&app, &response).await;
    app.clock.advance(Duration::days(1));
    assert_invalid_token(&app, &get(&app, ME, &token).await).await;
}

// Deleting a token in the profile evicts it from this instance's verification cache at once.
#[tokio::test]
async fn a_token_deleted_in_the_profile_is_refused_at_once() {
    let (app, _, token) = app_with_token("alice").await;
    let id = token_id(&app, &token).await; // the token is now in the verification cache

    let deleted = app.rpc("delete_token", &[("id", &id.to_string())]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());

    let response = get(&app, ME, &token).await;
    assert_invalid_token(&app, &response).await;
}

#[tokio::test]
async fn a_token_can_revoke_itself_and_is_refused_from_then_on() {
    let (app, _, token) = app_with_token("alice").await;
    let other = app.create_token("kept").await;
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);

    let response = app.api(Method::DELETE, CURRENT_TOKEN, Some(&token), None).await;

    assert_eq!(response.status, StatusCode::NO_CONTENT, "{}", response.text());
    assert!(response.body.is_empty());
    assert_invalid_token(&app, &get(&app, ME, &token).await).await;
    assert_invalid_token(&app, &app.api(Method::DELETE, CURRENT_TOKEN, Some(&token), None).await).await;
    let names: Vec<Value> = list_tokens(&app).await.iter().map(|t| t["name"].clone()).collect();
    assert_eq!(names, [json!("kept")]);
    assert_eq!(get(&app, ME, &other).await.status, StatusCode::OK, "only that token");
}

#[tokio::test]
async fn the_tokens_of_a_deactivated_user_are_refused_at_once() {
    let (app, _, token) = app_with_token("alice").await;
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);

    server::admin::deactivate(&app.state, "alice", &mut Vec::new())
        .await
        .expect("deactivate");

    assert_invalid_token(&app, &get(&app, ME, &token).await).await;
}

#[tokio::test]
async fn a_token_in_the_query_string_is_not_accepted() {
    let (app, _, token) = app_with_token("alice").await;
    for query in ["access_token", "token", "bearer"] {
        let response = app.api(Method::GET, &format!("{ME}?{query}={token}"), None, None).await;
        assert_missing_credentials(&response);
    }
}

#[tokio::test]
async fn a_session_cookie_alone_does_not_authenticate_the_api() {
    let (app, _, _) = app_with_token("alice").await;
    let cookie = app.cookie().expect("signed in");
    assert_eq!(app.rpc("current_user", &[]).await.json()["username"], "alice");

    let request = app
        .api_request(Method::GET, ME, None)
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .expect("request");
    let response = app.send(request).await;

    assert_missing_credentials(&response);
    let request = app
        .api_request(Method::POST, ENTITIES, None)
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"type":"report","title":"via cookie"}"#))
        .expect("request");
    assert_missing_credentials(&app.send(request).await);
}

// ---------------------------------------------------------------------------------------
// 2. me
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn me_describes_the_owner_their_groups_sources_and_the_token() {
    let app = TestApp::new().await;
    let (_, token) = user_with_token(&app, "alice", &["Threat Research", "SOC"]).await;
    let research = group_id(&app, "Threat Research").await;
    let soc = group_id(&app, "SOC").await;
    let listed = list_tokens(&app).await;

    let response = get(&app, ME, &token).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{:?}",
        response.header("content-type")
    );
    assert_eq!(
        response.json(),
        json!({
            "username": "alice",
            "display_name": "alice display",
            "groups": [
                {"id": research, "name": "Threat Research"},
                {"id": soc, "name": "SOC"},
            ],
            "default_source": null,
            "effective_source": {"id": research, "name": "Threat Research"},
            "token": {"id": listed[0]["id"], "name": "alice's token", "expires_at": null},
        })
    );
    assert!(!response.text().contains(&token));
}

// ---------------------------------------------------------------------------------------
// 3. Attribution to a source, and bodies that cannot be read
// ---------------------------------------------------------------------------------------

// The default source is read at the time of each request, whatever the token cache holds.
#[tokio::test]
async fn new_objects_are_attributed_to_the_default_source_chosen_in_the_profile_at_once() {
    let app = TestApp::new().await;
    let (_, token) = user_with_token(&app, "alice", &["Red Team", "Blue Team"]).await;
    let red = group_id(&app, "Red Team").await;
    let blue = group_id(&app, "Blue Team").await;
    let red_ref = json!({"id": red, "name": "Red Team"});
    let blue_ref = json!({"id": blue, "name": "Blue Team"});

    let chosen = set_default_source(&app, &blue.to_string()).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    assert_eq!(chosen.json()["default_source"], blue_ref);
    assert_eq!(create_entity(&app, &token, "first").await["source"], blue_ref);

    let chosen = set_default_source(&app, &red.to_string()).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    assert_eq!(
        create_entity(&app, &token, "second").await["source"],
        red_ref,
        "the next create after changing the default source"
    );
    assert_eq!(
        create_observable(&app, &token, "ipv4", "192.0.2.1").await["source"],
        red_ref
    );
    let me = get(&app, ME, &token).await.json();
    assert_eq!(me["default_source"], red_ref);
    assert_eq!(me["effective_source"], red_ref);

    set_default_source(&app, &blue.to_string()).await;
    assert_eq!(create_entity(&app, &token, "third").await["source"], blue_ref);
    let cleared = set_default_source(&app, "").await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text());
    assert_eq!(cleared.json()["default_source"], json!(null));
    assert_eq!(
        create_entity(&app, &token, "fourth").await["source"],
        red_ref,
        "without a default, the group joined first"
    );
}

// The same journey as above, each change given the verification cache's time to pass: the
// attribution rules themselves hold.
#[tokio::test]
async fn after_the_cache_bound_new_objects_follow_the_chosen_default_source() {
    let app = TestApp::new().await;
    let (_, token) = user_with_token(&app, "alice", &["Red Team", "Blue Team"]).await;
    let red = group_id(&app, "Red Team").await;
    let blue = group_id(&app, "Blue Team").await;
    let red_ref = json!({"id": red, "name": "Red Team"});
    let blue_ref = json!({"id": blue, "name": "Blue Team"});
    assert_eq!(create_entity(&app, &token, "zeroth").await["source"], red_ref);

    for (choice, expected) in [
        (blue.to_string(), &blue_ref),
        (red.to_string(), &red_ref),
        (blue.to_string(), &blue_ref),
        (String::new(), &red_ref),
    ] {
        let chosen = set_default_source(&app, &choice).await;
        assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
        app.clock.advance(REVALIDATE_AFTER);
        assert_eq!(
            create_entity(&app, &token, "x").await["source"],
            *expected,
            "{choice:?}"
        );
        assert_eq!(
            create_observable(&app, &token, "domain", "example.com").await["source"],
            *expected,
            "{choice:?}"
        );
        assert_eq!(get(&app, ME, &token).await.json()["effective_source"], *expected);
    }
}

#[tokio::test]
async fn a_default_source_the_user_is_not_in_falls_back_to_the_group_joined_first() {
    let app = TestApp::new().await;
    app.create_user("bob", &["Elsewhere"]).await;
    let (alice, token) = user_with_token(&app, "alice", &["Red Team", "Blue Team"]).await;
    let red = group_id(&app, "Red Team").await;
    let elsewhere = group_named(&app, "Elsewhere").await;
    // As if alice had chosen a group and left it since.
    app.state
        .store
        .set_default_source(alice.id, Some(elsewhere))
        .await
        .expect("store");

    let me = get(&app, ME, &token).await.json();

    assert_eq!(me["default_source"], json!(null));
    assert_eq!(me["effective_source"], json!({"id": red, "name": "Red Team"}));
    let entity = create_entity(&app, &token, "attributed to Red").await;
    assert_eq!(entity["source"], json!({"id": red, "name": "Red Team"}));
    let observable = create_observable(&app, &token, "ipv4", "192.0.2.1").await;
    assert_eq!(observable["source"]["id"], red);
}

#[tokio::test]
async fn a_user_in_no_group_cannot_create_objects() {
    let app = TestApp::new().await;
    let (_, token) = user_with_token(&app, "loner", &[]).await;

    let me = get(&app, ME, &token).await.json();
    assert_eq!(me["groups"], json!([]));
    assert_eq!(me["default_source"], json!(null));
    assert_eq!(me["effective_source"], json!(null));

    let entity = post(&app, ENTITIES, &token, json!({"type": "report", "title": "orphan"})).await;
    let observable = post(&app, OBSERVABLES, &token, json!({"type": "ipv4", "value": "192.0.2.1"})).await;

    let detail = assert_error(&entity, StatusCode::UNPROCESSABLE_ENTITY, "no_source");
    assert!(detail.contains("group"), "{detail}");
    assert_error(&observable, StatusCode::UNPROCESSABLE_ENTITY, "no_source");
    assert_eq!(list(&app, ENTITIES, &token).await, Vec::<Value>::new());
    assert_eq!(list(&app, OBSERVABLES, &token).await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_body_that_chooses_its_own_source_is_refused() {
    let (app, _, token) = app_with_token("alice").await;
    for (path, body) in [
        (ENTITIES, json!({"type": "report", "title": "mine", "source": 1})),
        (ENTITIES, json!({"type": "report", "title": "mine", "source": null})),
        (
            ENTITIES,
            json!({"type": "report", "title": "mine", "source": {"id": 1, "name": "Threat Research"}}),
        ),
        (
            OBSERVABLES,
            json!({"type": "ipv4", "value": "192.0.2.1", "source": "SOC"}),
        ),
    ] {
        let response = post(&app, path, &token, body.clone()).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "source_not_allowed");
        assert!(detail.contains("default source"), "{body}: {detail}");
    }
    assert_eq!(list(&app, ENTITIES, &token).await, Vec::<Value>::new());
    assert_eq!(list(&app, OBSERVABLES, &token).await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_refused_with_what_to_fix() {
    let (app, _, token) = app_with_token("alice").await;
    for (path, body, needle) in [
        (
            ENTITIES,
            json!({"type": "report", "title": "x", "colour": "red"}),
            "colour",
        ),
        (
            OBSERVABLES,
            json!({"type": "ipv4", "value": "192.0.2.1", "tags": []}),
            "tags",
        ),
        (ENTITIES, json!({"type": "report"}), "title"),
        (OBSERVABLES, json!({"value": "192.0.2.1"}), "type"),
        (ENTITIES, json!({"type": "report", "title": 5}), "string"),
        (ENTITIES, json!({"type": null, "title": "x"}), "string"),
        (
            ENTITIES,
            json!({"type": "report", "title": "x", "description": ["a"]}),
            "string",
        ),
        (ENTITIES, json!([{"type": "report", "title": "x"}]), "object"),
        (OBSERVABLES, json!("192.0.2.1"), "object"),
        (ENTITIES, json!(null), "object"),
    ] {
        let response = post(&app, path, &token, body.clone()).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
        assert!(detail.contains(needle), "{body}: {detail}");
    }
    assert_eq!(list(&app, ENTITIES, &token).await, Vec::<Value>::new());
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let (app, _, token) = app_with_token("alice").await;
    for (path, body) in [
        (ENTITIES, &b"{\"type\":\"report\","[..]),
        (ENTITIES, b""),
        (ENTITIES, b"{\"type\":\"report\",\"title\":\"x\"} trailing"),
        (OBSERVABLES, b"{'type':'ipv4'}"),
        (OBSERVABLES, b"\xff\xfe{}"),
    ] {
        let request = app
            .api_request(Method::POST, path, Some(&token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("request");
        let response = app.send(request).await;
        assert_error(&response, StatusCode::BAD_REQUEST, "malformed_json");
    }
    assert_eq!(list(&app, ENTITIES, &token).await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_body_not_sent_as_json_is_an_unsupported_media_type() {
    let (app, _, token) = app_with_token("alice").await;
    let body = r#"{"type":"report","title":"typed"}"#;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        Some("application/json-patch+json"),
        None,
    ] {
        let mut builder = app.api_request(Method::POST, ENTITIES, Some(&token));
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let response = app.send(builder.body(Body::from(body)).expect("request")).await;
        assert_error(&response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    assert_eq!(list(&app, ENTITIES, &token).await, Vec::<Value>::new());
    for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
        let request = app
            .api_request(Method::POST, ENTITIES, Some(&token))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request");
        let response = app.send(request).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{content_type}: {}",
            response.text()
        );
    }
}

#[tokio::test]
async fn the_default_source_must_be_one_of_the_users_own_groups() {
    let app = TestApp::new().await;
    app.create_user("bob", &["Elsewhere"]).await;
    let (_, token) = user_with_token(&app, "alice", &["Red Team"]).await;
    let elsewhere = group_named(&app, "Elsewhere").await;

    for choice in [
        elsewhere.0.to_string(),
        "999999".to_owned(),
        "abc".to_owned(),
        "1.5".to_owned(),
    ] {
        let response = set_default_source(&app, &choice).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{choice:?}: {}",
            response.text()
        );
        assert_eq!(response.json()["Invalid"]["field"], "default_source", "{choice:?}");
    }
    assert_eq!(app.rpc("current_user", &[]).await.json()["default_source"], json!(null));
    assert_eq!(get(&app, ME, &token).await.json()["default_source"], json!(null));
}

// ---------------------------------------------------------------------------------------
// 4. Entities
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn creating_an_entity_answers_201_with_what_was_stored() {
    let (app, _, token) = app_with_token("alice").await;
    let research = group_id(&app, "Threat Research").await;
    app.clock.advance(Duration::milliseconds(1_234));

    let response = post(
        &app,
        ENTITIES,
        &token,
        json!({"type": "threat-actor", "title": "  APT Example \t", "description": " Seen twice.\nStill active. "}),
    )
    .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let entity = response.json();
    assert!(entity["id"].is_i64(), "{entity}");
    assert_eq!(
        entity,
        json!({
            "id": entity["id"],
            "type": "threat-actor",
            "title": "APT Example",
            "description": "Seen twice.\nStill active.",
            "source": {"id": research, "name": "Threat Research"},
            "created_by": "alice",
            "created_at": "2026-01-01T00:00:01.234Z",
        })
    );
    for description in [json!(null), json!("   ")] {
        let response = post(
            &app,
            ENTITIES,
            &token,
            json!({"type": "ttp", "title": "No description", "description": description}),
        )
        .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        assert_eq!(response.json()["description"], json!(null));
    }
    let bare = create_entity(&app, &token, "Without the field").await;
    assert_eq!(bare["description"], json!(null));
    for kind in [
        "campaign",
        "course-of-action",
        "exploit-target",
        "incident",
        "indicator",
        "report",
        "sighting",
        "threat-actor",
        "ttp",
    ] {
        let response = post(&app, ENTITIES, &token, json!({"type": kind, "title": kind})).await;
        assert_eq!(response.status, StatusCode::CREATED, "{kind}: {}", response.text());
        assert_eq!(response.json()["type"], kind);
    }
}

#[tokio::test]
async fn invalid_entity_fields_are_refused_with_the_field_named() {
    let (app, _, token) = app_with_token("alice").await;
    let too_long = "t".repeat(501);
    for (kind, title, description, field, needle) in [
        ("malware", "x", None, "type", "Choose an entity type"),
        ("Report", "x", None, "type", "course-of-action"),
        ("", "x", None, "type", "Choose an entity type"),
        ("report", "", None, "title", "Enter a title"),
        ("report", " \t ", None, "title", "Enter a title"),
        (
            "report",
            too_long.as_str(),
            None,
            "title",
            "at most 500 characters; this one has 501",
        ),
        ("report", "two\nlines", None, "title", "one line"),
        ("report", "rtl\u{202E}", None, "title", "U+202E"),
        ("report", "x", Some("bell\u{7}"), "description", "U+0007"),
    ] {
        let response = post(
            &app,
            ENTITIES,
            &token,
            json!({"type": kind, "title": title, "description": description}),
        )
        .await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(
            detail.starts_with(&format!("{field}: ")),
            "{kind:?} {title:?}: {detail}"
        );
        assert!(detail.contains(needle), "{kind:?} {title:?}: {detail}");
    }
    assert_eq!(list(&app, ENTITIES, &token).await, Vec::<Value>::new());
    let longest = "ñ".repeat(500);
    assert_eq!(create_entity(&app, &token, &longest).await["title"], longest.as_str());
}

#[tokio::test]
async fn an_entity_can_be_read_back_by_id_and_a_missing_one_is_404() {
    let (app, _, token) = app_with_token("alice").await;
    let entity = create_entity(&app, &token, "Read me back").await;
    let id = entity["id"].as_i64().expect("an id");

    let response = get(&app, &format!("{ENTITIES}/{id}"), &token).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(response.json(), entity);
    for missing in [
        "abc".to_owned(),
        "1abc".to_owned(),
        "1.0".to_owned(),
        (id + 1).to_string(),
        "0".to_owned(),
        "-1".to_owned(),
        "99999999999999999999".to_owned(),
    ] {
        let response = get(&app, &format!("{ENTITIES}/{missing}"), &token).await;
        let detail = assert_error(&response, StatusCode::NOT_FOUND, "not_found");
        assert!(detail.contains("entity"), "{missing}: {detail}");
    }
    // An entity's id is not an observable's.
    let response = get(&app, &format!("{OBSERVABLES}/{id}"), &token).await;
    assert_error(&response, StatusCode::NOT_FOUND, "not_found");
}

// ---------------------------------------------------------------------------------------
// 5. Observables: canonical values
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn observables_are_stored_and_answered_in_canonical_form() {
    let (app, _, token) = app_with_token("alice").await;
    let md5 = "D41D8CD98F00B204E9800998ECF8427E";
    let sha1 = "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709";
    let sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    let padded_sha1 = format!("  {}\n", sha1.to_ascii_lowercase());
    let lower_md5 = md5.to_ascii_lowercase();
    let lower_sha256 = sha256.to_ascii_lowercase();
    let cases: Vec<(&str, &str, String)> = vec![
        ("ipv4", "192.0.2.1", "192.0.2.1".into()),
        ("ipv4", "  198.51.100.255 ", "198.51.100.255".into()),
        ("ipv6", "2001:DB8:0:0:0:0:0:1", "2001:db8::1".into()),
        ("ipv6", "[2001:db8::1]", "2001:db8::1".into()),
        ("ipv6", "::FFFF:C000:0201", "::ffff:192.0.2.1".into()),
        ("domain", "Example.COM.", "example.com".into()),
        ("domain", " WWW.Example.org ", "www.example.org".into()),
        ("domain", "xn--bcher-kva.Example", "xn--bcher-kva.example".into()),
        ("uri", "HTTPS://Example.COM/Path", "https://example.com/Path".into()),
        (
            "uri",
            "http://[2001:DB8::1]:8080/X?Q=1",
            "http://[2001:db8::1]:8080/X?Q=1".into(),
        ),
        (
            "uri",
            "hxxp://Evil.EXAMPLE/Payload",
            "hxxp://evil.example/Payload".into(),
        ),
        (
            "email",
            " Alice.Smith+tag@Example.ORG ",
            "Alice.Smith+tag@example.org".into(),
        ),
        ("email", "alice@example.org", "alice@example.org".into()),
        ("hash-md5", md5, md5.to_ascii_lowercase()),
        ("hash-md5", &lower_md5, lower_md5.clone()),
        ("hash-sha1", sha1, sha1.to_ascii_lowercase()),
        ("hash-sha1", &padded_sha1, sha1.to_ascii_lowercase()),
        ("hash-sha256", sha256, sha256.to_ascii_lowercase()),
        ("hash-sha256", &lower_sha256, lower_sha256.clone()),
    ];
    let mut created = Vec::new();
    for (kind, input, canonical) in &cases {
        let observable = create_observable(&app, &token, kind, input).await;
        assert_eq!(observable["type"], *kind, "{kind} {input:?}");
        assert_eq!(observable["value"], canonical.as_str(), "{kind} {input:?}");
        assert_eq!(observable["created_by"], "alice");
        let id = observable["id"].as_i64().expect("an id");
        let read = get(&app, &format!("{OBSERVABLES}/{id}"), &token).await;
        assert_eq!(read.json(), observable, "{kind} {input:?}");
        created.push(observable);
    }
    created.reverse();
    let response = get(&app, &format!("{OBSERVABLES}?limit=100"), &token).await;
    assert_eq!(response.json()["data"], json!(created), "newest first, as created");
}

#[tokio::test]
async fn invalid_observable_values_are_refused_naming_the_value() {
    let (app, _, token) = app_with_token("alice").await;
    let md5 = "d41d8cd98f00b204e9800998ecf8427e";
    let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    let long_uri = format!("https://example.com/{}", "p".repeat(2048));
    let not_hex = "g".repeat(32);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("ipv4", "01.2.3.4", "leading zeros"),
        ("ipv4", "256.1.1.1", "0–255"),
        ("ipv4", "2001:db8::1", "choose the ipv6 type"),
        ("ipv6", "2001:db8::1::2", "eight groups"),
        ("ipv6", "192.0.2.1", "choose the ipv4 type"),
        ("domain", "localhost", "at least two labels"),
        ("domain", "bücher.example", "punycode"),
        ("domain", "exa_mple.com", "remove '_'"),
        ("uri", "example.com/x", "absolute URI"),
        ("uri", "https://", "needs a host"),
        ("uri", &long_uri, "at most 2048"),
        ("email", "alice", "'@'"),
        ("email", "alice@localhost", "after '@'"),
        ("hash-md5", &md5[..31], "exactly 32 hex digits"),
        ("hash-md5", &not_hex, "'g' is not a hex digit"),
        ("hash-sha1", md5, "exactly 40 hex digits"),
        ("hash-sha256", sha1, "exactly 64 hex digits"),
        ("hash-sha256", "", "Enter a hash-sha256 value"),
        ("ipv4", "192.0.2.1 10.0.0.1", "U+0020"),
        ("domain", "exa\u{0}mple.com", "U+0000"),
    ];
    for (kind, input, needle) in cases {
        let response = post(&app, OBSERVABLES, &token, json!({"type": kind, "value": input})).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(detail.starts_with("value: "), "{kind} {input:?}: {detail}");
        assert!(detail.contains(needle), "{kind} {input:?}: {detail}");
    }
    for kind in ["url", "IPv4", "hash_md5", "sha256", ""] {
        let response = post(&app, OBSERVABLES, &token, json!({"type": kind, "value": "192.0.2.1"})).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(detail.starts_with("type: "), "{kind:?}: {detail}");
        assert!(detail.contains("hash-sha256"), "{kind:?}: {detail}");
    }
    assert_eq!(list(&app, OBSERVABLES, &token).await, Vec::<Value>::new());
}

// ---------------------------------------------------------------------------------------
// 6. Visibility
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn objects_are_visible_only_to_members_of_their_source() {
    let app = TestApp::new().await;
    let (_, x) = user_with_token(&app, "xavier", &["Group One"]).await;
    let (_, y) = user_with_token(&app, "yvonne", &["Group Two"]).await;
    let (_, both) = user_with_token(&app, "zoe", &["Group One", "Group Two"]).await;
    let x_entity = create_entity(&app, &x, "X's report").await;
    let x_observable = create_observable(&app, &x, "domain", "x.example").await;
    let y_entity = create_entity(&app, &y, "Y's report").await;
    let y_observable = create_observable(&app, &y, "domain", "y.example").await;

    for (path, theirs) in [(ENTITIES, &y_entity), (OBSERVABLES, &y_observable)] {
        let id = theirs["id"].as_i64().expect("an id");
        let hidden = get(&app, &format!("{path}/{id}"), &x).await;
        let nowhere = get(&app, &format!("{path}/{}", id + 1000), &x).await;
        let detail = assert_error(&hidden, StatusCode::NOT_FOUND, "not_found");
        assert_error(&nowhere, StatusCode::NOT_FOUND, "not_found");
        assert_eq!(
            detail,
            error_of(&nowhere).1.replace(&(id + 1000).to_string(), &id.to_string()),
            "a hidden object reads like a missing one"
        );
    }
    assert_eq!(list(&app, ENTITIES, &x).await, vec![x_entity.clone()]);
    assert_eq!(list(&app, OBSERVABLES, &x).await, vec![x_observable.clone()]);
    assert_eq!(list(&app, ENTITIES, &y).await, vec![y_entity.clone()]);
    assert_eq!(list(&app, OBSERVABLES, &y).await, vec![y_observable.clone()]);
    let x_id = x_entity["id"].as_i64().expect("an id");
    assert_error(
        &get(&app, &format!("{ENTITIES}/{x_id}"), &y).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    assert_eq!(
        list(&app, ENTITIES, &both).await,
        vec![y_entity.clone(), x_entity.clone()]
    );
    assert_eq!(
        list(&app, OBSERVABLES, &both).await,
        vec![y_observable.clone(), x_observable.clone()]
    );
    for (path, object) in [
        (ENTITIES, &x_entity),
        (ENTITIES, &y_entity),
        (OBSERVABLES, &x_observable),
        (OBSERVABLES, &y_observable),
    ] {
        let response = get(&app, &format!("{path}/{}", object["id"]), &both).await;
        assert_eq!(response.json(), *object);
    }
}

// ---------------------------------------------------------------------------------------
// 7. Lists and paging
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn lists_are_newest_first() {
    let (app, _, token) = app_with_token("alice").await;
    let mut entities = Vec::new();
    let mut observables = Vec::new();
    for i in 1..=3 {
        entities.push(create_entity(&app, &token, &format!("report {i}")).await);
        observables.push(create_observable(&app, &token, "ipv4", &format!("192.0.2.{i}")).await);
        app.clock.advance(Duration::seconds(1));
    }
    entities.reverse();
    observables.reverse();

    let response = get(&app, ENTITIES, &token).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(response.json(), json!({"data": entities, "next": null}));
    assert_eq!(list(&app, OBSERVABLES, &token).await, observables);
}

#[tokio::test]
async fn a_limit_outside_1_to_100_is_a_bad_request() {
    let (app, _, token) = app_with_token("alice").await;
    create_entity(&app, &token, "one").await;
    for path in [ENTITIES, OBSERVABLES] {
        for limit in ["101", "0", "abc", "-1", "1.5", "99999999999999999999", "%FF"] {
            let response = get(&app, &format!("{path}?limit={limit}"), &token).await;
            assert_eq!(
                response.status,
                StatusCode::BAD_REQUEST,
                "{path} {limit}: {}",
                response.text()
            );
            let (code, detail) = error_of(&response);
            assert!(
                code == "invalid_limit" || code == "invalid_query",
                "{path} {limit}: {code} {detail}"
            );
            if code == "invalid_limit" {
                assert!(detail.contains("1 to 100"), "{detail}");
            }
        }
        for limit in ["1", "100", ""] {
            let response = get(&app, &format!("{path}?limit={limit}"), &token).await;
            assert_eq!(response.status, StatusCode::OK, "{path} {limit}: {}", response.text());
        }
    }
    let one = get(&app, &format!("{ENTITIES}?limit=101"), &token).await;
    assert_eq!(error_of(&one).0, "invalid_limit");
}

#[tokio::test]
async fn pages_follow_next_until_it_is_null_without_duplicates() {
    let (app, _, token) = app_with_token("alice").await;
    let mut created = Vec::new();
    for i in 1..=5 {
        created.push(create_entity(&app, &token, &format!("report {i}")).await);
    }
    created.reverse();

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut path = format!("{ENTITIES}?limit=2");
    loop {
        let response = get(&app, &path, &token).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text());
        let page = response.json();
        let data = page["data"].as_array().expect("data").clone();
        sizes.push(data.len());
        seen.extend(data);
        match page["next"].as_str() {
            Some(next) => {
                assert!(sizes.len() < 10, "paging does not end");
                path = format!("{ENTITIES}?limit=2&cursor={next}");
            }
            None => {
                assert_eq!(page["next"], json!(null));
                break;
            }
        }
    }

    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(seen, created);
    let unique: HashSet<i64> = ids(&seen).into_iter().collect();
    assert_eq!(unique.len(), 5);
    // Exactly one page's worth: no next page.
    let all = get(&app, &format!("{ENTITIES}?limit=5"), &token).await.json();
    assert_eq!(all["next"], json!(null));
    assert_eq!(all["data"], json!(created));
}

#[tokio::test]
async fn a_cursor_that_is_not_a_next_value_is_a_bad_request() {
    let (app, _, token) = app_with_token("alice").await;
    create_entity(&app, &token, "one").await;
    // base64url of "after:1" and of "before:x"
    for cursor in ["garbage", "!!!", "%00", "YWZ0ZXI6MQ", "YmVmb3JlOng", "YmVmb3JlOjE=="] {
        for path in [ENTITIES, OBSERVABLES] {
            let response = get(&app, &format!("{path}?cursor={cursor}"), &token).await;
            assert_eq!(
                response.status,
                StatusCode::BAD_REQUEST,
                "{cursor}: {}",
                response.text()
            );
            let (code, _) = error_of(&response);
            assert!(code == "invalid_cursor" || code == "invalid_query", "{cursor}: {code}");
        }
    }
    assert_error(
        &get(&app, &format!("{ENTITIES}?cursor=garbage"), &token).await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    );
}

// ---------------------------------------------------------------------------------------
// 8. Last used, coalesced
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn token_uses_are_written_at_most_once_a_minute_and_listed_with_the_latest_use() {
    let (app, _, token) = app_with_token("alice").await;
    let client: SocketAddr = "192.0.2.7:50123".parse().expect("an address");
    let call = |agent: String| {
        let request = app
            .api_request(Method::GET, ME, Some(&token))
            .header(header::USER_AGENT, agent)
            .extension(ConnectInfo(client))
            .body(Body::empty())
            .expect("request");
        app.send(request)
    };
    let writes = last_used_writes(&app);

    let mut latest = app.clock.now();
    for _ in 0..20 {
        latest = app.clock.now();
        assert_eq!(call("first agent/1.0".into()).await.status, StatusCode::OK);
        app.clock.advance(Duration::milliseconds(100));
    }
    let first_flush = app.clock.now();
    let written = app.state.last_used.flush_due(&app.state.store, first_flush).await;

    assert_eq!(written.expect("flush"), 1);
    assert_eq!(last_used_writes(&app), writes + 1, "twenty uses, one write");
    let listed = list_tokens(&app).await;
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
    let written = app.state.last_used.flush_due(&app.state.store, app.clock.now()).await;

    assert_eq!(written.expect("flush"), 0);
    assert_eq!(last_used_writes(&app), writes + 1, "no second write within the minute");

    app.clock.set(first_flush + WRITE_INTERVAL);
    let written = app.state.last_used.flush_due(&app.state.store, app.clock.now()).await;

    assert_eq!(written.expect("flush"), 1);
    assert_eq!(last_used_writes(&app), writes + 2);
    let listed = list_tokens(&app).await;
    assert_eq!(listed[0]["last_used_at"], json!(latest), "the latest call");
    assert_eq!(listed[0]["last_used_ip"], "192.0.2.7");
    let expected_agent: String = long_agent.chars().filter(|c| !c.is_control()).take(256).collect();
    assert_eq!(listed[0]["last_used_agent"], expected_agent.as_str());
    // Nothing left to write.
    app.clock.advance(WRITE_INTERVAL);
    let written = app.state.last_used.flush_due(&app.state.store, app.clock.now()).await;
    assert_eq!(written.expect("flush"), 0);
    assert_eq!(last_used_writes(&app), writes + 2);
}

#[tokio::test]
async fn the_token_list_counts_what_each_token_created() {
    let app = TestApp::new().await;
    app.create_user("bob", &["Threat Research"]).await;
    sign_in_as(&app, "bob").await;
    let bobs = app.create_token("bob's token").await;
    let (_, first) = user_with_token(&app, "alice", &["Threat Research"]).await;
    let second = app.create_token("second").await;

    create_entity(&app, &first, "one").await;
    create_entity(&app, &first, "two").await;
    create_observable(&app, &first, "ipv4", "192.0.2.1").await;
    create_observable(&app, &second, "domain", "example.com").await;
    create_observable(&app, &second, "domain", "example.org").await;
    create_entity(&app, &bobs, "bob's").await;
    // Refused requests create nothing.
    post(&app, ENTITIES, &second, json!({"type": "report", "title": ""})).await;
    post(&app, OBSERVABLES, &second, json!({"type": "ipv4", "value": "x"})).await;

    let listed = list_tokens(&app).await;
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

// ---------------------------------------------------------------------------------------
// 9. The verification cache
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_verified_token_is_not_looked_up_again_until_the_cache_bound_has_passed() {
    let (app, _, token) = app_with_token("alice").await;
    let before = token_lookups(&app);

    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);
    assert_eq!(token_lookups(&app), before + 1);
    for _ in 0..10 {
        assert_eq!(get(&app, ENTITIES, &token).await.status, StatusCode::OK);
    }
    app.clock.advance(REVALIDATE_AFTER - Duration::milliseconds(1));
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);
    assert_eq!(token_lookups(&app), before + 1, "answered from the cache");

    app.clock.advance(Duration::milliseconds(1));
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);
    assert_eq!(
        token_lookups(&app),
        before + 2,
        "looked up again after REVALIDATE_AFTER"
    );
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);
    assert_eq!(token_lookups(&app), before + 2);
}

#[tokio::test]
async fn a_revocation_made_elsewhere_is_noticed_within_the_cache_bound() {
    let (app, user, token) = app_with_token("alice").await;
    let id = token_id(&app, &token).await;

    // Another instance revokes the token: this one's cache does not hear of it.
    let revoked = app
        .state
        .store
        .revoke_token(user.id, TokenId(id), app.clock.now())
        .await
        .expect("store");
    assert!(revoked);

    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK);
    app.clock.advance(REVALIDATE_AFTER - Duration::milliseconds(1));
    assert_eq!(get(&app, ME, &token).await.status, StatusCode::OK, "still trusted");
    app.clock.advance(Duration::milliseconds(1));
    assert_invalid_token(&app, &get(&app, ME, &token).await).await;
    app.clock.advance(Duration::milliseconds(1));
    assert_invalid_token(&app, &get(&app, ME, &token).await).await;
}

// ---------------------------------------------------------------------------------------
// 10. OpenAPI
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_openapi_document_needs_no_token_and_describes_every_route() {
    let app = TestApp::new().await;

    let response = app.api(Method::GET, OPENAPI, None, None).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{:?}",
        response.header("content-type")
    );
    let doc = response.json();
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let http_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = doc["paths"].as_object().expect("paths");
    let documented: BTreeSet<(&str, &str)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| http_methods.contains(&k.as_str()))
                .map(move |method| (path.as_str(), method.as_str()))
        })
        .collect();
    let expected: BTreeSet<(&str, &str)> = [
        ("/api/v1/me", "get"),
        ("/api/v1/entities", "get"),
        ("/api/v1/entities", "post"),
        ("/api/v1/entities/{id}", "get"),
        ("/api/v1/observables", "get"),
        ("/api/v1/observables", "post"),
        ("/api/v1/observables/{id}", "get"),
        ("/api/v1/tokens/current", "delete"),
    ]
    .into_iter()
    .collect();
    assert_eq!(documented, expected);
    for (path, method) in &expected {
        let operation = &doc["paths"][path][method];
        assert_eq!(operation["security"], json!([{"bearer": []}]), "{method} {path}");
        assert!(operation["responses"]["401"].is_object(), "{method} {path}");
    }
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");

    // A bad token does not stand in the way either.
    let with_bad_token = app.api(Method::GET, OPENAPI, Some("tsr_nonsense"), None).await;
    assert_eq!(with_bad_token.status, StatusCode::OK);
    assert_eq!(with_bad_token.json(), doc);
}

// ---------------------------------------------------------------------------------------
// 11. Unknown routes, wrong methods, and no 500 for bad input
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_api_path_is_a_404_in_the_envelope() {
    let (app, _, token) = app_with_token("alice").await;
    for path in [
        "/api/v1/nope",
        "/api/v1",
        "/api/v1/entities/1/extra",
        "/api/v1/tokens",
        "/api/v1/me/",
    ] {
        for token in [None, Some(token.as_str())] {
            let response = app.api(Method::GET, path, token, None).await;
            let detail = assert_error(&response, StatusCode::NOT_FOUND, "not_found");
            assert!(detail.contains("openapi.json"), "{path}: {detail}");
        }
    }
}

// The API's root with a trailing slash is not a page of the web client.
#[tokio::test]
async fn the_api_root_with_a_trailing_slash_is_a_404_in_the_envelope() {
    let (app, _, token) = app_with_token("alice").await;
    let response = app.api(Method::GET, "/api/v1/", Some(&token), None).await;
    assert_error(&response, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_method_a_route_does_not_accept_is_a_405_in_the_envelope() {
    let (app, _, token) = app_with_token("alice").await;
    for (method, path) in [
        (Method::PUT, ME),
        (Method::POST, ME),
        (Method::DELETE, ENTITIES),
        (Method::PATCH, "/api/v1/entities/1"),
        (Method::PUT, "/api/v1/observables/1"),
        (Method::GET, CURRENT_TOKEN),
        (Method::POST, OPENAPI),
    ] {
        let response = app.api(method, path, Some(&token), Some(json!({"title": "x"}))).await;
        assert_error(&response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    assert_eq!(
        get(&app, ME, &token).await.status,
        StatusCode::OK,
        "the token still works"
    );
}

#[tokio::test]
async fn no_bad_input_gets_a_server_error() {
    let (app, _, token) = app_with_token("alice").await;
    let nested = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let huge_title = json!({"type": "report", "title": "x".repeat(100_000)}).to_string();
    let big_body = format!(r#"{{"type":"report","title":"{}"}}"#, "y".repeat(3 * 1024 * 1024));
    let deep_object = format!("{}{}", "{\"a\":".repeat(1_000), "1".to_owned() + &"}".repeat(1_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        (ENTITIES, nested.clone().into_bytes()),
        (ENTITIES, huge_title.into_bytes()),
        (ENTITIES, big_body.into_bytes()),
        (OBSERVABLES, deep_object.into_bytes()),
        (ENTITIES, b"\"\\ud800\"".to_vec()),
        (ENTITIES, br#"{"type":"report","title":"\ud800"}"#.to_vec()),
        (ENTITIES, br#"{"type":"report","title":"nul\u0000"}"#.to_vec()),
        (OBSERVABLES, br#"{"type":"ipv4","value":1e999}"#.to_vec()),
        (OBSERVABLES, br#"{"type":"uri","value":"https://\u0000/"}"#.to_vec()),
        (OBSERVABLES, br#"{"type":"email","value":"a@b@c"}"#.to_vec()),
        (
            ENTITIES,
            b"\xef\xbb\xbf{\"type\":\"report\",\"title\":\"bom\"}".to_vec(),
        ),
        (ENTITIES, b"123".to_vec()),
        (ENTITIES, b"{}".to_vec()),
    ];
    for (path, body) in bodies {
        let request = app
            .api_request(Method::POST, path, Some(&token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .expect("request");
        let response = app.send(request).await;
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        assert!(
            response.status.is_client_error(),
            "{path} {shown:?}: {}",
            response.status
        );
        error_of(&response);
    }
    let paths = [
        format!("{ENTITIES}/9223372036854775807"),
        format!("{ENTITIES}/9223372036854775808"),
        format!("{ENTITIES}/-9223372036854775808"),
        format!("{ENTITIES}/%00"),
        format!("{ENTITIES}/%20"),
        format!("{OBSERVABLES}/{}", "9".repeat(1_000)),
        format!("{ENTITIES}?limit=1&limit=2"),
        format!("{ENTITIES}?cursor=a&cursor=b"),
        format!("{ENTITIES}?limit=%FF%FE"),
        format!("{ENTITIES}?cursor=%FF"),
        format!("{OBSERVABLES}?cursor={}", "A".repeat(10_000)),
        format!("{OBSERVABLES}?cursor=YmVmb3JlOi05MjIzMzcyMDM2ODU0Nzc1ODA4"), // before:i64::MIN
        format!("{OBSERVABLES}?cursor=YmVmb3JlOjk5OTk5OTk5OTk5OTk5OTk5OTk5"), // before:too big
        format!("{ENTITIES}?unknown=1&limit=3"),
    ];
    for path in &paths {
        let response = get(&app, path, &token).await;
        assert!(
            response.status.as_u16() < 500,
            "{path}: {} {}",
            response.status,
            response.text()
        );
        if !response.status.is_success() {
            error_of(&response);
        }
    }
    let long_token = format!("tsr_{}", "a".repeat(10_000));
    for value in [long_token.as_bytes(), b"Bearer \xff", b"Bearer tsr_\xc3\x28"] {
        let response = with_authorization(&app, Some(value)).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        error_of(&response);
    }
    let response = with_authorization(&app, Some(format!("Bearer {long_token}").as_bytes())).await;
    assert_invalid_token(&app, &response).await;
}

// An id that does not decode still gets the envelope.
#[tokio::test]
async fn an_id_that_is_not_utf8_is_refused_in_the_envelope() {
    let (app, _, token) = app_with_token("alice").await;
    for path in [ENTITIES, OBSERVABLES] {
        let response = get(&app, &format!("{path}/%FF"), &token).await;
        assert!(response.status.is_client_error(), "{path}: {}", response.status);
        error_of(&response);
    }
}

#[tokio::test]
async fn after_leaving_the_default_group_objects_go_to_the_group_joined_first() {
    let app = TestApp::new().await;
    let (_, token) = user_with_token(&app, "alice", &["Red Team", "Blue Team"]).await;
    let (red, blue) = (group_id(&app, "Red Team").await, group_id(&app, "Blue Team").await);
    assert_eq!(set_default_source(&app, &blue.to_string()).await.status, StatusCode::OK);
    assert_eq!(create_entity(&app, &token, "before").await["source"]["id"], blue);

    server::admin::remove_from_group(&app.state, "alice", "Blue Team", &mut Vec::new())
        .await
        .expect("leave the group");

    assert_eq!(create_entity(&app, &token, "after").await["source"]["id"], red);
    let me = app.api(Method::GET, "/api/v1/me", Some(&token), None).await.json();
    assert_eq!(
        me["default_source"],
        Value::Null,
        "a default source one has left no longer counts"
    );
    assert_eq!(me["effective_source"]["id"], red);
    let profile = app.rpc("current_user", &[]).await.json();
    assert_eq!(profile["default_source"], Value::Null);
    assert_eq!(profile["effective_source"]["name"], "Red Team");
}
