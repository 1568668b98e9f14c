//! Token names: one line of printable text, at most 100 characters, trimmed, unique per user.

use http::StatusCode;
use serde_json::Value;
use tessera_tests::{TestApp, assert_invalid, create_token, names};

#[tokio::test]
async fn invalid_token_names_are_refused_with_the_field_and_the_reason() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let long = "n".repeat(101);
    for (name, needle) in [
        ("", "Enter a name"),
        ("   \t ", "Enter a name"),
        (long.as_str(), "at most 100"),
        ("ci\u{7}", "U+0007"),
        ("line\nbreak", "U+000A"),
        ("rtl\u{202E}gpj.exe", "U+202E"),
        ("isolate\u{2066}x", "U+2066"),
    ] {
        let response = alice.call(create_token(name, "never", "")).await;
        let message = assert_invalid(&response, "name");
        assert!(message.contains(needle), "{name:?}: {message}");
    }
    assert_eq!(alice.tokens().await, Vec::<Value>::new());

    let longest = "ñ".repeat(100);
    assert_eq!(
        alice.create_token(&longest, "never", "").await["token"]["name"],
        longest.as_str()
    );
}

#[tokio::test]
async fn a_token_name_is_trimmed_unique_per_user_and_free_again_once_deleted() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let first = alice.create_token("  CI pipeline \t", "never", "").await;
    assert_eq!(first["token"]["name"], "CI pipeline");
    alice.create_token("Équipe 🦀 export", "2", "").await;

    for duplicate in ["CI pipeline", " CI pipeline  "] {
        let response = alice.call(create_token(duplicate, "6", "")).await;
        assert_eq!(
            response.status,
            StatusCode::CONFLICT,
            "{duplicate:?}: {}",
            response.text()
        );
        let error = &response.json()["Conflict"];
        assert_eq!(error["field"], "name");
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains("\"CI pipeline\"")),
            "{error}"
        );
    }
    assert_eq!(names(&alice.tokens().await), ["Équipe 🦀 export", "CI pipeline"]);

    assert_eq!(alice.delete_token(&first["token"]["id"]).await.status, StatusCode::OK);

    let reused = alice.create_token("CI pipeline", "never", "").await;
    assert_ne!(reused["token"]["id"], first["token"]["id"]);
    assert_ne!(reused["secret"], first["secret"]);
    assert_eq!(names(&alice.tokens().await), ["CI pipeline", "Équipe 🦀 export"]);
}
