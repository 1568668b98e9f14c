use app::domain::add_months;
use fantoccini::key::Key;
use server::admin;
use tessera_tests::browser::{Browser, Step as _, xpath_str};

/// The row of the token list whose name is `name`.
fn row(name: &str) -> String {
    format!(
        "//table[contains(@class,'tokens')]//tr[td[1]/span[1][normalize-space(.)={}]]",
        xpath_str(name)
    )
}

async fn cell(b: &Browser, name: &str, column: usize) -> Result<String, String> {
    let el = b
        .wait_for(&format!("{}/td[{column}]", row(name)))
        .await
        .step("find a token cell")?;
    el.text().await.step("read a token cell")
}

/// The expiration date a row shows (without the "in 2 months" under it).
async fn expiry_shown(b: &Browser, name: &str) -> Result<String, String> {
    let el = b
        .wait_for(&format!("{}/td[2]/time", row(name)))
        .await
        .step("find the expiration date")?;
    el.text().await.step("read the expiration date")
}

/// Creates a token through the dialog and returns the plaintext the confirmation shows.
async fn generate(b: &Browser, name: &str) -> Result<String, String> {
    b.press("Generate token").await?;
    b.heading("Your new API token")
        .await
        .step("see the confirmation dialog")?;
    let secret = b.field_value("Token value").await.step("token value")?;
    if !secret.starts_with("tsr_") || secret.len() != 53 {
        return Err(format!("the confirmation shows {secret:?}, not a tsr_ token"));
    }
    if !b.dom_contains(name).await.step("name shown")? {
        return Err("the confirmation does not name the token".into());
    }
    Ok(secret)
}

/// Closes the one-time dialog (after a Copy, Done closes at once; before one, it asks once)
/// and checks the token is gone from the page and from every browser store.
async fn close_confirmation(b: &Browser, secret: &str, copied: bool) -> Result<(), String> {
    if copied {
        b.press("Done").await?;
        b.wait_gone("//dialog").await.step("the dialog closes")?;
    } else {
        b.close_uncopied().await?;
    }
    if b.dom_contains(secret).await.step("scan the DOM")? {
        return Err("the token text is still in the DOM after closing the dialog".into());
    }
    let kept = b
        .client
        .execute(
            "const t = arguments[0]; \
             const stored = [localStorage, sessionStorage].some(s => Object.keys(s).some(k => (k + s.getItem(k)).includes(t))); \
             return stored || location.href.includes(t) || JSON.stringify(history.state || null).includes(t);",
            vec![secret.into()],
        )
        .await
        .step("scan storage, URL and history")?;
    if kept.as_bool() != Some(false) {
        return Err("the token is kept in storage, the URL or history".into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn create_copy_list_and_delete_tokens_as_the_reference_page_describes() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    let state = browser.state.clone();

    browser
        .run("tokens_journey", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.grant_clipboard().await.step("grant clipboard permissions on this origin")?;

            // Avatar → My profile → Edit → API tokens.
            b.account_menu("My profile").await?;
            b.follow("Edit").await?;
            b.heading("Edit your profile").await.step("Edit your profile")?;
            b.heading("API tokens").await.step("API tokens section")?;
            b.wait_for("//*[contains(., 'You have no API tokens yet.')]").await.step("the empty state")?;
            b.audit("Edit your profile without tokens").await?;

            // The dialog traps focus, and Escape gives it back to the button.
            b.press("+ Create API token").await?;
            b.heading("Create new API token").await.step("see the create dialog")?;
            b.audit("the create dialog").await?;
            let described = b.field("Name").await.step("the name field")?.attr("aria-describedby").await.step("aria-describedby")?;
            if described.as_deref() != Some("token-name-hint") {
                return Err(format!("the name's hint is not its description: aria-describedby={described:?}"));
            }
            let focused = b.client.active_element().await.step("focus")?;
            if focused.attr("id").await.step("id")?.as_deref() != Some("token-name") {
                return Err("focus did not move to the name field".into());
            }
            focused.send_keys(&format!("{}{}", Key::Shift, Key::Tab)).await.step("Shift+Tab")?;
            let focused = b.client.active_element().await.step("focus")?;
            if focused.text().await.step("text")? != "Generate token" {
                return Err("Shift+Tab on the first control did not wrap to the last".into());
            }
            focused.send_keys(&Key::Escape.to_string()).await.step("Escape")?;
            b.wait_gone("//dialog").await.step("Escape closes the dialog")?;
            b.wait_for_focus("+ Create API token").await?;

            // No expiry: generate, copy, close.
            b.press("+ Create API token").await?;
            b.press("Generate token").await?;
            b.wait_for("//p[contains(., 'Enter a name for the token')]")
                .await
                .step("a missing name is explained")?;
            // Focus moves from the button to the field to fix, which names both its messages.
            b.expect_focus("the name field", |f| f.id == "token-name").await?;
            let described = b.field("Name").await.step("the name field")?.attr("aria-describedby").await.step("aria-describedby")?;
            if described.as_deref() != Some("token-name-error token-name-hint") {
                return Err(format!("the refused name is described by {described:?}"));
            }
            b.audit("the create dialog refusing an empty name").await?;
            b.fill("Name", "CI pipeline").await.step("type the name")?;
            b.wait_for("//*[@id='token-expiry-preview'][contains(., 'never expire')]").await.step("preview")?;
            let first = generate(b, "CI pipeline").await?;
            b.audit("the one-time dialog").await?;
            b.press("Copy").await?;
            let copied = "//*[@role='status']/*[normalize-space(.)='Copied']";
            b.wait_for(copied).await.step("see Copied")?;
            let clipboard = b.read_clipboard().await.step("read the clipboard")?;
            if clipboard != first {
                return Err(format!("the clipboard holds {clipboard:?}, not the token"));
            }
            // A second copy puts a new "Copied" in the live region (so it is announced again),
            // and it clears after a few seconds.
            b.client
                .execute("window.firstCopied = document.evaluate(arguments[0], document).iterateNext();", vec![copied.into()])
                .await
                .step("remember the status")?;
            b.press("Copy").await?;
            let renewed = b
                .client
                .execute_async(
                    "const [xpath, done] = arguments; const start = Date.now(); \
                     const check = () => { \
                       const now = document.evaluate(xpath, document).iterateNext(); \
                       if (now && window.firstCopied && now !== window.firstCopied) done(true); \
                       else if (Date.now() - start > 3000) done(false); else setTimeout(check, 20); }; \
                     check();",
                    vec![copied.into()],
                )
                .await
                .step("compare the status")?;
            if renewed.as_bool() != Some(true) {
                return Err("a second Copy did not renew the Copied status".into());
            }
            b.wait_gone(copied).await.step("Copied clears")?;
            close_confirmation(b, &first, true).await?;
            b.expect_focus("the new token's row", |f| f.tag == "tr" && f.name.starts_with("CI pipeline")).await?;
            b.wait_for("//*[@role='status'][normalize-space(.)='Token CI pipeline created and added to the list.']")
                .await
                .step("the creation is announced")?;
            if cell(b, "CI pipeline", 2).await? != "Never" || cell(b, "CI pipeline", 3).await? != "Never used" {
                return Err("the new token's row does not read Never / Never used".into());
            }
            let created = state.store.tokens_of(app::backend::store::UserId(1)).await.map_err(|e| e.to_string())?;
            let created = created.iter().find(|t| t.token.name == "CI pipeline").ok_or("not stored")?.token.created_at;
            if cell(b, "CI pipeline", 4).await? != created.format("%b %-d, %Y, %H:%M").to_string() {
                return Err(format!("the Created column does not show {created}"));
            }
            b.audit("the list with a token").await?;

            // Expire in 2 months: the list shows the date the server stored.
            b.press("+ Create API token").await?;
            b.fill("Name", "Quarterly report").await.step("type the name")?;
            b.click(b.field("Select expiration date").await, "Select expiration date").await?;
            b.choose("Expiration", "Expire in 2 months").await.step("choose 2 months")?;
            b.wait_for("//*[@id='token-expiry-preview'][contains(., 'will expire on')]").await.step("preview")?;
            let second = generate(b, "Quarterly report").await?;
            // Closing before copying asks once; Go back returns to the token and Copy.
            b.press("Done").await?;
            b.wait_for("//dialog//*[@role='alert'][contains(., \"You haven't copied the token. Close anyway?\")]")
                .await
                .step("the unsaved-copy question")?;
            b.expect_focus("Go back", |f| f.name == "Go back").await?;
            b.audit("the one-time dialog asking before closing").await?;
            b.press("Go back").await?;
            b.wait_gone("//dialog//*[@role='alert']").await.step("the question goes")?;
            b.expect_focus("Copy", |f| f.name == "Copy").await?;
            // The curl example names the variable, never the value.
            let example = b
                .wait_for("//dialog//pre[contains(@class,'token-example')]")
                .await
                .step("the curl example")?
                .text()
                .await
                .step("its text")?;
            if !example.contains("Authorization: Bearer $TESSERA_TOKEN") || !example.ends_with("/api/v1/me") || example.contains(&second) {
                return Err(format!("the curl example reads {example:?}"));
            }
            b.press("Copy example").await?;
            b.wait_for("//*[@role='status']/*[normalize-space(.)='Example copied']").await.step("Example copied")?;
            if b.read_clipboard().await.step("read the clipboard")? != example {
                return Err("Copy example did not copy the example".into());
            }
            // Asked once already: Done now closes.
            close_confirmation(b, &second, true).await?;
            let tokens = state.store.tokens_of(app::backend::store::UserId(1)).await.map_err(|e| e.to_string())?;
            let stored = &tokens.iter().find(|t| t.token.name == "Quarterly report").ok_or("not stored")?.token;
            let expires = stored.expires_at.ok_or("no expiry stored")?;
            if expires != add_months(stored.created_at, 2) {
                return Err(format!("stored expiry {expires} is not 2 calendar months after creation"));
            }
            let shown = expiry_shown(b, "Quarterly report").await?;
            let relative = b
                .wait_for(&format!("{}/td[2]/*[contains(@class, 'relative')]", row("Quarterly report")))
                .await
                .step("how far off the expiry is")?
                .text()
                .await
                .step("read it")?;
            // Two calendar months are 59 to 62 days: "in 59 days" or "in 2 months".
            if relative != "in 2 months" && relative != "in 59 days" {
                return Err(format!("two months ahead reads {relative:?}"));
            }
            if shown != expires.format("%b %-d, %Y, %H:%M").to_string() {
                return Err(format!("the list shows {shown:?} for an expiry of {expires}"));
            }

            // Specify exact date.
            b.press("+ Create API token").await?;
            b.fill("Name", "Incident 4711").await.step("type the name")?;
            b.click(b.field("Select expiration date").await, "Select expiration date").await?;
            b.choose("Expiration", "Specify exact date").await.step("choose an exact date")?;
            // No error before the date was touched; Generate shows it and focuses the date.
            b.wait_for("//*[@id='token-expiry-preview'][contains(., 'Choose the date and time')]")
                .await
                .step("the exact date's prompt")?;
            if !b.client.find_all(fantoccini::Locator::Css("dialog .field-error")).await.step("errors")?.is_empty() {
                return Err("an error shows before the date was touched".into());
            }
            b.audit("the create dialog with an exact date").await?;
            b.press("Generate token").await?;
            b.wait_for("//*[@id='token-expiry-preview']//*[contains(@class, 'field-error')][contains(., 'Choose a date and a time')]")
                .await
                .step("Generate explains the missing date")?;
            b.expect_focus("the date field", |f| f.id == "token-date").await?;
            let day = (chrono::Utc::now() + chrono::Duration::days(10)).format("%Y-%m-%d").to_string();
            let date = b.field("Date").await.step("date field")?;
            b.client
                .execute(
                    "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                    vec![serde_json::to_value(&date).map_err(|e| e.to_string())?, day.clone().into()],
                )
                .await
                .step("set the date")?;
            let time = b.field("Time").await.step("time field")?;
            b.client
                .execute(
                    "arguments[0].value = '14:30'; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                    vec![serde_json::to_value(&time).map_err(|e| e.to_string())?],
                )
                .await
                .step("set the time")?;
            b.wait_for("//*[@id='token-expiry-preview'][contains(., '14:30:00')]").await.step("exact preview")?;
            let third = generate(b, "Incident 4711").await?;
            // Without the Clipboard API (as on a non-secure origin), Copy selects the token instead.
            b.client
                .execute(
                    "Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });",
                    vec![],
                )
                .await
                .step("remove the Clipboard API")?;
            b.press("Copy").await?;
            b.wait_for("//*[@role='status'][contains(., 'press Ctrl+C')]").await.step("the manual copy hint")?;
            let selected = b.selected_text().await.step("selection")?;
            if selected != third {
                return Err(format!("the selection is {selected}, not the token"));
            }
            close_confirmation(b, &third, false).await?;
            let expected = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|e| e.to_string())?
                .format("%b %-d, %Y, 14:30")
                .to_string();
            if expiry_shown(b, "Incident 4711").await? != expected {
                return Err(format!("the exact-date token does not show {expected}"));
            }

            // Newest first.
            let names = b.client.find_all(fantoccini::Locator::Css("table.tokens td.token-name .token-label")).await.step("names")?;
            let mut order = Vec::new();
            for n in names {
                order.push(n.text().await.step("name")?);
            }
            if order != ["Incident 4711", "Quarterly report", "CI pipeline"] {
                return Err(format!("the list is not newest first: {order:?}"));
            }

            // Delete with confirmation.
            b.press("Delete token CI pipeline").await?;
            b.heading("Delete API token?").await.step("see the confirmation")?;
            b.wait_for("//dialog[contains(., 'stop working immediately')]").await.step("the warning")?;
            b.audit("the delete confirmation").await?;
            b.press("Delete token").await?;
            b.wait_gone(&row("CI pipeline")).await.step("the row disappears")?;
            b.wait_for("//*[@role='status'][normalize-space(.)='Token CI pipeline deleted.']")
                .await
                .step("the deletion is announced")?;
            b.wait_for(&row("Quarterly report")).await.step("the others stay")?;

            // My profile counts the active tokens.
            b.goto("/profile").await.step("open My profile")?;
            b.wait_for("//dd[normalize-space(.)='2 active API tokens']").await.step("the token summary")?;
            b.audit("My profile").await?;
            Ok(())
        })
        .await;
}
