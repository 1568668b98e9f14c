use fantoccini::key::Key;
use server::admin;
use tessera_tests::browser::{Browser, Focused, Step as _};

const NAME: &str = "Keyboard token";

fn named(name: &'static str) -> impl Fn(&Focused) -> bool {
    move |f| f.name == name
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reference_journey_with_the_keyboard_alone_and_a_visible_focus_ring_at_every_step() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("keyboard_journey", async |b: &Browser| {
            b.goto("/login").await.step("open the sign-in page")?;
            b.heading("Sign in").await.step("the sign-in form")?;
            b.count_mouse_events().await?;
            b.grant_clipboard()
                .await
                .step("grant clipboard permissions on this origin")?;

            // Sign in: the username field has focus; Enter sends the form.
            b.expect_focus("the username field", named("Username")).await?;
            b.check_focus_ring().await?;
            b.type_text("demo").await?;
            b.key(Key::Tab, "Tab to the password").await?;
            b.expect_focus("the password field", named("Password")).await?;
            b.check_focus_ring().await?;
            b.type_text(admin::DEMO_PASSWORD).await?;
            // The sign-in page is a document of its own: its count is read before leaving it,
            // and My profile counts afresh.
            let mouse = b.mouse_events().await?;
            if mouse != 0 {
                return Err(format!("signing in caused {mouse} mouse or pointer events"));
            }
            b.key(Key::Enter, "press Enter to sign in").await?;
            b.wait_for_path("/profile").await.step("signed in")?;
            b.heading("My profile").await.step("My profile")?;
            b.count_mouse_events().await?;

            // The avatar menu: Enter opens it with focus on My profile, Enter follows it.
            b.tab_to("Account menu for Dana Demo, initials DD", 4).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "open the account menu").await?;
            b.expect_focus("My profile in the menu", |f| f.name == "My profile" && f.tag == "a")
                .await?;
            b.key(Key::Enter, "choose My profile").await?;
            b.wait_gone("//*[@role='menu']").await.step("the menu closes")?;
            b.wait_for_path("/profile").await.step("on My profile")?;

            // Edit.
            b.tab_to("Edit", 12).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "follow Edit").await?;
            b.wait_for_path("/profile/edit").await.step("on Edit your profile")?;
            b.heading("API tokens").await.step("the API tokens section")?;

            // + Create API token: focus in the name field; the name, then the expiry.
            b.tab_to("+ Create API token", 20).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "open the create dialog").await?;
            b.heading("Create new API token").await.step("the create dialog")?;
            b.expect_focus("the name field", |f| f.id == "token-name").await?;
            b.check_focus_ring().await?;
            b.type_text(NAME).await?;
            b.key(Key::Tab, "Tab to the checkbox").await?;
            b.expect_focus("Select expiration date", named("Select expiration date"))
                .await?;
            b.key(Key::Space, "tick Select expiration date").await?;
            b.key(Key::Tab, "Tab to the intervals").await?;
            b.expect_focus("the Expiration drop-down", named("Expiration")).await?;
            b.check_focus_ring().await?;
            // The first interval is 2 months; one step down is 6.
            b.key(Key::Down, "choose the next interval").await?;
            let interval = b.field_value("Expiration").await.step("the chosen interval")?;
            if interval != "6" {
                return Err(format!("ArrowDown chose {interval:?}, not 6 months"));
            }
            b.wait_for("//*[@id='token-expiry-preview'][contains(., 'will expire on')]")
                .await
                .step("the preview names the date")?;
            b.tab_to("Generate token", 6).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "generate the token").await?;

            // The one-time dialog: focus on Copy; Enter copies; Tab past Copy example, Enter closes.
            b.heading("Your new API token").await.step("the confirmation")?;
            b.expect_focus("Copy", named("Copy")).await?;
            b.check_focus_ring().await?;
            let secret = b.field_value("Token value").await.step("the token")?;
            b.key(Key::Enter, "copy the token").await?;
            b.wait_for("//*[@role='status'][normalize-space(.)='Copied']")
                .await
                .step("Copied")?;
            let clipboard = b.read_clipboard().await.step("read the clipboard")?;
            if clipboard != secret {
                return Err(format!("the clipboard holds {clipboard:?}, not the token"));
            }
            b.tab_to("Done", 2).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "close the confirmation").await?;
            b.wait_gone("//dialog").await.step("the dialog closes")?;

            // Focus is on the new token's row, and the creation is announced.
            let row = b
                .expect_focus("the new token's row", |f| f.tag == "tr" && f.name.starts_with(NAME))
                .await?;
            b.check_focus_ring().await?;
            b.wait_for(&format!(
                "//*[@role='status'][normalize-space(.)='Token {NAME} created and added to the list.']"
            ))
            .await
            .step("the creation is announced")?;
            let expires = b
                .wait_for(&format!("//tr[@id='{}']/td[2]", row.id))
                .await
                .step("the row's expiry")?
                .text()
                .await
                .step("expiry text")?;
            if expires == "Never" {
                return Err("the token was made without the 6-month expiry".into());
            }

            // Delete: Tab past the row's data links, Edit and Rotate to its delete button; focus starts on
            // Cancel in the confirmation.
            b.tab_to(&format!("Delete token {NAME}"), 6).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "ask to delete").await?;
            b.heading("Delete API token?").await.step("the confirmation")?;
            b.expect_focus("Cancel", named("Cancel")).await?;
            b.check_focus_ring().await?;
            b.key(Key::Tab, "Tab to Delete token").await?;
            b.expect_focus("Delete token", named("Delete token")).await?;
            b.check_focus_ring().await?;
            b.key(Key::Enter, "delete the token").await?;
            b.wait_gone("//dialog").await.step("the dialog closes")?;
            b.wait_gone(&format!("//tr[@id='{}']", row.id))
                .await
                .step("the row is gone")?;
            b.expect_focus("+ Create API token", named("+ Create API token"))
                .await?;
            b.wait_for(&format!(
                "//*[@role='status'][normalize-space(.)='Token {NAME} deleted.']"
            ))
            .await
            .step("the deletion is announced")?;

            let mouse = b.mouse_events().await?;
            if mouse != 0 {
                return Err(format!("the journey caused {mouse} mouse or pointer events"));
            }
            Ok(())
        })
        .await;
}
