//! "Which token is this?" and "Report as leaked" in the profile: your own tokens are named
//! with what they are; anything else gets one answer that reveals nothing.

use app::server_fns::leaks::{CheckToken, ReportToken};
use app::server_fns::{InactiveView, TokenCheckView};
use http::StatusCode;
use serde_json::json;
use tessera_tests::api::ME;
use tessera_tests::backend::PlainToken;
use tessera_tests::{Client, TestApp, assert_invalid, at};

/// `token` with its character at `position` (after the prefix) changed.
fn typo_at(token: &str, position: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[position] = if bytes[position] == b'a' { b'b' } else { b'a' };
    String::from_utf8(bytes).expect("ascii")
}

async fn check(client: &Client, token: &str) -> TokenCheckView {
    client
        .call_ok(CheckToken {
            token: token.to_owned().into(),
        })
        .await
}

#[tokio::test]
async fn your_tokens_are_named_and_anything_else_gets_the_same_answer() {
    let (app, alice, token) = TestApp::with_token("alice").await;
    let bob = app.signed_in("bob", &["Threat Research"]).await;
    let bobs = bob.new_token("bob's").await;
    token.get(ME).await;

    let TokenCheckView::Yours {
        token: found,
        old_value_until,
    } = check(&alice, &format!("  {}\n", token.token())).await
    else {
        panic!("alice's own token is not recognised");
    };
    assert_eq!(found.name, "alice's token");
    assert_eq!(old_value_until, None);
    assert_eq!(check(&alice, bobs.token()).await, TokenCheckView::NotYours);
    assert_eq!(
        check(&alice, PlainToken::generate().expose()).await,
        TokenCheckView::NotYours
    );

    // Replaced by a rotation: the old value is named while it still works.
    let (_, renewed) = token.rotated(json!({"grace": "1h"})).await;
    let TokenCheckView::Yours { old_value_until, .. } = check(&alice, token.token()).await else {
        panic!("the old value in its grace period is not recognised");
    };
    assert_eq!(old_value_until, Some(at("2026-01-01T01:00:00Z")));
    app.clock.set(at("2026-01-01T01:00:00Z"));
    alice.sign_in_as("alice").await;
    assert_eq!(
        check(&alice, token.token()).await,
        TokenCheckView::YoursInactive {
            name: "alice's token".into(),
            why: InactiveView::Replaced
        }
    );

    // Deleted and expired ones: "nothing to do".
    let id = renewed.token_id().await;
    assert_eq!(alice.delete_token(&json!(id)).await.status, StatusCode::OK);
    assert_eq!(
        check(&alice, renewed.token()).await,
        TokenCheckView::YoursInactive {
            name: "alice's token".into(),
            why: InactiveView::Deleted(app.clock.now())
        }
    );
    let short = alice.create_token("short", "exact", "2026-01-01T02:00:00Z").await;
    app.clock.set(at("2026-01-01T03:00:00Z"));
    assert_eq!(
        check(&alice, short["secret"].as_str().expect("a secret")).await,
        TokenCheckView::YoursInactive {
            name: "short".into(),
            why: InactiveView::Expired(at("2026-01-01T02:00:00Z"))
        }
    );
}

#[tokio::test]
async fn a_malformed_value_gets_the_formats_words_and_checks_are_limited() {
    let (_app, alice) = TestApp::with_user("alice").await;
    let good = PlainToken::generate().expose().to_owned();
    for (bad, words) in [
        ("ghp_abc".to_owned(), "starts with tsr_"),
        (good[..40].to_owned(), "has 53 characters"),
        (format!("{}-{}", &good[..20], &good[21..]), "only letters and digits"),
        (typo_at(&good, 10), "mistyped or cut short"),
    ] {
        let response = alice
            .call(CheckToken {
                token: bad.clone().into(),
            })
            .await;
        let message = assert_invalid(&response, "token");
        assert!(message.contains(words), "{bad}: {message}");
    }
    // Four checks made; sixteen more are allowed this minute, then 429.
    for _ in 0..16 {
        check(&alice, &good).await;
    }
    let refused = alice
        .call(CheckToken {
            token: good.clone().into(),
        })
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.text());
}

#[tokio::test]
async fn reporting_a_token_as_leaked_revokes_it_if_valid_and_answers_alike() {
    let (app, alice) = TestApp::with_user("alice").await;
    let (bob, bobs) = app.signed_in_with_token("bob", &["Threat Research"]).await;

    for value in [bobs.token().to_owned(), PlainToken::generate().expose().to_owned()] {
        let response = alice.call(ReportToken { token: value.into() }).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_eq!(response.text(), "null");
    }

    assert_eq!(bobs.get(ME).await.status, StatusCode::UNAUTHORIZED);
    let notices = bob.profile().await.exposed_tokens;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].name, "bob's token");
    let malformed = alice
        .call(ReportToken {
            token: "tsr_nope".to_owned().into(),
        })
        .await;
    assert_invalid(&malformed, "token");
}
