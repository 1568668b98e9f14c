use server::admin;
use tessera_tests::browser::{Browser, Step as _};

#[tokio::test(flavor = "multi_thread")]
async fn every_page_fits_a_phone_screen() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");

    browser
        .run("phone_layout", async |b: &Browser| {
            b.client.set_window_size(390, 844).await.step("a phone-sized window")?;
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;
            b.goto("/profile/edit").await.step("open Edit your profile")?;
            b.press("+ Create API token").await?;
            b.fill(
                "Name",
                "A rather long token name for the nightly threat feed export job",
            )
            .await
            .step("name")?;
            b.audit("the create dialog on a phone").await?;
            b.press("Generate token").await?;
            b.heading("Your new API token").await.step("confirmation")?;
            if b.overflows().await? {
                return Err("the token confirmation is wider than a phone screen".into());
            }
            b.audit("the one-time dialog on a phone").await?;
            b.close_uncopied().await?;
            b.wait_gone("//dialog").await.step("closed")?;
            for path in ["/profile", "/profile/edit", "/login"] {
                if path == "/login" {
                    // Someone signed in is sent on from the sign-in page.
                    b.client.delete_all_cookies().await.step("sign out")?;
                }
                b.goto(path).await.step("open a page")?;
                b.wait_for("//h1").await.step("the page heading")?;
                if path == "/login" {
                    b.heading("Sign in").await.step("the sign-in page, not sent on")?;
                }
                if b.overflows().await? {
                    return Err(format!("{path} is wider than a phone screen"));
                }
                b.audit(&format!("{path} on a phone")).await?;
                if path == "/profile" {
                    b.avatar().await?;
                    let menu = b.wait_for("//*[@role='menu']").await.step("the menu")?;
                    let (x, y, w, h) = menu.rectangle().await.step("menu position")?;
                    if x < 0.0 || y < 0.0 || x + w > 390.0 || y + h > 844.0 {
                        return Err(format!("the account menu sticks out of the screen at {x},{y} {w}x{h}"));
                    }
                    b.audit("the account menu on a phone").await?;
                }
            }
            Ok(())
        })
        .await;
}
