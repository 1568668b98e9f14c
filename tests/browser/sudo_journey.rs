//! "Sudo mode" in the browser: right after sign-in a token is created at once; an hour later
//! creating or rotating one asks "Confirm your password" first, keeps what was typed, and
//! goes on to the one-time dialog once the password is confirmed.

use app::backend::Clock;
use chrono::Duration;
use fantoccini::key::Key;
use server::admin;
use tessera_tests::browser::{Browser, Step as _};

/// The password dialog and its own controls (the create dialog behind it has a Cancel too).
const PROMPT: &str = "//dialog[@aria-labelledby='confirm-password-heading']";

fn in_prompt(name: &str) -> String {
    format!("{PROMPT}//button[normalize-space(.)='{name}']")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_hour_after_sign_in_creating_or_rotating_a_token_asks_for_the_password_once() {
    // The server's clock is ours to move; the browser keeps real time.
    let clock = Clock::manual(chrono::Utc::now());
    let browser = Browser::start_with_clock(clock.clone()).await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("sudo_journey", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;

            // Right after signing in: no second prompt.
            b.press("+ Create API token").await?;
            b.fill("Name", "Fresh sign-in").await.step("name")?;
            b.press("Generate token").await?;
            b.heading("Your new API token")
                .await
                .step("the token, without a prompt")?;
            b.close_uncopied().await?;

            // An hour and a minute later, Generate token asks for the password first.
            clock.advance(Duration::minutes(61));
            b.press("+ Create API token").await?;
            b.fill("Name", "After an hour").await.step("name")?;
            b.press("Generate token").await?;
            b.heading("Confirm your password").await.step("the password prompt")?;
            b.wait_for(&format!(
                "{PROMPT}//p[contains(., \"you won't be asked again for an hour\")]"
            ))
            .await
            .step("the prompt says why")?;
            b.expect_focus("the password field", |f| f.id == "sudo-password")
                .await?;
            let autocomplete = b
                .field("Password")
                .await
                .step("the field")?
                .attr("autocomplete")
                .await
                .step("autocomplete")?;
            if autocomplete.as_deref() != Some("current-password") {
                return Err(format!("the password field's autocomplete is {autocomplete:?}"));
            }
            b.audit("the password prompt").await?;

            // Cancel: back to the create dialog, with the name kept and focus on Generate token.
            b.click(b.wait_for(&in_prompt("Cancel")).await, "Cancel in the prompt")
                .await?;
            b.wait_gone(PROMPT).await.step("Cancel closes the prompt")?;
            b.heading("Create new API token")
                .await
                .step("the create dialog stays")?;
            if b.field_value("Name").await.step("the name")? != "After an hour" {
                return Err("the name typed was lost".into());
            }
            b.wait_for_focus("Generate token").await?;
            if b.dom_contains("Confirm your password to continue")
                .await
                .step("look for a message")?
            {
                return Err("the create dialog shows the prompt's reason as an error".into());
            }

            // Escape closes the prompt alone, too.
            b.press("Generate token").await?;
            b.heading("Confirm your password").await.step("the prompt again")?;
            b.expect_focus("the password field", |f| f.id == "sudo-password")
                .await?;
            b.key(Key::Escape, "Escape").await?;
            b.wait_gone(PROMPT).await.step("Escape closes the prompt")?;
            b.heading("Create new API token")
                .await
                .step("the create dialog stays open")?;
            b.wait_for_focus("Generate token").await?;

            // A wrong password is refused at the field.
            b.press("Generate token").await?;
            b.heading("Confirm your password").await.step("the prompt once more")?;
            b.fill("Password", "not the demo password")
                .await
                .step("type a wrong password")?;
            b.click(b.wait_for(&in_prompt("Confirm password")).await, "Confirm password")
                .await?;
            b.wait_for(&format!(
                "{PROMPT}//p[@id='sudo-password-error'][normalize-space(.)='The password is not correct.']"
            ))
            .await
            .step("the refusal at the field")?;
            b.expect_focus("the refused password field", |f| f.id == "sudo-password")
                .await?;
            b.audit("the password prompt refusing a wrong password").await?;

            // The right one: the token is created and shown once, as usual.
            b.fill("Password", admin::DEMO_PASSWORD)
                .await
                .step("type the password")?;
            b.click(b.wait_for(&in_prompt("Confirm password")).await, "Confirm password")
                .await?;
            b.wait_gone(PROMPT).await.step("the prompt closes")?;
            b.heading("Your new API token").await.step("the one-time dialog")?;
            if !b.dom_contains("After an hour").await.step("the name")? {
                return Err("the one-time dialog does not name the token".into());
            }
            b.close_uncopied().await?;
            b.expect_focus("the new token's row", |f| {
                f.tag == "tr" && f.name.starts_with("After an hour")
            })
            .await?;

            // Another hour on, rotating asks too.
            clock.advance(Duration::minutes(61));
            b.press("Rotate token After an hour").await?;
            b.heading("Rotate API token?").await.step("the rotate dialog")?;
            b.press("Rotate token").await?;
            b.heading("Confirm your password")
                .await
                .step("the prompt before rotating")?;
            b.client.set_window_size(390, 844).await.step("a phone-sized window")?;
            if b.overflows().await? {
                return Err("the password prompt is wider than a phone screen".into());
            }
            b.audit("the password prompt on a phone").await?;
            b.fill("Password", admin::DEMO_PASSWORD)
                .await
                .step("type the password")?;
            b.click(b.wait_for(&in_prompt("Confirm password")).await, "Confirm password")
                .await?;
            b.heading("Your new API token").await.step("the rotated value")?;
            b.close_uncopied().await?;
            Ok(())
        })
        .await;
}
