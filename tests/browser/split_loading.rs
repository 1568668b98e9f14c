//! The client is split by page: the sign-in page runs on the main wasm alone, and a page's
//! chunks are fetched the first time it is shown, not before.

use server::admin;
use tessera_tests::browser::{Browser, Step as _};

/// The paths of the wasm files this document has fetched so far, each once.
async fn wasm_fetched(b: &Browser) -> Result<Vec<String>, String> {
    let paths = b
        .client
        .execute(
            "return [...new Set(performance.getEntriesByType('resource')
                .map(entry => new URL(entry.name).pathname)
                .filter(path => path.endsWith('.wasm')))];",
            vec![],
        )
        .await
        .step("list the wasm fetched")?;
    serde_json::from_value(paths).map_err(|e| format!("read the wasm fetched: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_needs_only_the_main_wasm_and_each_page_fetches_its_own_when_first_shown() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("split_loading", async |b: &Browser| {
            b.goto("/login").await.step("open the sign-in page")?;
            b.button("Sign in").await.step("the sign-in form")?;
            let on_sign_in = wasm_fetched(b).await?;
            if on_sign_in.len() != 1 || !on_sign_in[0].ends_with("_bg.wasm") {
                return Err(format!(
                    "the sign-in page fetched {on_sign_in:?}, not the main wasm alone"
                ));
            }

            // Signing in moves to My profile in the same document, so its fetches add up.
            b.fill("Username", "demo").await.step("type the username")?;
            b.fill("Password", admin::DEMO_PASSWORD)
                .await
                .step("type the password")?;
            b.press("Sign in").await?;
            b.heading("My profile").await.step("My profile")?;
            let on_profile = wasm_fetched(b).await?;
            // The chunks are named after the `#[lazy_route]` view they hold.
            let chunk_of =
                |paths: &[String], view: &str| paths.iter().any(|path| path.starts_with(&format!("/split___{view}_")));
            if !chunk_of(&on_profile, "profile_route_view") {
                return Err(format!("My profile came without its chunk: {on_profile:?}"));
            }
            if chunk_of(&on_profile, "edit_profile_route_view") {
                return Err(format!(
                    "Edit your profile was fetched before it was shown: {on_profile:?}"
                ));
            }

            b.follow("Edit").await?;
            b.button("+ Create API token").await.step("Edit your profile")?;
            let on_edit = wasm_fetched(b).await?;
            if !chunk_of(&on_edit, "edit_profile_route_view") {
                return Err(format!("Edit your profile came without its chunk: {on_edit:?}"));
            }
            Ok(())
        })
        .await;
}
