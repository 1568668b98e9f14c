use app::backend::Clock;
use app::domain::TokenPolicy;
use fantoccini::Locator;
use server::admin;
use server::config::ServeConfig;
use tessera_tests::browser::{Browser, Step as _};

/// The options of the drop-down with id `id`, as shown.
async fn options(b: &Browser, id: &str) -> Result<Vec<String>, String> {
    let mut shown = Vec::new();
    for option in b
        .client
        .find_all(Locator::XPath(&format!("//select[@id='{id}']/option")))
        .await
        .step("the options")?
    {
        shown.push(option.text().await.step("an option's text")?);
    }
    Ok(shown)
}

#[tokio::test(flavor = "multi_thread")]
async fn under_a_six_month_policy_the_dialogs_offer_only_what_is_allowed_and_say_why() {
    let policy = TokenPolicy {
        max_months: Some(6),
        require_expiry: false,
    };
    let browser = Browser::start_with_config(Clock::system(), |config| ServeConfig {
        token_policy: policy,
        ..config
    })
    .await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("token_policy", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            b.wait_for("//p[@id='token-policy-note'][contains(., 'Your administrator allows tokens of at most 6 months.')]")
                .await
                .step("the policy is noted in API tokens")?;

            // Create: the box is ticked for good, saying why; only 2 and 6 months are offered.
            b.press("+ Create API token").await?;
            b.heading("Create new API token").await.step("the dialog")?;
            let expires = b.field("Select expiration date").await.step("the checkbox")?;
            let ticked = expires.prop("checked").await.step("checked")?;
            let disabled = expires.attr("disabled").await.step("disabled")?;
            let described = expires.attr("aria-describedby").await.step("described")?;
            if ticked.as_deref() != Some("true") || disabled.is_none() || described.as_deref() != Some("token-expires-hint") {
                return Err(format!("the checkbox: checked {ticked:?}, disabled {disabled:?}, described by {described:?}"));
            }
            b.wait_for("//p[@id='token-expires-hint'][normalize-space(.)='Your administrator allows tokens of at most 6 months.']")
                .await
                .step("the reason")?;
            let offered = options(b, "token-interval").await?;
            if offered != ["Expire in 2 months", "Expire in 6 months", "Specify exact date"] {
                return Err(format!("the create dialog offers {offered:?}"));
            }
            b.audit("the create dialog under a token policy").await?;
            b.fill("Name", "Half-yearly sync").await.step("name")?;
            b.choose("Expiration", "Expire in 6 months").await.step("6 months")?;
            b.press("Generate token").await?;
            b.close_uncopied().await?;

            // Rotate: no "Never expire", intervals capped, the reason beside them.
            b.press("Rotate token Half-yearly sync").await?;
            b.heading("Rotate API token?").await.step("the rotate dialog")?;
            let offered = options(b, "rotate-expiry").await?;
            if offered != ["Same length as before", "Expire in 2 months", "Expire in 6 months", "Specify exact date"] {
                return Err(format!("the rotate dialog offers {offered:?}"));
            }
            b.wait_for("//p[@id='rotate-expiry-policy'][normalize-space(.)='Your administrator allows tokens of at most 6 months.']")
                .await
                .step("the reason in the rotate dialog")?;
            b.audit("the rotate dialog under a token policy").await?;
            b.press("Cancel").await?;
            b.wait_gone("//dialog").await.step("closed")?;
            Ok(())
        })
        .await;
}
