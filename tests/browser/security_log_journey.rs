use server::admin;
use tessera_tests::browser::{Browser, Step as _};

#[tokio::test(flavor = "multi_thread")]
async fn the_security_log_shows_a_created_token_filters_by_token_and_fits_a_phone() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("security_log_journey", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            for name in ["nightly export", "ci"] {
                b.press("+ Create API token").await?;
                b.fill("Name", name).await.step("name")?;
                b.press("Generate token").await?;
                b.heading("Your new API token").await.step("confirmation")?;
                b.close_uncopied().await?;
            }

            // The last section of Edit your profile leads to the log.
            b.heading("Security log").await.step("the Security log section")?;
            b.follow("View your security log").await?;
            b.wait_for_path("/profile/security").await.step("on the Security log")?;
            b.heading("Security log").await.step("the page heading")?;
            let row = "//table[contains(@class,'security-log')]//tr";
            b.wait_for(&format!(
                "{row}[td[contains(., 'Token created')]][td[normalize-space(.)='ci']]"
            ))
            .await
            .step("see Token created for ci")?;
            b.wait_for(&format!("{row}[td[contains(., 'Signed in')]]"))
                .await
                .step("see the sign-in")?;
            b.wait_for(&format!("{row}/td[@data-label='Address']"))
                .await
                .step("cells carry their label for phones")?;
            b.audit("the Security log").await?;

            // Only the chosen token's events.
            b.choose("Token", "ci").await.step("filter by ci")?;
            b.wait_gone(&format!("{row}[td[contains(., 'Signed in')]]"))
                .await
                .step("other events are gone")?;
            b.wait_for(&format!("{row}[td[normalize-space(.)='ci']]"))
                .await
                .step("ci's creation stays")?;
            let others = b
                .client
                .find_all(fantoccini::Locator::XPath(&format!(
                    "{row}[td[normalize-space(.)='nightly export']]"
                )))
                .await
                .step("rows of the other token")?;
            if !others.is_empty() {
                return Err("the filter still shows another token's events".into());
            }
            b.audit("the Security log filtered by a token").await?;

            b.client.set_window_size(390, 844).await.step("a phone-sized window")?;
            b.choose("Token", "All tokens").await.step("all tokens again")?;
            b.wait_for(&format!("{row}[td[contains(., 'Signed in')]]"))
                .await
                .step("every event again")?;
            if b.overflows().await? {
                return Err("the Security log is wider than a phone screen".into());
            }
            b.audit("the Security log on a phone").await?;
            Ok(())
        })
        .await;
}
