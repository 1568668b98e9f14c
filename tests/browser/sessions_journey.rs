use server::admin;
use tessera_tests::browser::{Browser, Step as _, sign_in_elsewhere, still_signed_in, xpath_str};

const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                     Version/17.5 Mobile/15E148 Safari/604.1";
const OFFICE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SECTION: &str = "//section[@aria-labelledby='sessions-heading']";
const STATUS: &str = "//section[@aria-labelledby='sessions-heading']//*[@role='status']";

/// The Sessions section's row that names `summary` (in its first cell).
fn row(summary: &str) -> String {
    format!(
        "{SECTION}//tr[.//span[@class='session-summary'][normalize-space(.)={}]]",
        xpath_str(summary)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn see_where_you_are_signed_in_sign_one_session_out_then_everywhere_else() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    let phone = sign_in_elsewhere(&browser.base, "demo", admin::DEMO_PASSWORD, PHONE)
        .await
        .expect("the phone signs in");
    let office = sign_in_elsewhere(&browser.base, "demo", admin::DEMO_PASSWORD, OFFICE)
        .await
        .expect("the office computer signs in");

    browser
        .run("sessions_journey", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            b.heading("Sessions").await.step("see the Sessions section")?;
            b.wait_for("//h2[normalize-space(.)='Change password']/following::h2[normalize-space(.)='Sessions']")
                .await
                .step("Sessions comes after Change password")?;

            // Three sessions: this one marked, the others named by browser and system.
            let this = b
                .wait_for(&format!("{SECTION}//tr[.//*[normalize-space(.)='This session']]"))
                .await
                .step("see This session")?;
            if !this.text().await.step("this row")?.contains("Active now") {
                return Err("this session's row does not say it is active now".into());
            }
            if this.find(fantoccini::Locator::XPath(".//button")).await.is_ok() {
                return Err("this session's row offers to sign it out".into());
            }
            let phone_row = b.wait_for(&row("Safari on iPhone")).await.step("the phone's row")?;
            let phone_text = phone_row.text().await.step("the phone's row")?;
            for part in ["127.0.0.1", "just now", "iPhone OS 17_5"] {
                if !phone_text.contains(part) {
                    return Err(format!("the phone's row lacks {part:?}: {phone_text}"));
                }
            }
            b.wait_for(&row("Firefox on Windows")).await.step("the office's row")?;
            b.audit("Edit your profile listing three sessions").await?;

            // One row's Sign out ends that session only; focus goes to the heading.
            b.press("Sign out session on Firefox on Windows").await?;
            b.wait_for(&format!(
                "{STATUS}[normalize-space(.)='Signed out the session on Firefox on Windows.']"
            ))
            .await
            .step("the sign-out is announced")?;
            b.wait_gone(&row("Firefox on Windows"))
                .await
                .step("the office's row is gone")?;
            b.expect_focus("the Sessions heading", |f| f.id == "sessions-heading")
                .await?;
            if still_signed_in(&b.base, &office, OFFICE).await? {
                return Err("the office's cookie still works".into());
            }
            if !still_signed_in(&b.base, &phone, PHONE).await? {
                return Err("the phone was signed out too".into());
            }

            // Sign out everywhere else asks first; Cancel changes nothing.
            let everywhere_else = format!("{SECTION}//button[normalize-space(.)='Sign out everywhere else']");
            b.click(b.wait_for(&everywhere_else).await, "Sign out everywhere else")
                .await?;
            let dialog = "//dialog[@aria-labelledby='sign-out-others-heading']";
            b.wait_for(&format!("{dialog}//p[contains(., '1 other session')]"))
                .await
                .step("the confirmation names how many sessions end")?;
            b.audit("the Sign out everywhere else confirmation").await?;
            b.click(
                b.wait_for(&format!("{dialog}//button[normalize-space(.)='Cancel']"))
                    .await,
                "Cancel",
            )
            .await?;
            b.wait_gone(dialog).await.step("the confirmation closes")?;
            b.expect_focus("Sign out everywhere else", |f| f.id == "sign-out-others")
                .await?;
            b.wait_for(&row("Safari on iPhone"))
                .await
                .step("the phone is still listed")?;

            b.click(b.wait_for(&everywhere_else).await, "Sign out everywhere else")
                .await?;
            b.click(
                b.wait_for(&format!(
                    "{dialog}//button[normalize-space(.)='Sign out everywhere else']"
                ))
                .await,
                "confirm",
            )
            .await?;
            b.wait_for(&format!(
                "{STATUS}[normalize-space(.)='Signed out everywhere else: 1 other session ended.']"
            ))
            .await
            .step("the result is announced")?;
            b.wait_gone(&row("Safari on iPhone"))
                .await
                .step("the phone's row is gone")?;
            b.wait_for(&format!(
                "{SECTION}//p[normalize-space(.)='You are signed in only here.']"
            ))
            .await
            .step("no other session is left")?;
            b.wait_gone(&everywhere_else).await.step("nothing else to sign out")?;
            if still_signed_in(&b.base, &phone, PHONE).await? {
                return Err("the phone's cookie still works".into());
            }
            b.client.refresh().await.step("reload")?;
            b.wait_for(&format!("{SECTION}//tr[.//*[normalize-space(.)='This session']]"))
                .await
                .step("this session goes on")?;
            b.audit("Edit your profile with this session only").await?;
            Ok(())
        })
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_each_session_cell_says_what_it_is() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    sign_in_elsewhere(&browser.base, "demo", admin::DEMO_PASSWORD, PHONE)
        .await
        .expect("the phone signs in");

    browser
        .run("sessions_on_a_phone", async |b: &Browser| {
            b.client.set_window_size(390, 844).await.step("a phone-sized window")?;
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            let phone_row = b.wait_for(&row("Safari on iPhone")).await.step("the phone's row")?;
            for label in ["Signed in", "Last seen", "Address"] {
                phone_row
                    .find(fantoccini::Locator::XPath(&format!(
                        ".//td[@data-label={}]",
                        xpath_str(label)
                    )))
                    .await
                    .step(&format!("the {label} cell"))?;
            }
            if b.overflows().await? {
                return Err("the Sessions list is wider than a phone screen".into());
            }
            b.audit("the Sessions list on a phone").await?;
            Ok(())
        })
        .await;
}
