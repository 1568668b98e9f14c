//! Going from page to page: links to the client's pages are followed inside the page (no new
//! document), back and forward show the pages before and after, an address that stands for
//! another is replaced by it, and links to what is not the client's (the REST API, an unknown
//! address) are left to the browser.

use server::admin;
use tessera_tests::browser::{Browser, Step as _};

/// Marks the document shown now, to tell later whether a navigation loaded a new one.
async fn mark_document(b: &Browser) -> Result<(), String> {
    b.client
        .execute("window.tesseraSameDocument = true;", vec![])
        .await
        .step("mark the document")?;
    Ok(())
}

/// Whether the document marked by `mark_document` is still the one shown.
async fn same_document(b: &Browser) -> Result<bool, String> {
    let marked = b
        .client
        .execute("return window.tesseraSameDocument === true;", vec![])
        .await
        .step("look for the mark")?;
    Ok(marked == serde_json::Value::Bool(true))
}

/// How many entries the tab's history has.
async fn history_length(b: &Browser) -> Result<u64, String> {
    let length = b
        .client
        .execute("return history.length;", vec![])
        .await
        .step("read the history's length")?;
    length.as_u64().ok_or_else(|| format!("history.length is {length}"))
}

/// Adds a link to `href` at the top of the page and clicks it.
async fn click_new_link(b: &Browser, href: &str) -> Result<(), String> {
    b.client
        .execute(
            "const a = document.createElement('a');
             a.href = arguments[0];
             a.textContent = 'added link';
             document.body.prepend(a);",
            vec![serde_json::Value::from(href)],
        )
        .await
        .step("add a link")?;
    b.follow("added link").await
}

#[tokio::test(flavor = "multi_thread")]
async fn links_back_and_forward_stay_in_the_client_and_other_addresses_are_the_browsers() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("navigation", async |b: &Browser| {
            // `/` stands for My profile: the address is replaced, not added to.
            b.goto("/login?next=/").await.step("open the sign-in page")?;
            let before_sign_in = history_length(b).await?;
            b.submit_sign_in(admin::DEMO_ADMIN_USERNAME, admin::DEMO_ADMIN_PASSWORD)
                .await?;
            b.heading("My profile").await.step("My profile for /")?;
            b.wait_for_path("/profile").await.step("/ replaced by /profile")?;
            let signed_in = history_length(b).await?;
            if signed_in != before_sign_in + 1 {
                return Err(format!(
                    "signing in to / took the history from {before_sign_in} to {signed_in} entries, not one more"
                ));
            }
            mark_document(b).await?;

            b.follow("Edit").await?;
            b.heading("Edit your profile").await.step("Edit your profile")?;
            b.wait_for_path("/profile/edit").await.step("at /profile/edit")?;
            b.follow("Data").await?;
            b.wait_for_path("/data").await.step("at /data")?;
            b.heading("Data").await.step("the Data page")?;

            b.client.back().await.step("go back")?;
            b.heading("Edit your profile").await.step("back on Edit your profile")?;
            b.wait_for_path("/profile/edit").await.step("back at /profile/edit")?;
            b.client.back().await.step("go back again")?;
            b.heading("My profile").await.step("back on My profile")?;
            b.wait_for_path("/profile").await.step("back at /profile")?;
            b.client.forward().await.step("go forward")?;
            b.heading("Edit your profile")
                .await
                .step("forward to Edit your profile")?;
            if !same_document(b).await? {
                return Err("following links, back and forward loaded a new document".into());
            }

            // `/admin` stands for Users; its search is in the address.
            click_new_link(b, "/admin").await?;
            b.heading("Users").await.step("Users for /admin")?;
            b.wait_for_path("/admin/users")
                .await
                .step("/admin replaced by /admin/users")?;
            let admin_row = "//a[@href='/admin/users/admin']";
            b.wait_for(admin_row).await.step("the administrator listed")?;
            b.fill("Search users", "demo").await.step("type a search")?;
            b.press("Search").await?;
            b.wait_for_path("/admin/users?q=demo")
                .await
                .step("the search in the address")?;
            b.wait_gone(admin_row).await.step("the list filtered")?;
            // A user's page takes the name from the address.
            b.click(b.wait_for("//a[@href='/admin/users/demo']").await, "the user demo")
                .await?;
            b.wait_for_path("/admin/users/demo").await.step("at the user's page")?;
            b.wait_for("//span[normalize-space(.)='@demo']")
                .await
                .step("demo's page")?;
            b.client.back().await.step("back to the search")?;
            b.wait_for_path("/admin/users?q=demo")
                .await
                .step("back at the search")?;
            b.client.back().await.step("back from the search")?;
            b.wait_for_path("/admin/users").await.step("back to all users")?;
            b.wait_for(admin_row).await.step("every user listed again")?;
            b.client.back().await.step("back from Users")?;
            b.heading("Edit your profile")
                .await
                .step("Edit your profile before /admin")?;
            if !same_document(b).await? {
                return Err("the admin pages loaded a new document".into());
            }

            // Not the client's: the browser loads them.
            click_new_link(b, "/nowhere").await?;
            b.heading("Page not found").await.step("an unknown address")?;
            b.wait_for_path("/nowhere").await.step("at /nowhere")?;
            if same_document(b).await? {
                return Err("an unknown address was shown without asking the server".into());
            }
            mark_document(b).await?;
            click_new_link(b, "/api/v1/me").await?;
            let answer = b.wait_for("//pre").await.step("the REST API's own answer")?;
            let text = answer.text().await.step("read the answer")?;
            if same_document(b).await? || !text.contains("error") {
                return Err(format!("a link to the REST API did not reach it: {text}"));
            }
            Ok(())
        })
        .await;
}
