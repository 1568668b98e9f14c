//! A token's own source: what it creates goes to that group while its owner is a member; once
//! the owner has left it the token creates nothing (422 `token_source_unavailable`), with no
//! silent fallback to another group.

use app::server_fns::CreatedToken;
use app::server_fns::tokens::EditToken;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::{ENTITIES, ME, OBSERVABLES};
use tessera_tests::{TestApp, assert_error, assert_invalid, create_token_with_access, create_token_with_source};

fn edit_source(token: &Value, source: &str) -> EditToken {
    EditToken {
        id: token["id"].as_i64().expect("an id"),
        name: token["name"].as_str().expect("a name").to_owned(),
        description: String::new(),
        source: source.to_owned(),
    }
}

#[tokio::test]
async fn a_token_with_its_own_source_attributes_there_until_its_owner_leaves_the_group() {
    let app = TestApp::new().await;
    let alice = app.signed_in("alice", &["Red Team", "Blue Team"]).await;
    let blue = alice.group_id("Blue Team").await;
    let created: CreatedToken = alice
        .call_ok(create_token_with_source("Blue feed", &blue.to_string()))
        .await;
    let own = alice.with_secret(&created.secret);
    let plain = alice.new_token("Default feed").await;
    let blue_ref = json!({"id": blue, "name": "Blue Team"});
    assert_eq!(created.token.source.as_ref().map(|g| g.id), Some(blue));
    assert!(created.token.source_available);

    // The profile default is Red Team (joined first); the token's own source wins.
    assert_eq!(own.get(ME).await.json()["effective_source"], blue_ref);
    assert_eq!(own.create_entity("Blue report").await["source"], blue_ref);
    assert_eq!(plain.create_entity("Red report").await["source"]["name"], "Red Team");

    // Alice leaves Blue Team: the token creates nothing and says why and where to change it.
    app.remove_from_group("alice", "Blue Team").await;
    for (path, body) in [
        (ENTITIES, json!({"type": "report", "title": "Lost"})),
        (OBSERVABLES, json!({"type": "domain", "value": "example.org"})),
    ] {
        let response = own.post(path, body).await;
        let detail = assert_error(&response, StatusCode::UNPROCESSABLE_ENTITY, "token_source_unavailable");
        assert!(detail.contains("Blue Team") && detail.contains("Edit"), "{detail}");
    }
    assert_eq!(own.get(ME).await.json()["effective_source"], json!(null));
    assert_eq!(plain.create_entity("Still red").await["source"]["name"], "Red Team");
    let listed = alice.tokens().await;
    let row = listed.iter().find(|t| t["name"] == "Blue feed").expect("listed");
    assert_eq!(
        (row["source"].clone(), row["source_available"].clone()),
        (blue_ref.clone(), json!(false))
    );
    assert_eq!(row["entities"], 1, "nothing was written after the owner left");

    // Back to the profile default through Edit: the token creates again.
    let edited = alice.call(edit_source(row, "")).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    assert_eq!(
        (
            edited.json()["source"].clone(),
            edited.json()["source_available"].clone()
        ),
        (json!(null), json!(true))
    );
    assert_eq!(own.create_entity("Red again").await["source"]["name"], "Red Team");
}

#[tokio::test]
async fn a_source_must_be_one_of_the_owners_groups_and_only_for_a_token_that_may_create() {
    let app = TestApp::new().await;
    let alice = app.signed_in("alice", &["Red Team"]).await;
    app.create_user("bob", &["Green Team"]).await;
    let red = alice.group_id("Red Team").await.to_string();
    let green = app.group_id("Green Team").await.to_string();

    for source in [green.as_str(), "999999", "red", "-1 OR 1=1"] {
        let response = alice.call(create_token_with_source("Elsewhere", source)).await;
        let message = assert_invalid(&response, "source");
        assert!(message.contains("one of your groups"), "{message}");
    }
    let read_only = create_token_with_access("Reader", "never", "", "read");
    let response = alice
        .call(app::server_fns::tokens::CreateToken {
            source: red.clone(),
            ..read_only.clone()
        })
        .await;
    assert!(assert_invalid(&response, "source").contains("read-only"));
    assert_eq!(alice.tokens().await, Vec::<Value>::new(), "nothing was created");

    // Editing follows the same rules.
    alice.call_ok(read_only).await;
    let reader = alice.tokens().await[0].clone();
    assert!(assert_invalid(&alice.call(edit_source(&reader, &red)).await, "source").contains("read-only"));
    let writer = alice.create_token("Writer", "never", "").await["token"].clone();
    assert!(assert_invalid(&alice.call(edit_source(&writer, &green)).await, "source").contains("one of your groups"));
    let edited = alice.call(edit_source(&writer, &red)).await;
    assert_eq!(edited.json()["source"]["name"], "Red Team", "{}", edited.text());
}
