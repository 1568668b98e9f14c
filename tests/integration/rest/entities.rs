//! Entities: created with what was stored, refused with the field named, read back by id.

use chrono::Duration;
use http::StatusCode;
use serde_json::{Value, json};
use tessera_tests::api::{ENTITIES, OBSERVABLES};
use tessera_tests::{TestApp, assert_error};

#[tokio::test]
async fn creating_an_entity_answers_201_with_what_was_stored() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let research = alice.group_id("Threat Research").await;
    app.clock.advance(Duration::milliseconds(1_234));

    let response = token
        .post(
            ENTITIES,
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
        let response = token
            .post(
                ENTITIES,
                json!({"type": "ttp", "title": "No description", "description": description}),
            )
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        assert_eq!(response.json()["description"], json!(null));
    }
    let bare = token.create_entity("Without the field").await;
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
        let response = token.post(ENTITIES, json!({"type": kind, "title": kind})).await;
        assert_eq!(response.status, StatusCode::CREATED, "{kind}: {}", response.text());
        assert_eq!(response.json()["type"], kind);
    }
}

#[tokio::test]
async fn invalid_entity_fields_are_refused_with_the_field_named() {
    let (_app, _, token) = TestApp::with_token("alice").await;
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
        let response = token
            .post(
                ENTITIES,
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
    assert_eq!(token.list(ENTITIES).await, Vec::<Value>::new());
    let longest = "ñ".repeat(500);
    assert_eq!(token.create_entity(&longest).await["title"], longest.as_str());
}

#[tokio::test]
async fn an_entity_can_be_read_back_by_id_and_a_missing_one_is_404() {
    let (_app, _, token) = TestApp::with_token("alice").await;
    let entity = token.create_entity("Read me back").await;
    let id = entity["id"].as_i64().expect("an id");

    let response = token.get(&format!("{ENTITIES}/{id}")).await;

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
        let response = token.get(&format!("{ENTITIES}/{missing}")).await;
        let detail = assert_error(&response, StatusCode::NOT_FOUND, "not_found");
        assert!(detail.contains("entity"), "{missing}: {detail}");
    }
    // An entity's id is not an observable's.
    let response = token.get(&format!("{OBSERVABLES}/{id}")).await;
    assert_error(&response, StatusCode::NOT_FOUND, "not_found");
}
