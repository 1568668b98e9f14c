use fantoccini::key::Key;
use server::admin;
use tessera_tests::browser::{Browser, Step as _, sign_in_elsewhere, still_signed_in};

const ACCOUNT_MENU: &str = "//button[@aria-haspopup='menu']";
const SESSIONS: &str = "//section[@aria-labelledby='sessions-heading']";
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                     Version/17.5 Mobile/15E148 Safari/604.1";

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_reach_edit_your_profile_change_the_name_and_sign_out() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("profile_journey", async |b: &Browser| {
            // A visit while signed out lands on the sign-in page, remembering where it was going.
            b.goto("/profile/edit").await.step("open a deep link")?;
            b.wait_for_path("/login?next=%2Fprofile%2Fedit")
                .await
                .step("redirect to sign-in")?;
            b.submit_sign_in("demo", "wrong password").await?;
            b.wait_for("//*[@role='alert'][contains(., 'Incorrect username or password.')]")
                .await
                .step("see the sign-in error")?;
            b.audit("the sign-in page refusing a password").await?;
            b.fill("Password", admin::DEMO_PASSWORD)
                .await
                .step("type the password")?;
            b.press("Sign in").await?;
            b.wait_for_path("/profile/edit")
                .await
                .step("return to the deep link after sign-in")?;
            b.heading("Edit your profile").await.step("see Edit your profile")?;

            // The avatar opens the pop-up menu; Escape closes it and gives focus back.
            b.goto("/profile").await.step("open My profile")?;
            let avatar = b
                .button_starting("Account menu for Dana Demo")
                .await
                .step("find the avatar")?;
            assert_eq!(
                avatar.attr("aria-expanded").await.step("aria-expanded")?.as_deref(),
                Some("false")
            );
            avatar.click().await.step("click the avatar")?;
            b.menu_item("My profile").await.step("see My profile in the menu")?;
            b.menu_item("Sign out").await.step("see Sign out in the menu")?;
            b.audit("My profile with the account menu open").await?;
            let avatar = b.wait_for(ACCOUNT_MENU).await.step("avatar")?;
            if avatar.attr("aria-expanded").await.step("aria-expanded")?.as_deref() != Some("true") {
                return Err("aria-expanded is not true while the menu is open".into());
            }
            let focused = b.client.active_element().await.step("focused element")?;
            if focused.text().await.step("focused text")? != "My profile" {
                return Err("focus did not move to the first menu item".into());
            }
            focused
                .send_keys(&Key::Down.to_string())
                .await
                .step("press ArrowDown")?;
            let focused = b.client.active_element().await.step("focused element")?;
            if focused.text().await.step("focused text")? != "Sign out" {
                return Err("ArrowDown did not move to Sign out".into());
            }
            focused.send_keys(&Key::Escape.to_string()).await.step("press Escape")?;
            b.wait_gone("//*[@role='menu']").await.step("Escape closes the menu")?;
            let focused = b.client.active_element().await.step("focused element")?;
            if focused.attr("aria-haspopup").await.step("focus")?.as_deref() != Some("menu") {
                return Err("focus did not return to the avatar".into());
            }

            // Keyboard opening, then a click outside closes it.
            focused
                .send_keys(&Key::Down.to_string())
                .await
                .step("ArrowDown on the avatar")?;
            b.menu_item("My profile").await.step("menu opened by keyboard")?;
            b.click(b.heading("My profile").await, "the heading, outside the menu")
                .await?;
            b.wait_gone("//*[@role='menu']")
                .await
                .step("a click outside closes the menu")?;

            // Avatar → My profile → Edit → change the display name → Save.
            b.account_menu("My profile").await?;
            b.wait_for_path("/profile").await.step("on My profile")?;
            b.heading("My profile").await.step("see My profile")?;
            b.follow("Edit").await?;
            b.wait_for_path("/profile/edit").await.step("on Edit your profile")?;
            b.heading("API tokens").await.step("see the API tokens section")?;
            b.fill("Display name", "").await.step("clear the display name")?;
            b.field("Display name")
                .await
                .step("field")?
                .send_keys(" ")
                .await
                .step("type a space")?;
            b.wait_for("//p[contains(., 'Enter a display name.')]")
                .await
                .step("an empty name is refused as you type")?;
            b.audit("Edit your profile refusing an empty name").await?;
            b.fill("Display name", "Dana Q. Demo").await.step("type the new name")?;
            b.press("Save").await?;
            b.wait_for_path("/profile").await.step("back on My profile")?;
            b.wait_for("//dd[normalize-space(.)='Dana Q. Demo']")
                .await
                .step("see the new name")?;

            // Change password: a mismatch is named at its field; then the change goes through,
            // this session goes on and another browser's ends (the Sessions list says so).
            let phone = sign_in_elsewhere(&b.base, "demo", admin::DEMO_PASSWORD, PHONE).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            b.heading("Change password").await.step("the password section")?;
            b.wait_for(&format!(
                "{SESSIONS}//tr[.//span[normalize-space(.)='Safari on iPhone']]"
            ))
            .await
            .step("the other browser is listed")?;
            b.fill("Current password", admin::DEMO_PASSWORD)
                .await
                .step("current password")?;
            b.fill("New password", "a new and long passphrase")
                .await
                .step("new password")?;
            b.fill("Confirm new password", "a new and long passphrasE")
                .await
                .step("confirm")?;
            b.press("Change password").await?;
            b.wait_for("//p[contains(@class,'field-error')][contains(., 'differ')]")
                .await
                .step("the mismatch is explained")?;
            b.expect_focus("the confirmation field", |f| f.id == "confirm_password")
                .await?;
            b.audit("Edit your profile refusing a new password").await?;
            b.fill("Confirm new password", "a new and long passphrase")
                .await
                .step("confirm again")?;
            b.press("Change password").await?;
            b.wait_for("//*[@role='status'][contains(., 'Your password was changed')]")
                .await
                .step("the change is confirmed")?;
            b.wait_for(&format!(
                "{SESSIONS}//p[normalize-space(.)='You are signed in only here.']"
            ))
            .await
            .step("the Sessions list shows this session only")?;
            if still_signed_in(&b.base, &phone, PHONE).await? {
                return Err("the other browser is still signed in after the password change".into());
            }
            b.goto("/profile").await.step("back to My profile")?;

            // A reload keeps the session; then Sign out ends it.
            b.client.refresh().await.step("reload")?;
            b.wait_for("//dd[normalize-space(.)='Dana Q. Demo']")
                .await
                .step("still signed in after reload")?;
            b.account_menu("Sign out").await?;
            b.wait_for_path("/login").await.step("on the sign-in page")?;
            b.heading("Sign in").await.step("the sign-in form")?;
            b.audit("the sign-in page").await?;
            b.goto("/profile").await.step("visit My profile signed out")?;
            b.wait_for_path("/login?next=%2Fprofile")
                .await
                .step("signed out for real")?;
            b.goto("/no/such/page").await.step("visit an unknown page signed out")?;
            b.wait_for_path("/login?next=%2Fno%2Fsuch%2Fpage")
                .await
                .step("unknown pages ask to sign in too")?;
            Ok(())
        })
        .await;
}
