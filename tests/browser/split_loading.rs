//! The sign-in page is the server's and runs no script; it prefetches what My profile needs (the
//! client's main module, the account's split and the code it shares), which My profile then
//! takes from the cache. The client is split: the code of its pages is fetched when one of them
//! is shown or a link to one is pointed at or focused.

use app::backend::Clock;
use server::admin;
use server::config::ServeConfig;
use tessera_tests::browser::{Browser, Step as _, xpath_str};

/// The paths of the wasm files this document has fetched so far, each once: all of them, or
/// only those that came over the network (not from the cache).
async fn wasm_paths(b: &Browser, over_the_network: bool) -> Result<Vec<String>, String> {
    let paths = b
        .client
        .execute(
            "return [...new Set(performance.getEntriesByType('resource')
                .filter(entry => !arguments[0] || entry.transferSize > 0)
                .map(entry => new URL(entry.name).pathname)
                .filter(path => path.endsWith('.wasm')))];",
            vec![serde_json::Value::Bool(over_the_network)],
        )
        .await
        .step("list the wasm fetched")?;
    serde_json::from_value(paths).map_err(|e| format!("read the wasm fetched: {e}"))
}

/// The paths of the wasm files this document has fetched so far, each once.
async fn wasm_fetched(b: &Browser) -> Result<Vec<String>, String> {
    wasm_paths(b, false).await
}

/// The paths of the wasm files this document has fetched over the network, each once.
async fn wasm_over_the_network(b: &Browser) -> Result<Vec<String>, String> {
    wasm_paths(b, true).await
}

/// How many requests this document has made to `path` so far.
async fn requests_to(b: &Browser, path: &str) -> Result<u64, String> {
    let count = b
        .client
        .execute(
            "return performance.getEntriesByType('resource')
                .filter(entry => new URL(entry.name).pathname === arguments[0]).length;",
            vec![serde_json::Value::from(path)],
        )
        .await
        .step("count the requests")?;
    count
        .as_u64()
        .ok_or_else(|| format!("counted {count} requests to {path}"))
}

/// Signs in on the sign-in page shown, as the demo administrator, and waits for My profile.
async fn sign_in_as_the_demo_administrator(b: &Browser) -> Result<(), String> {
    b.submit_sign_in(admin::DEMO_ADMIN_USERNAME, admin::DEMO_ADMIN_PASSWORD)
        .await?;
    b.heading("My profile").await.step("My profile")?;
    Ok(())
}

/// Whether `paths` hold the split of the `#[lazy]` function `function`.
fn has_split(paths: &[String], function: &str) -> bool {
    paths
        .iter()
        .any(|path| path.starts_with(&format!("/split_{function}_")))
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_prefetches_my_profile_and_a_split_is_fetched_when_a_link_into_it_is_focused_or_shown() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("split_loading", async |b: &Browser| {
            b.goto("/login").await.step("open the sign-in page")?;
            b.button("Sign in").await.step("the sign-in form")?;
            let scripts = b
                .client
                .execute("return document.scripts.length;", vec![])
                .await
                .step("count the sign-in page's scripts")?;
            if scripts != serde_json::json!(0) {
                return Err(format!("the sign-in page has {scripts} scripts, not none"));
            }
            // What My profile needs comes in at idle priority: the main module, the account's
            // split and the code it shares; not the admin pages.
            let mut prefetched = Vec::new();
            for _ in 0..100 {
                prefetched = wasm_fetched(b).await?;
                if prefetched.len() >= 3 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let main = prefetched
                .iter()
                .any(|p| p.starts_with("/app-") && p.ends_with("_bg.wasm"));
            let shared = prefetched.iter().any(|p| p.starts_with("/chunk_"));
            if prefetched.len() != 3 || !main || !shared || !has_split(&prefetched, "account_page") {
                return Err(format!(
                    "the sign-in page prefetched {prefetched:?}, not the main wasm, the account's split and the shared code"
                ));
            }

            // My profile, a new document, finds them all in the cache.
            sign_in_as_the_demo_administrator(b).await?;
            let on_profile = wasm_fetched(b).await?;
            if prefetched.iter().any(|p| !on_profile.contains(p)) {
                return Err(format!(
                    "My profile did not use all of {prefetched:?}: {on_profile:?}"
                ));
            }
            let downloaded = wasm_over_the_network(b).await?;
            if !downloaded.is_empty() {
                return Err(format!(
                    "My profile downloaded again what was prefetched: {downloaded:?}"
                ));
            }
            if has_split(&on_profile, "admin_page") {
                return Err(format!(
                    "the admin pages were fetched before any was asked for: {on_profile:?}"
                ));
            }
            // The page takes the shell's answer to "who am I" instead of asking again (it would
            // ask if more than `FRESH_FOR`, 2 s, passed between the answer and the page).
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            let asked = requests_to(b, "/rpc/current_user").await?;
            if asked != 1 {
                return Err(format!("My profile asked who is signed in {asked} times, not once"));
            }
            // The rest of the account's pages came with it.
            b.follow("Edit").await?;
            b.button("+ Create API token").await.step("Edit your profile")?;
            if wasm_fetched(b).await? != on_profile {
                return Err("Edit your profile fetched more code".into());
            }

            // Moving the focus to a link into the admin pages (or pointing at it) fetches
            // their split ahead of the click.
            b.avatar().await?;
            b.client
                .execute("document.querySelector(\"a[href='/admin/users']\").focus();", vec![])
                .await
                .step("focus Administration")?;
            let mut ahead = Vec::new();
            for _ in 0..100 {
                ahead = wasm_fetched(b).await?;
                if has_split(&ahead, "admin_page") {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            if !has_split(&ahead, "admin_page") {
                return Err(format!("focusing Administration fetched nothing ahead: {ahead:?}"));
            }
            b.click(b.menu_item("Administration").await, "Administration").await?;
            b.heading("Users").await.step("the Users page")?;
            Ok(())
        })
        .await;
}

/// A copy of the built client, to take files away from.
fn copy_of_dist(into: &std::path::Path) -> std::path::PathBuf {
    let copy = into.join("dist");
    std::fs::create_dir_all(&copy).expect("dist copy");
    for entry in std::fs::read_dir(tessera_tests::browser::dist_dir()).expect("dist") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, copy.join(path.file_name().expect("a name"))).expect("copy");
        }
    }
    copy
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tab_whose_next_page_is_gone_after_an_update_says_so_and_offers_a_reload() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = copy_of_dist(dir.path());
    let served = dist.clone();
    let browser =
        Browser::start_with_config(Clock::system(), move |config| ServeConfig { dist: served, ..config }).await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("split_loading_update", async |b: &Browser| {
            b.goto("/login").await.step("open the sign-in page")?;
            sign_in_as_the_demo_administrator(b).await?;
            // An update replaces the client: the chunks this tab has not fetched yet are gone.
            let fetched = wasm_fetched(b).await?;
            for entry in std::fs::read_dir(&dist).map_err(|e| e.to_string())? {
                let path = entry.map_err(|e| e.to_string())?.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
                let is_chunk = name.starts_with("chunk_") || name.starts_with("split_");
                if is_chunk && !fetched.iter().any(|f| name.starts_with(f.trim_start_matches('/'))) {
                    std::fs::remove_file(&path).map_err(|e| e.to_string())?;
                }
            }
            b.account_menu("Administration").await?;
            b.wait_for(&format!(
                "//*[@role='alert'][starts-with(normalize-space(.), {})]//a[normalize-space(.)='Reload the page']",
                xpath_str("Tessera stopped working in this tab")
            ))
            .await
            .step("the notice that the tab stopped, with a reload link")?;
            Ok(())
        })
        .await;
}
