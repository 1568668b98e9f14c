//! Attribution to a source: objects created with a token go to the default source chosen in
//! the profile, else to the group joined first, and never to a group the user is not in.

use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::{ENTITIES, ME, OBSERVABLES};
use tessera_tests::backend::REVALIDATE_AFTER;
use tessera_tests::{Client, TestApp, assert_error};

/// Alice, in the groups "Red Team" (joined first) and "Blue Team", and her token.
struct Teams {
    alice: Client,
    token: Client,
    red: i64,
    blue: i64,
    red_ref: Value,
    blue_ref: Value,
}

async fn teams(app: &TestApp) -> Teams {
    let (alice, token) = app.signed_in_with_token("alice", &["Red Team", "Blue Team"]).await;
    let red = alice.group_id("Red Team").await;
    let blue = alice.group_id("Blue Team").await;
    Teams {
        red_ref: json!({"id": red, "name": "Red Team"}),
        blue_ref: json!({"id": blue, "name": "Blue Team"}),
        alice,
        token,
        red,
        blue,
    }
}

// A default source chosen on this instance applies to the very next request: the change
// evicts the owner's tokens from the verification cache.
#[tokio::test]
async fn new_objects_are_attributed_to_the_default_source_chosen_in_the_profile_at_once() {
    let app = TestApp::new().await;
    let Teams {
        alice,
        token,
        red,
        blue,
        red_ref,
        blue_ref,
    } = teams(&app).await;

    let chosen = alice.set_default_source(&blue.to_string()).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    assert_eq!(chosen.json()["default_source"], blue_ref);
    assert_eq!(token.create_entity("first").await["source"], blue_ref);

    let chosen = alice.set_default_source(&red.to_string()).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    assert_eq!(
        token.create_entity("second").await["source"],
        red_ref,
        "the next create after changing the default source"
    );
    assert_eq!(token.create_observable("ipv4", "192.0.2.1").await["source"], red_ref);
    let me = token.get(ME).await.json();
    assert_eq!(me["default_source"], red_ref);
    assert_eq!(me["effective_source"], red_ref);

    alice.set_default_source(&blue.to_string()).await;
    assert_eq!(token.create_entity("third").await["source"], blue_ref);
    let cleared = alice.set_default_source("").await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text());
    assert_eq!(cleared.json()["default_source"], json!(null));
    assert_eq!(
        token.create_entity("fourth").await["source"],
        red_ref,
        "without a default, the group joined first"
    );
}

// The same journey as above, each change given the verification cache's time to pass: the
// attribution rules themselves hold.
#[tokio::test]
async fn after_the_cache_bound_new_objects_follow_the_chosen_default_source() {
    let app = TestApp::new().await;
    let Teams {
        alice,
        token,
        red,
        blue,
        red_ref,
        blue_ref,
    } = teams(&app).await;
    assert_eq!(token.create_entity("zeroth").await["source"], red_ref);

    for (choice, expected) in [
        (blue.to_string(), &blue_ref),
        (red.to_string(), &red_ref),
        (blue.to_string(), &blue_ref),
        (String::new(), &red_ref),
    ] {
        let chosen = alice.set_default_source(&choice).await;
        assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
        app.clock.advance(REVALIDATE_AFTER);
        assert_eq!(token.create_entity("x").await["source"], *expected, "{choice:?}");
        assert_eq!(
            token.create_observable("domain", "example.com").await["source"],
            *expected,
            "{choice:?}"
        );
        assert_eq!(token.get(ME).await.json()["effective_source"], *expected);
    }
}

#[tokio::test]
async fn a_default_source_the_user_is_not_in_falls_back_to_the_group_joined_first() {
    let app = TestApp::new().await;
    app.create_user("bob", &["Elsewhere"]).await;
    let (alice, token) = app.signed_in_with_token("alice", &["Red Team", "Blue Team"]).await;
    let red = alice.group_id("Red Team").await;
    // As if alice had chosen a group and left it since.
    app.set_default_source_in_store("alice", "Elsewhere").await;

    let me = token.get(ME).await.json();

    assert_eq!(me["default_source"], json!(null));
    assert_eq!(me["effective_source"], json!({"id": red, "name": "Red Team"}));
    let entity = token.create_entity("attributed to Red").await;
    assert_eq!(entity["source"], json!({"id": red, "name": "Red Team"}));
    let observable = token.create_observable("ipv4", "192.0.2.1").await;
    assert_eq!(observable["source"]["id"], red);
}

#[tokio::test]
async fn a_user_in_no_group_cannot_create_objects() {
    let app = TestApp::new().await;
    let (_, token) = app.signed_in_with_token("loner", &[]).await;

    let me = token.get(ME).await.json();
    assert_eq!(me["groups"], json!([]));
    assert_eq!(me["default_source"], json!(null));
    assert_eq!(me["effective_source"], json!(null));

    let entity = token.post(ENTITIES, json!({"type": "report", "title": "orphan"})).await;
    let observable = token
        .post(OBSERVABLES, json!({"type": "ipv4", "value": "192.0.2.1"}))
        .await;

    let detail = assert_error(&entity, StatusCode::UNPROCESSABLE_ENTITY, "no_source");
    assert!(detail.contains("group"), "{detail}");
    assert_error(&observable, StatusCode::UNPROCESSABLE_ENTITY, "no_source");
    assert_eq!(token.list(ENTITIES).await, Vec::<Value>::new());
    assert_eq!(token.list(OBSERVABLES).await, Vec::<Value>::new());
}

#[tokio::test]
async fn the_default_source_must_be_one_of_the_users_own_groups() {
    let app = TestApp::new().await;
    app.create_user("bob", &["Elsewhere"]).await;
    let (alice, token) = app.signed_in_with_token("alice", &["Red Team"]).await;
    let elsewhere = app.group_id("Elsewhere").await;

    for choice in [
        elsewhere.to_string(),
        "999999".to_owned(),
        "abc".to_owned(),
        "1.5".to_owned(),
    ] {
        let response = alice.set_default_source(&choice).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{choice:?}: {}",
            response.text()
        );
        assert_eq!(response.json()["Invalid"]["field"], "default_source", "{choice:?}");
    }
    assert_eq!(alice.current_user().await["default_source"], json!(null));
    assert_eq!(token.get(ME).await.json()["default_source"], json!(null));
}

#[tokio::test]
async fn after_leaving_the_default_group_objects_go_to_the_group_joined_first() {
    let app = TestApp::new().await;
    let (alice, token) = app.signed_in_with_token("alice", &["Red Team", "Blue Team"]).await;
    let (red, blue) = (alice.group_id("Red Team").await, alice.group_id("Blue Team").await);
    assert_eq!(alice.set_default_source(&blue.to_string()).await.status, StatusCode::OK);
    assert_eq!(token.create_entity("before").await["source"]["id"], blue);

    app.remove_from_group("alice", "Blue Team").await;

    assert_eq!(token.create_entity("after").await["source"]["id"], red);
    let me = token.get(ME).await.json();
    assert_eq!(
        me["default_source"],
        Value::Null,
        "a default source one has left no longer counts"
    );
    assert_eq!(me["effective_source"]["id"], red);
    let profile = alice.current_user().await;
    assert_eq!(profile["default_source"], Value::Null);
    assert_eq!(profile["effective_source"]["name"], "Red Team");
}
