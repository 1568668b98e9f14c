use app::backend::security_log::Origin;
use app::backend::tokens::{self, TokenRequest};
use app::backend::{Clock, accounts, admin as operations};
use app::domain::{ExpiryChoice, TokenAccess};
use server::admin;
use tessera_tests::browser::{Browser, Step as _, xpath_str};

/// The Users table's row of `username`.
fn user_row(username: &str) -> String {
    format!(
        "//table[contains(@class,'users-table')]//tr[td[1][normalize-space(.)={}]]",
        xpath_str(username)
    )
}

/// Presses the open dialog's button `name` (the page behind may have one of that name too).
async fn confirm(b: &Browser, name: &str) -> Result<(), String> {
    let button = format!("//dialog//button[normalize-space(.)={}]", xpath_str(name));
    b.click(b.wait_for(&button).await, &format!("{name:?} in the dialog"))
        .await
}

/// Gives the demo user a token named `name`, as if they had made it.
async fn demo_token(browser: &Browser, name: &str) {
    let demo = accounts::find(&browser.state, admin::DEMO_USERNAME)
        .await
        .expect("demo");
    let request = TokenRequest {
        name,
        description: "",
        expiry: ExpiryChoice::Never,
        access: TokenAccess::ReadWrite,
        source: None,
    };
    tokens::create(&browser.state, &demo, request, &Origin::none())
        .await
        .expect("token");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_manages_users_tokens_and_groups() {
    // The server's clock is ours to move (for sudo mode); the browser keeps real time.
    let clock = Clock::manual(chrono::Utc::now());
    let browser = Browser::start_with_clock(clock.clone()).await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    demo_token(&browser, "CI feed").await;
    demo_token(&browser, "Notebook").await;

    browser
        .run("admin_journey", async |b: &Browser| {
            b.sign_in(admin::DEMO_ADMIN_USERNAME, admin::DEMO_ADMIN_PASSWORD)
                .await?;
            b.account_menu("Administration").await?;
            b.wait_for_path("/admin/users")
                .await
                .step("Administration opens Users")?;
            b.heading("Users").await.step("see Users")?;
            b.wait_for("//p[starts-with(normalize-space(.), 'Token policy: none')]")
                .await
                .step("the token policy is stated")?;
            let demo = b.wait_for(&user_row("demo")).await.step("demo's row")?;
            let text = demo.text().await.step("demo's row")?;
            for part in ["Dana Demo", "Threat Research, SOC Analysts", "2", "Never", "Active"] {
                if !text.contains(part) {
                    return Err(format!("demo's row lacks {part:?}: {text}"));
                }
            }
            b.wait_for(&format!("{}//*[normalize-space(.)='Administrator']", user_row("admin")))
                .await
                .step("admin is marked Administrator")?;
            b.audit("Users").await?;

            // Search narrows the list, and lives in the address.
            b.fill("Search users", "dana").await.step("type a search")?;
            b.press("Search").await?;
            b.wait_for_path("/admin/users?q=dana")
                .await
                .step("the search is in the address")?;
            b.wait_gone(&user_row("admin")).await.step("admin is not listed")?;
            b.wait_for(&user_row("demo")).await.step("demo is listed")?;

            // Create a user; the password is shown once.
            b.press("+ Create user").await?;
            b.heading("Create user").await.step("the dialog opens")?;
            b.fill("Username", "frank").await.step("fill the username")?;
            b.fill("Display name", "Frank Field")
                .await
                .step("fill the display name")?;
            b.click(b.field("SOC Analysts").await, "the SOC Analysts box").await?;
            b.audit("Create user").await?;
            confirm(b, "Create user").await?;
            b.heading("User frank created").await.step("the user is created")?;
            let password = b.field_value("Password").await.step("read the password")?;
            if password.chars().count() != 24 {
                return Err(format!("the generated password is {password:?}"));
            }
            b.audit("the new user's password").await?;
            b.press("Done").await?;
            b.wait_gone("//dialog").await.step("the dialog closes")?;

            // A user's page: revoke one token, then the rest.
            b.goto("/admin/users").await.step("all users")?;
            b.follow("demo").await?;
            b.wait_for_path("/admin/users/demo").await.step("demo's page")?;
            b.heading("API tokens").await.step("demo's tokens")?;
            b.audit("a user's page").await?;
            b.press("Revoke token CI feed").await?;
            b.heading("Revoke token CI feed?").await.step("asked to confirm")?;
            confirm(b, "Revoke token").await?;
            b.wait_gone("//dialog").await.step("the dialog closes")?;
            b.wait_gone("//td[contains(@class,'token-name')][contains(., 'CI feed')]")
                .await
                .step("CI feed leaves the list")?;
            b.press("Revoke all tokens").await?;
            b.heading("Revoke all 1 token of demo?")
                .await
                .step("the count is named")?;
            confirm(b, "Revoke all tokens").await?;
            b.wait_for("//p[normalize-space(.)='No API tokens.']")
                .await
                .step("no tokens left")?;

            // Groups: create one, add demo to it from their page, rename it.
            b.follow("Groups").await?;
            b.heading("Groups").await.step("the Groups page")?;
            b.fill("New group name", "Incident Response")
                .await
                .step("name a group")?;
            b.press("Create group").await?;
            b.wait_for("//td[normalize-space(.)='Incident Response']")
                .await
                .step("the group is listed")?;
            b.audit("Groups").await?;
            b.press("Rename group Incident Response").await?;
            b.fill("Group name", "IR Team").await.step("the new name")?;
            confirm(b, "Rename").await?;
            b.wait_for("//td[normalize-space(.)='IR Team']").await.step("renamed")?;
            b.goto("/admin/users/demo").await.step("demo's page again")?;
            b.choose("Add to group", "IR Team").await.step("pick IR Team")?;
            b.press("Add").await?;
            b.button("Remove demo from IR Team").await.step("demo is in IR Team")?;

            // An hour on, deactivating asks for the password first, then goes through.
            clock.advance(chrono::Duration::minutes(61));
            b.press("Deactivate").await?;
            b.heading("Deactivate demo?").await.step("asked to confirm")?;
            confirm(b, "Deactivate").await?;
            b.heading("Confirm your password").await.step("the password prompt")?;
            b.fill("Password", admin::DEMO_ADMIN_PASSWORD)
                .await
                .step("type the password")?;
            confirm(b, "Confirm password").await?;
            b.wait_for("//dd[starts-with(normalize-space(.), 'Deactivated')]")
                .await
                .step("demo is deactivated")?;
            b.press("Reactivate").await?;
            confirm(b, "Reactivate").await?;
            b.wait_for("//dd[starts-with(normalize-space(.), 'Active')]")
                .await
                .step("demo is active again")?;

            // A page past the last one leads back to the first.
            b.goto("/admin/users?page=9").await.step("a page too far")?;
            b.follow("Go to the first page").await?;
            b.wait_for(&user_row("admin")).await.step("the first page again")?;

            // A phone: nothing wider than the screen.
            b.viewport(390, 844).await.step("a phone's width")?;
            b.goto("/admin/users").await.step("Users on a phone")?;
            b.wait_for(&user_row("frank")).await.step("frank is listed")?;
            if b.overflows().await? {
                return Err("Users is wider than a phone".into());
            }
            Ok(())
        })
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn someone_who_is_not_an_administrator_is_kept_out() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    // Make sure the check is about the role: demo becomes one, then stops being one.
    let demo = accounts::find(&browser.state, admin::DEMO_USERNAME)
        .await
        .expect("demo");
    let actor = operations::Actor::Command("test");
    operations::grant_admin(&browser.state, actor, &demo)
        .await
        .expect("grant");
    operations::revoke_admin(&browser.state, actor, &demo)
        .await
        .expect("revoke");

    browser
        .run("admin_refused_journey", async |b: &Browser| {
            b.sign_in(admin::DEMO_USERNAME, admin::DEMO_PASSWORD).await?;
            b.avatar().await?;
            b.menu_item("My profile").await.step("the menu is open")?;
            if b.dom_contains("Administration").await.step("read the menu")? {
                return Err("the menu offers Administration to someone who is not an administrator".into());
            }
            b.goto("/admin/users").await.step("type the address")?;
            b.heading("Administrators only").await.step("refused")?;
            if b.dom_contains("Ada Admin").await.step("read the page")? {
                return Err("the refused page lists users".into());
            }
            b.audit("Administrators only").await?;
            Ok(())
        })
        .await;
}
