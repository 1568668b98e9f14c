//! A token's description, its visible hint, and editing its name and description: the
//! value, expiry and access never change.

use app::server_fns::tokens::{CreateToken, EditToken};
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::ME;
use tessera_tests::{TestApp, assert_invalid, names};

fn create(name: &str, description: &str) -> CreateToken {
    CreateToken {
        name: name.to_owned(),
        expiry: "6".to_owned(),
        expires_at: String::new(),
        access: "read".to_owned(),
        description: description.to_owned(),
        source: String::new(),
    }
}

fn edit(token: &Value, name: &str, description: &str) -> EditToken {
    EditToken {
        id: token["id"].as_i64().expect("an id"),
        name: name.to_owned(),
        description: description.to_owned(),
        source: String::new(),
    }
}

#[tokio::test]
async fn a_token_keeps_its_description_and_shows_the_last_four_characters_of_its_value() {
    let (_app, alice) = TestApp::with_user("alice").await;

    let created = alice
        .call(create("Nightly export", "  Runs at 02:00\n\ton the SIEM host  "))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    let created = created.json();
    let secret = created["secret"].as_str().expect("a secret");
    assert_eq!(created["token"]["description"], "Runs at 02:00\n\ton the SIEM host");
    assert_eq!(created["token"]["hint"], secret[secret.len() - 4..]);
    assert_eq!(alice.tokens().await, vec![created["token"].clone()]);

    // Too long, or with a text-direction override: refused, nothing created.
    for bad in ["d".repeat(501), "left\u{202E}right".to_owned()] {
        let response = alice.call(create("Another", &bad)).await;
        let message = assert_invalid(&response, "description");
        assert!(message.contains("description"), "{message}");
    }
    assert_eq!(names(&alice.tokens().await), ["Nightly export"]);
}

#[tokio::test]
async fn editing_changes_the_name_and_description_only_and_me_shows_the_new_name_at_once() {
    let (app, alice) = TestApp::with_user("alice").await;
    let created = alice.call_ok(create("Nightly export", "first words")).await;
    let token = alice.with_secret(&created.secret);
    assert_eq!(token.get(ME).await.json()["token"]["name"], "Nightly export");
    let before = alice.tokens().await[0].clone();

    let edited = alice
        .call(edit(&before, "  SIEM export ", " Moved to the new host "))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    let mut expected = before.clone();
    expected["name"] = json!("SIEM export");
    expected["description"] = json!("Moved to the new host");
    assert_eq!(edited.json(), expected, "only the name and the description change");
    assert_eq!(alice.tokens().await, vec![expected.clone()]);
    // The verified token's cached copy was dropped: /me names it anew.
    assert_eq!(token.get(ME).await.json()["token"]["name"], "SIEM export");

    // A blank description removes it.
    let cleared = alice.call(edit(&before, "SIEM export", "   ")).await;
    assert_eq!(cleared.json()["description"], json!(null));

    // Bad input is refused with the field named; nothing changes.
    assert_invalid(&alice.call(edit(&before, "  ", "")).await, "name");
    assert_invalid(
        &alice.call(edit(&before, "SIEM export", &"d".repeat(501))).await,
        "description",
    );
    let other = alice.create_token("Other", "never", "").await;
    let taken = alice.call(edit(&other["token"], "SIEM export", "")).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text());
    assert_eq!(taken.json()["Conflict"]["field"], "name");
    assert_eq!(names(&alice.tokens().await), ["Other", "SIEM export"]);

    // Someone else's token, a missing one and a deleted one get the same answer.
    let bob = app.signed_in("bob", &[]).await;
    let theirs = bob.call(edit(&before, "Mine now", "")).await;
    let missing = bob.call(edit(&json!({"id": 999_999}), "Mine now", "")).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.text());
    assert_eq!(theirs.body, missing.body);
    alice.delete_token(&other["token"]["id"]).await;
    let deleted = alice.call(edit(&other["token"], "Back", "")).await;
    assert_eq!(deleted.body, missing.body);
    assert_eq!(names(&alice.tokens().await), ["SIEM export"]);
}
