//! The OpenAPI document: public, a description of every route, and exact about the answers,
//! types and formats (the contract test checks the server keeps to it).

use std::collections::BTreeSet;

use app::backend::objects::MAX_PAGE;
use app::domain::{EntityType, ObservableType};
use http::StatusCode;
use serde_json::json;
use tessera_tests::TestApp;
use tessera_tests::api::OPENAPI;

#[tokio::test]
async fn the_openapi_document_needs_no_token_and_describes_every_route() {
    let app = TestApp::new().await;

    let response = app.anonymous().get(OPENAPI).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.assert_json_content_type();
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
        ("/api/v1/entities/{id}", "delete"),
        ("/api/v1/observables", "get"),
        ("/api/v1/observables", "post"),
        ("/api/v1/observables/{id}", "get"),
        ("/api/v1/observables/{id}", "delete"),
        ("/api/v1/tokens/current", "delete"),
        ("/api/v1/tokens/current/rotate", "post"),
        ("/api/v1/credentials/revoke", "post"),
    ]
    .into_iter()
    .collect();
    assert_eq!(documented, expected);
    // Reporting leaked tokens needs no token: it is for scanners and strangers.
    let report = &doc["paths"]["/api/v1/credentials/revoke"]["post"];
    assert_eq!(report["security"], json!([{}]), "{report}");
    assert!(report["responses"]["202"].is_object(), "{report}");
    for (path, method) in expected
        .iter()
        .filter(|(path, _)| !path.starts_with("/api/v1/credentials"))
    {
        let operation = &doc["paths"][path][method];
        assert_eq!(operation["security"], json!([{"bearer": []}]), "{method} {path}");
        assert!(operation["responses"]["401"].is_object(), "{method} {path}");
    }
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");

    // A bad token does not stand in the way either.
    let with_bad_token = app.bearer("tsr_nonsense").get(OPENAPI).await;
    assert_eq!(with_bad_token.status, StatusCode::OK);
    assert_eq!(with_bad_token.json(), doc);
}

#[tokio::test]
async fn the_document_states_every_answer_accepted_type_and_format() {
    let app = TestApp::new().await;
    let doc = app.anonymous().get(OPENAPI).await.json();
    let schemas = &doc["components"]["schemas"];

    let entity_types: Vec<&str> = EntityType::ALL.iter().map(EntityType::as_str).collect();
    assert_eq!(schemas["NewEntity"]["properties"]["type"]["enum"], json!(entity_types));
    assert_eq!(schemas["Entity"]["properties"]["type"]["enum"], json!(entity_types));
    assert_eq!(schemas["NewEntity"]["additionalProperties"], json!(false));
    assert_eq!(schemas["NewEntity"]["required"], json!(["type", "title"]));
    let observable_types: Vec<&str> = ObservableType::ALL.iter().map(ObservableType::as_str).collect();
    assert_eq!(
        schemas["Observable"]["properties"]["type"]["enum"],
        json!(observable_types)
    );
    let new_observable = &schemas["NewObservable"];
    assert_eq!(new_observable["discriminator"]["propertyName"], "type");
    assert_eq!(
        new_observable["oneOf"].as_array().map(Vec::len),
        Some(ObservableType::ALL.len())
    );
    for kind in ObservableType::ALL {
        let location = new_observable["discriminator"]["mapping"][kind.as_str()]
            .as_str()
            .unwrap_or_else(|| panic!("{kind} is not mapped"));
        let variant = &schemas[location.trim_start_matches("#/components/schemas/")];
        assert_eq!(variant["properties"]["type"]["enum"], json!([kind.as_str()]), "{kind}");
        assert_eq!(variant["additionalProperties"], json!(false), "{kind}");
        let shape = kind.shape();
        let value = &variant["properties"]["value"];
        assert_eq!(value["format"].as_str(), shape.format, "{kind}");
        assert_eq!(value["examples"], json!([shape.example]), "{kind}");
    }
    for (name, field) in [
        ("Entity", "created_at"),
        ("Observable", "created_at"),
        ("TokenRef", "created_at"),
    ] {
        assert_eq!(
            schemas[name]["properties"][field]["format"], "date-time",
            "{name}.{field}"
        );
    }
    for name in ["Entity", "Observable", "GroupRef", "TokenRef"] {
        assert_eq!(schemas[name]["properties"]["id"]["format"], "int64", "{name}");
    }

    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let responses = &operation["responses"];
            let mut expected = vec!["413", "421", "500", "503"];
            if operation["security"] == json!([{"bearer": []}]) {
                expected.push("401");
                assert!(
                    responses["401"]["headers"]["WWW-Authenticate"].is_object(),
                    "{method} {path}"
                );
            } else {
                assert!(responses.get("401").is_none(), "{method} {path} needs no token");
            }
            if operation.get("requestBody").is_some() {
                expected.extend(["400", "415"]);
            }
            if method == "post" && ["/api/v1/entities", "/api/v1/observables"].contains(&path.as_str()) {
                expected.extend(["403", "422", "429"]);
            }
            for status in expected {
                let answer = &responses[status];
                assert!(
                    answer["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status}"
                );
                assert_eq!(
                    answer["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorEnvelope",
                    "{method} {path} {status}"
                );
            }
            if responses.get("429").is_some() {
                assert!(
                    responses["429"]["headers"]["Retry-After"].is_object(),
                    "{method} {path}"
                );
            }
        }
    }
    let limit = &doc["paths"]["/api/v1/entities"]["get"]["parameters"][0];
    assert_eq!(
        (limit["name"].as_str(), limit["in"].as_str()),
        (Some("limit"), Some("query"))
    );
    assert_eq!(limit["schema"]["maximum"], json!(MAX_PAGE));
}
