use app::backend::Clock;
use server::admin;
use tessera_tests::browser::{Browser, Step as _, xpath_str};

fn row(name: &str) -> String {
    format!(
        "//table[contains(@class,'tokens')]//tr[td[1][contains(normalize-space(.), {})]]",
        xpath_str(name)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_keep_what_was_typed_and_expired_tokens_stay_listed_greyed() {
    // The server's clock is ours to move; the browser keeps real time.
    let clock = Clock::manual(chrono::Utc::now());
    let browser = Browser::start_with_clock(clock.clone()).await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("token_states", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;

            // The empty state's own button opens the dialog; Cancel closes it.
            b.press("Create your first API token").await?;
            b.heading("Create new API token").await.step("the dialog")?;
            b.press("Cancel").await?;
            b.wait_gone("//dialog").await.step("Cancel closes the dialog")?;

            // A token that expires in 2 months.
            b.press("+ Create API token").await?;
            b.fill("Name", "Quarterly sync").await.step("name")?;
            b.click(b.field("Select expiration date").await, "Select expiration date")
                .await?;
            b.choose("Expiration", "Expire in 2 months").await.step("2 months")?;
            b.press("Generate token").await?;
            b.close_uncopied().await?;

            // While the request is in flight, Generate token is disabled (the network is slowed
            // down for this one request so the state can be seen).
            b.client
                .execute(
                    "const real = window.fetch; \
                     window.fetch = (...args) => new Promise(ok => setTimeout(() => ok(real(...args)), 1500)); \
                     setTimeout(() => { window.fetch = real; }, 3000);",
                    vec![],
                )
                .await
                .step("slow the network down")?;
            b.press("+ Create API token").await?;
            b.fill("Name", "Slow one").await.step("name")?;
            b.press("Generate token").await?;
            let busy = b.button("Generating…").await.step("the busy button")?;
            if busy.attr("disabled").await.step("disabled")?.is_none() {
                return Err("Generate token is not disabled while the request is in flight".into());
            }
            b.heading("Your new API token").await.step("the token arrives")?;
            b.close_uncopied().await?;

            // The same name again: the server's refusal shows in the dialog, the typing stays.
            b.press("+ Create API token").await?;
            b.fill("Name", "Quarterly sync").await.step("the same name")?;
            b.press("Generate token").await?;
            b.wait_for("//dialog//*[contains(., 'You already have a token named \"Quarterly sync\"')]")
                .await
                .step("the duplicate is explained in the dialog")?;
            b.expect_focus("the name field", |f| f.id == "token-name").await?;
            b.audit("the create dialog refusing a duplicate name").await?;
            let typed = b
                .field("Name")
                .await
                .step("name field")?
                .prop("value")
                .await
                .step("value")?;
            if typed.as_deref() != Some("Quarterly sync") {
                return Err(format!("the typed name was lost: {typed:?}"));
            }
            b.press("Cancel").await?;
            b.wait_gone("//dialog").await.step("closed")?;

            // A description and the value's last four characters show in the list; Edit changes
            // the name and the description.
            b.press("+ Create API token").await?;
            b.fill("Name", "Feed sync").await.step("name")?;
            b.fill("Description (optional)", "Pulls the partner feed\nevery hour")
                .await
                .step("description")?;
            b.press("Generate token").await?;
            let secret = b.field_value("Token value").await.step("token value")?;
            b.close_uncopied().await?;
            let hint = format!("tsr_…{}", &secret[secret.len() - 4..]);
            b.wait_for(&format!(
                "{}//code[normalize-space(.)={}]",
                row("Feed sync"),
                xpath_str(&hint)
            ))
            .await
            .step("the hint")?;
            b.wait_for(&format!(
                "{}//*[contains(., 'Pulls the partner feed')]",
                row("Feed sync")
            ))
            .await
            .step("the description")?;
            b.press("Edit token Feed sync").await?;
            b.heading("Edit API token").await.step("the edit dialog")?;
            b.wait_for("//dialog[contains(., 'cannot be changed')]")
                .await
                .step("what cannot change")?;
            b.audit("the edit dialog").await?;
            b.fill("Name", "Partner feed").await.step("new name")?;
            b.fill("Description (optional)", "Hourly pull")
                .await
                .step("new description")?;
            // The profile form behind the dialog has a Save button too.
            b.click(
                b.wait_for("//dialog//button[normalize-space(.)='Save']").await,
                "Save in the dialog",
            )
            .await?;
            b.wait_gone("//dialog").await.step("the dialog closes")?;
            b.wait_for(&format!("{}//*[normalize-space(.)='Hourly pull']", row("Partner feed")))
                .await
                .step("the edited row")?;
            b.wait_for_focus("Edit token Partner feed").await?;
            b.wait_for("//*[@role='status'][normalize-space(.)='Token Partner feed saved.']")
                .await
                .step("the save is announced")?;

            // Rotate: a new value, the old one kept for the grace chosen; the one-time dialog
            // says until when, the row too, and the hint changes.
            b.press("Rotate token Partner feed").await?;
            b.heading("Rotate API token?").await.step("the rotate dialog")?;
            b.wait_for("//dialog//*[contains(., 'The old value will keep working until')][contains(., '(in 1 day)')]")
                .await
                .step("the grace preview (24 hours by default)")?;
            b.audit("the rotate dialog").await?;
            b.click(b.field("7 days").await, "7 days").await?;
            b.wait_for("//dialog//*[contains(., '(in 7 days)')]").await.step("the preview follows")?;
            b.choose("New expiration", "Expire in 6 months").await.step("6 months")?;
            b.wait_for("//dialog//*[contains(., 'The new value will expire on')]")
                .await
                .step("the expiry preview")?;
            b.press("Rotate token").await?;
            b.heading("Your new API token").await.step("the new value")?;
            b.wait_for("//dialog//*[starts-with(normalize-space(.), 'The old value keeps working until')]")
                .await
                .step("the one-time dialog names when the old value stops")?;
            let rotated = b.field_value("Token value").await.step("the new value")?;
            if rotated == secret {
                return Err("the rotation kept the old value".into());
            }
            b.audit("the one-time dialog after a rotation").await?;
            b.close_uncopied().await?;
            b.wait_gone("//dialog").await.step("the dialog closes")?;
            b.wait_for(&format!(
                "{}//code[normalize-space(.)={}]",
                row("Partner feed"),
                xpath_str(&format!("tsr_…{}", &rotated[rotated.len() - 4..]))
            ))
            .await
            .step("the new hint")?;
            b.wait_for(&format!("{}//*[starts-with(normalize-space(.), 'Old value works until')]", row("Partner feed")))
                .await
                .step("the grace shows in the row")?;
            b.wait_for("//*[@role='status'][starts-with(normalize-space(.), 'Token Partner feed rotated. The old value works until')]")
                .await
                .step("the rotation is announced")?;
            b.wait_for_focus("Rotate token Partner feed").await?;
            b.audit("the list with a token in its grace period").await?;

            // Cancelling a delete gives focus back to that row's delete button.
            b.press("Delete token Quarterly sync").await?;
            b.heading("Delete API token?").await.step("the confirmation")?;
            b.press("Cancel").await?;
            b.wait_gone("//dialog").await.step("closed")?;
            b.wait_for_focus("Delete token Quarterly sync").await?;

            // Three days before it expires (two months are 59 to 62 days), My profile and Edit
            // your profile say so, the avatar's name too, and the list marks it.
            let expires = stored_expiry(b, "Quarterly sync").await?;
            clock.set(expires - chrono::Duration::days(3) - chrono::Duration::hours(1));
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.wait_for("//*[@role='status'][contains(., 'Quarterly sync expires in 3 days')][contains(., 'Rotate it or create a new token.')]")
                .await
                .step("the expiry banner on My profile")?;
            let avatar = b.wait_for("//button[@aria-haspopup='menu']").await.step("the avatar")?;
            let name = avatar.attr("aria-label").await.step("its name")?.unwrap_or_default();
            if !name.ends_with("1 API token expires soon") {
                return Err(format!("the avatar's name does not warn: {name:?}"));
            }
            b.audit("My profile with an expiry banner").await?;
            // The banner's Rotate link opens that token's Rotate dialog in Edit your profile.
            b.follow("Rotate Quarterly sync").await?;
            b.heading("Rotate API token?").await.step("the rotate dialog from the banner")?;
            b.wait_for("//dialog//strong[normalize-space(.)='Quarterly sync']")
                .await
                .step("for the expiring token")?;
            b.press("Cancel").await?;
            b.wait_gone("//dialog").await.step("Cancel closes it")?;
            b.wait_for_path("/profile/edit").await.step("the address no longer asks to rotate")?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            b.wait_for(&format!("{}//*[normalize-space(.)='Expires in 3 days']", row("Quarterly sync")))
                .await
                .step("the list's pill")?;
            b.wait_for("//*[@role='status'][contains(., 'Quarterly sync expires in 3 days')]")
                .await
                .step("the expiry banner on Edit your profile")?;
            b.audit("Edit your profile with a token expiring").await?;

            // Three months on (the session has ended by then), the token is expired: still
            // listed, marked and greyed.
            clock.set(expires + chrono::Duration::days(30));
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            let expired = b.wait_for(&row("Quarterly sync")).await.step("the row")?;
            if !expired
                .attr("class")
                .await
                .step("class")?
                .unwrap_or_default()
                .contains("expired")
            {
                return Err("the expired row is not greyed".into());
            }
            b.wait_for(&format!(
                "{}/td[2]//*[normalize-space(.)='Expired']",
                row("Quarterly sync")
            ))
            .await
            .step("the Expired badge")?;
            b.audit("the list with an expired token").await?;
            if b.dom_contains("Rotate token Quarterly sync").await.step("look for Rotate")? {
                return Err("an expired token offers Rotate".into());
            }
            b.goto("/profile").await.step("My profile")?;
            b.wait_for("//dd[normalize-space(.)='2 active API tokens']")
                .await
                .step("expired tokens are not active")?;
            Ok(())
        })
        .await;
}

/// When the demo user's token `name` expires, as stored.
async fn stored_expiry(b: &Browser, name: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let tokens = b
        .state
        .store
        .tokens_of(app::backend::store::UserId(1))
        .await
        .map_err(|e| e.to_string())?;
    tokens
        .iter()
        .find(|t| t.token.name == name)
        .and_then(|t| t.token.expires_at)
        .ok_or_else(|| format!("no expiring token {name:?}"))
}
