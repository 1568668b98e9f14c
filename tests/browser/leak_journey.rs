use http::{Method, StatusCode};
use serde_json::json;
use server::admin;
use tessera_tests::backend::PlainToken;
use tessera_tests::browser::{Browser, Step as _, http, xpath_str};

/// Creates a never-expiring token named `name` in the open Edit your profile; answers its value.
async fn create(b: &Browser, name: &str) -> Result<String, String> {
    b.press("+ Create API token").await?;
    b.fill("Name", name).await.step("name")?;
    b.press("Generate token").await?;
    let value = b.field_value("Token value").await.step("the value")?;
    b.close_uncopied().await?;
    b.wait_gone("//dialog").await.step("closed")?;
    Ok(value)
}

#[tokio::test(flavor = "multi_thread")]
async fn which_token_is_this_revoke_report_and_the_exposure_notice() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    let stranger = PlainToken::generate().expose().to_owned();

    browser
        .run("leak_journey", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            let mine = create(b, "Feed sync").await?;

            b.press("Check a token…").await?;
            b.heading("Which token is this?").await.step("the dialog")?;
            let field = b.field("Token").await.step("the Token field")?;
            for (attr, wanted) in [("type", "password"), ("autocomplete", "off"), ("spellcheck", "false")] {
                let got = field.attr(attr).await.step(attr)?;
                if got.as_deref() != Some(wanted) {
                    return Err(format!("the Token field's {attr} is {got:?}, not {wanted:?}"));
                }
            }
            b.audit("the Which token is this? dialog").await?;

            // The format is checked in the browser with the server's words.
            b.fill("Token", "tsr_abc").await.step("a short value")?;
            b.press("Check").await?;
            b.wait_for("//dialog//*[@id='check-token-error'][normalize-space(.)='A Tessera token has 53 characters.']")
                .await
                .step("the length is explained")?;
            b.expect_focus("the Token field", |f| f.id == "check-token-value").await?;
            let typo = format!("{}{}", &mine[..52], if mine.ends_with('A') { 'B' } else { 'A' });
            b.fill("Token", &typo).await.step("a typo")?;
            b.press("Check").await?;
            b.wait_for("//dialog//*[contains(., 'The checksum does not match: the token was mistyped or cut short.')]")
                .await
                .step("the checksum is explained")?;
            b.audit("the Which token is this? dialog refusing a typo").await?;

            // Show reveals the value; pressed again, hides it.
            b.press("Show").await?;
            let shown = b.field("Token").await.step("field")?.attr("type").await.step("type")?;
            let pressed = b.button("Show").await.step("Show")?.attr("aria-pressed").await.step("pressed")?;
            if shown.as_deref() != Some("text") || pressed.as_deref() != Some("true") {
                return Err(format!("Show did not reveal the value: type {shown:?}, aria-pressed {pressed:?}"));
            }
            b.press("Show").await?;

            // Your own token: named, and revoked from here after an inline confirmation.
            b.fill("Token", &mine).await.step("my token")?;
            b.press("Check").await?;
            b.wait_for("//dialog//*[starts-with(normalize-space(.), 'This is your token Feed sync, created')][contains(., 'never used')]")
                .await
                .step("my token is named")?;
            b.audit("the Which token is this? dialog with your token").await?;
            b.press("Revoke now").await?;
            b.wait_for("//dialog//*[contains(., 'Revoke Feed sync now?')]").await.step("the confirmation")?;
            b.press("Revoke token").await?;
            b.wait_for("//dialog//*[normalize-space(.)='Revoked. It no longer works.']")
                .await
                .step("revoked")?;
            let (status, _) = http(Method::GET, &b.url("/api/v1/me"), Some(&mine), None).await?;
            if status != StatusCode::UNAUTHORIZED {
                return Err(format!("the revoked token still answers {status}"));
            }

            // Checked again, the revoked token is still named, with nothing left to do.
            b.press("Check").await?;
            b.wait_for("//dialog//*[starts-with(normalize-space(.), 'This is your token Feed sync. It was deleted on')][contains(., 'nothing to do')]")
                .await
                .step("a deleted token of mine")?;
            b.audit("the Which token is this? dialog with a deleted token").await?;

            // Someone else's (or no one's): the same words, and it can be reported.
            b.fill("Token", &stranger).await.step("a stranger's token")?;
            b.press("Check").await?;
            b.wait_for("//dialog//*[starts-with(normalize-space(.), 'This token is not one of your tokens.')]")
                .await
                .step("not mine")?;
            b.press("Report as leaked").await?;
            b.wait_for("//dialog//*[starts-with(normalize-space(.), 'Thank you. If it was a working token')]")
                .await
                .step("reported")?;
            b.audit("the Which token is this? dialog after a report").await?;
            b.press("Close").await?;
            b.wait_gone("//dialog").await.step("closed")?;
            b.wait_for_focus("Check a token…").await?;
            b.wait_for("//*[normalize-space(.)='You have no API tokens yet.']")
                .await
                .step("the revoked token left the list")?;
            if b.dom_contains(&mine[8..40]).await.step("look for the value")? {
                return Err("the checked value is still in the page".into());
            }

            // A secret scanner reports a token: its owner is told until they dismiss it.
            let leaked = create(b, "CI deploy").await?;
            let (status, answer) = http(
                Method::POST,
                &b.url("/api/v1/credentials/revoke"),
                None,
                Some(json!({"tokens": [leaked]})),
            )
            .await?;
            if status != StatusCode::ACCEPTED || answer != json!({"received": 1}) {
                return Err(format!("the report got {status} {answer}"));
            }
            b.goto("/profile").await.step("My profile")?;
            let notice = format!(
                "//*[@role='alert']//*[starts-with(normalize-space(.), {})]",
                xpath_str("Your token CI deploy was found exposed in public and revoked on")
            );
            b.wait_for(&notice).await.step("the exposure notice on My profile")?;
            b.wait_for("//*[@role='alert']//a[normalize-space(.)='what it created'][starts-with(@href, '/data?kind=entities&token=')]")
                .await
                .step("the notice links to what the token created")?;
            b.audit("My profile with an exposure notice").await?;
            // The link opens the Data page filtered by the revoked token, which its Token
            // filter still offers.
            b.click(
                b.wait_for("//*[@role='alert']//a[normalize-space(.)='what it created']").await,
                "the link to what it created",
            )
            .await?;
            b.heading("Data").await.step("the Data page")?;
            b.wait_for("//select[@id='data-token']/option[normalize-space(.)='CI deploy (deleted)']")
                .await
                .step("the revoked token among the Token filter's choices")?;
            let offered = b.selected_text_of("Token").await?;
            if offered != "CI deploy (deleted)" {
                return Err(format!("the Token filter shows {offered:?}"));
            }
            b.goto("/profile/edit").await.step("Edit your profile")?;
            b.wait_for(&notice).await.step("the notice on Edit your profile")?;
            b.press("Dismiss the notice about CI deploy").await?;
            b.wait_gone(&notice).await.step("dismissed")?;
            b.goto("/profile").await.step("My profile again")?;
            b.wait_for("//h1[normalize-space(.)='My profile']").await.step("the page")?;
            if b.dom_contains("was found exposed").await.step("look for the notice")? {
                return Err("a dismissed notice came back".into());
            }
            Ok(())
        })
        .await;
}
