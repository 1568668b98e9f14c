//! The verification cache: a verified token is trusted for `REVALIDATE_AFTER`, and a
//! revocation made elsewhere whose announcement was lost is noticed once that bound has passed.

use chrono::Duration;
use http::StatusCode;
use tessera_tests::TestApp;
use tessera_tests::api::{ENTITIES, ME, assert_invalid_token};
use tessera_tests::backend::REVALIDATE_AFTER;

#[tokio::test]
async fn a_verified_token_is_not_looked_up_again_until_the_cache_bound_has_passed() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let before = app.token_lookups();

    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.token_lookups(), before + 1);
    for _ in 0..10 {
        assert_eq!(token.get(ENTITIES).await.status, StatusCode::OK);
    }
    app.clock.advance(REVALIDATE_AFTER - Duration::milliseconds(1));
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.token_lookups(), before + 1, "answered from the cache");

    app.clock.advance(Duration::milliseconds(1));
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    assert_eq!(
        app.token_lookups(),
        before + 2,
        "looked up again after REVALIDATE_AFTER"
    );
    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.token_lookups(), before + 2);
}

#[tokio::test]
async fn a_revocation_made_elsewhere_without_an_announcement_is_noticed_within_the_cache_bound() {
    let (app, _, token) = TestApp::with_token("alice").await;
    let id = token.token_id().await;

    // Another instance revokes the token and its announcement is lost: this one's cache
    // does not hear of it.
    assert!(app.revoke_in_store("alice", id).await);

    assert_eq!(token.get(ME).await.status, StatusCode::OK);
    app.clock.advance(REVALIDATE_AFTER - Duration::milliseconds(1));
    assert_eq!(token.get(ME).await.status, StatusCode::OK, "still trusted");
    app.clock.advance(Duration::milliseconds(1));
    assert_invalid_token(&app, &token.get(ME).await).await;
    app.clock.advance(Duration::milliseconds(1));
    assert_invalid_token(&app, &token.get(ME).await).await;
}
