//! When the server cannot say who is signed in (it fails, or cannot be reached), the page says
//! so and offers to ask again: it does not send a person who may well be signed in to the
//! sign-in page, which would send them straight back.

use server::admin;
use tessera_tests::browser::{Browser, Step as _};

/// Makes this document's "who am I" calls fail with a server error (`on`) or work again.
async fn fail_who_am_i(b: &Browser, on: bool) -> Result<(), String> {
    b.client
        .execute(
            "if (!window.tesseraFetch) window.tesseraFetch = window.fetch; \
             const failing = arguments[0]; \
             window.fetch = (request, init) => { \
               const url = typeof request === 'string' ? request : request.url; \
               if (failing && url.includes('/rpc/current_user')) \
                 return Promise.resolve(new Response('\"Internal\"', \
                   { status: 500, headers: { 'content-type': 'application/json' } })); \
               return window.tesseraFetch(request, init); \
             };",
            vec![serde_json::Value::Bool(on)],
        )
        .await
        .map(|_| ())
        .step("change the answers to who am I")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_who_am_i_says_why_and_offers_to_ask_again_instead_of_signing_out() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("auth_unknown", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.follow("Edit").await?;
            b.heading("Edit your profile").await.step("Edit your profile")?;
            fail_who_am_i(b, true).await?;
            // My profile asks again who is signed in as it opens once the last answer is
            // older than the client's `FRESH_FOR` (2 s, `Auth::refresh_unless_fresh`): wait
            // that long and a margin.
            tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
            b.account_menu("My profile").await?;
            b.wait_for("//*[@role='alert'][contains(., 'Something went wrong on our side')]")
                .await
                .step("the reason, not the sign-in page")?;
            b.button("Try again").await.step("a button to ask again")?;
            b.audit("who am I failing").await?;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if b.path().await.step("where the page is")? != "/profile" {
                return Err("a failing who am I left the page".into());
            }
            fail_who_am_i(b, false).await?;
            b.press("Try again").await?;
            b.heading("My profile")
                .await
                .step("My profile once the server answers")?;
            Ok(())
        })
        .await;
}
