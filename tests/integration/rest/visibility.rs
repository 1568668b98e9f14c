//! Visibility by group: an object is seen only by members of its source.

use http::StatusCode;
use tessera_tests::api::{ENTITIES, OBSERVABLES};
use tessera_tests::{TestApp, assert_error};

#[tokio::test]
async fn objects_are_visible_only_to_members_of_their_source() {
    let app = TestApp::new().await;
    let (_, x) = app.signed_in_with_token("xavier", &["Group One"]).await;
    let (_, y) = app.signed_in_with_token("yvonne", &["Group Two"]).await;
    let (_, both) = app.signed_in_with_token("zoe", &["Group One", "Group Two"]).await;
    let x_entity = x.create_entity("X's report").await;
    let x_observable = x.create_observable("domain", "x.example").await;
    let y_entity = y.create_entity("Y's report").await;
    let y_observable = y.create_observable("domain", "y.example").await;

    for (path, theirs) in [(ENTITIES, &y_entity), (OBSERVABLES, &y_observable)] {
        let id = theirs["id"].as_i64().expect("an id");
        let hidden = x.get(&format!("{path}/{id}")).await;
        let nowhere = x.get(&format!("{path}/{}", id + 1000)).await;
        let detail = assert_error(&hidden, StatusCode::NOT_FOUND, "not_found");
        assert_error(&nowhere, StatusCode::NOT_FOUND, "not_found");
        assert_eq!(
            detail,
            nowhere.error().1.replace(&(id + 1000).to_string(), &id.to_string()),
            "a hidden object reads like a missing one"
        );
    }
    assert_eq!(x.list(ENTITIES).await, vec![x_entity.clone()]);
    assert_eq!(x.list(OBSERVABLES).await, vec![x_observable.clone()]);
    assert_eq!(y.list(ENTITIES).await, vec![y_entity.clone()]);
    assert_eq!(y.list(OBSERVABLES).await, vec![y_observable.clone()]);
    let x_id = x_entity["id"].as_i64().expect("an id");
    assert_error(
        &y.get(&format!("{ENTITIES}/{x_id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    assert_eq!(both.list(ENTITIES).await, vec![y_entity.clone(), x_entity.clone()]);
    assert_eq!(
        both.list(OBSERVABLES).await,
        vec![y_observable.clone(), x_observable.clone()]
    );
    for (path, object) in [
        (ENTITIES, &x_entity),
        (ENTITIES, &y_entity),
        (OBSERVABLES, &x_observable),
        (OBSERVABLES, &y_observable),
    ] {
        let response = both.get(&format!("{path}/{}", object["id"])).await;
        assert_eq!(response.json(), *object);
    }
}
