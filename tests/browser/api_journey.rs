use http::{Method, StatusCode};
use serde_json::json;
use server::admin;
use tessera_tests::browser::{Browser, Step as _, http, xpath_str};

fn row(name: &str) -> String {
    format!(
        "//table[contains(@class,'tokens')]//tr[td[1][contains(normalize-space(.), {})]]",
        xpath_str(name)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_made_in_the_ui_works_on_the_api_and_objects_get_the_default_source() {
    let browser = Browser::start().await;
    admin::load_demo(&browser.state, &mut Vec::new()).await.expect("demo");
    let state = browser.state.clone();

    browser
        .run("api_journey", async |b: &Browser| {
            b.sign_in("demo", admin::DEMO_PASSWORD).await?;

            // Without a default source, My profile says where objects go.
            b.wait_for(
                "//*[@role='note'][contains(., 'No default source set — objects created with your tokens are attributed to Threat Research')]",
            )
            .await
            .step("the no-default-source warning")?;

            // Choose SOC Analysts as default source in Edit your profile.
            b.follow("Edit").await?;
            b.choose("Default source", "SOC Analysts").await.step("choose SOC Analysts")?;
            b.press("Save").await?;
            b.wait_for_path("/profile").await.step("back on My profile")?;
            b.wait_for("//dd[normalize-space(.)='SOC Analysts']").await.step("the default source shows")?;
            b.wait_gone("//*[@role='note']").await.step("the warning is gone")?;

            // Create a token in the UI.
            b.follow("Edit").await?;
            b.press("+ Create API token").await?;
            b.fill("Name", "Nightly export").await.step("type the name")?;
            b.press("Generate token").await?;
            let secret = b.field_value("Token value").await.step("token value")?;
            b.close_uncopied().await?;
            b.wait_for(&format!("{}/td[3][normalize-space(.)='Never used']", row("Nightly export")))
                .await
                .step("not used yet")?;

            // Use it from a script.
            let (status, me) = http(Method::GET, &b.url("/api/v1/me"), Some(&secret), None).await?;
            if status != StatusCode::OK || me["username"] != "demo" || me["default_source"]["name"] != "SOC Analysts" {
                return Err(format!("GET /api/v1/me answered {status}: {me}"));
            }
            let body = json!({ "type": "report", "title": "Weekly phishing report" });
            let (status, entity) = http(Method::POST, &b.url("/api/v1/entities"), Some(&secret), Some(body)).await?;
            if status != StatusCode::CREATED || entity["source"]["name"] != "SOC Analysts" {
                return Err(format!("POST /api/v1/entities answered {status}: {entity}"));
            }

            // After the background flush, the list shows the use and what the token created.
            state.last_used.flush_due(&state.store, state.clock.now()).await.map_err(|e| e.to_string())?;
            b.client.refresh().await.step("reload")?;
            b.wait_for(&format!("{}/td[3][contains(., 'just now')]", row("Nightly export")))
                .await
                .step("Last used changed to just now")?;
            b.wait_for(&format!("{}/td[1][contains(., '1 entity')]", row("Nightly export")))
                .await
                .step("the token's object count")?;
            let tip = b
                .wait_for(&format!("{}//*[@role='tooltip']", row("Nightly export")))
                .await
                .step("the last-used details")?;
            let details = tip.prop("textContent").await.step("tooltip text")?.unwrap_or_default();
            if !details.contains("From 127.0.0.1") || !details.contains("tessera-browser-test/1.0") {
                return Err(format!("the last-used details read {details:?}"));
            }
            // The details are the time's description, for screen readers.
            let tip_id = tip.attr("id").await.step("the details' id")?.unwrap_or_default();
            b.wait_for(&format!("{}//*[@tabindex='0'][@aria-describedby='{tip_id}']", row("Nightly export")))
                .await
                .step("the last use is described by its details")?;
            b.audit("the list with a used token").await?;

            // A read-only token: chosen under Access, repeated in the one-time dialog and the
            // list, and refused when it tries to create.
            b.press("+ Create API token").await?;
            b.fill("Name", "Dashboard").await.step("type the name")?;
            let default = b.field("Read and write").await.step("the Read and write radio")?;
            if default.prop("checked").await.step("checked")?.as_deref() != Some("true") {
                return Err("Read and write is not preselected".into());
            }
            b.click(b.field("Read only").await, "Read only").await?;
            b.audit("the create dialog with access levels").await?;
            b.press("Generate token").await?;
            b.wait_for("//dialog//p[contains(., 'Access: Read only')]").await.step("the access in the one-time dialog")?;
            let reader = b.field_value("Token value").await.step("token value")?;
            b.close_uncopied().await?;
            b.wait_for(&format!("{}/td[1][contains(., 'Read only')]", row("Dashboard")))
                .await
                .step("the list shows Read only")?;
            b.wait_for(&format!("{}/td[1][contains(., 'Read and write')]", row("Nightly export")))
                .await
                .step("the list shows Read and write")?;
            let body = json!({ "type": "report", "title": "Not allowed" });
            let (status, answer) = http(Method::POST, &b.url("/api/v1/entities"), Some(&reader), Some(body)).await?;
            if status != StatusCode::FORBIDDEN || answer["errors"][0]["code"] != "insufficient_scope" {
                return Err(format!("a read-only token's POST answered {status}: {answer}"));
            }

            // A token with a source of its own: its objects go there, not to the profile default.
            b.press("+ Create API token").await?;
            b.fill("Name", "Research feed").await.step("type the name")?;
            b.wait_for("//select[@id='token-source']/option[normalize-space(.)='Profile default (now: SOC Analysts)']")
                .await
                .step("the default names the profile's source")?;
            b.choose("Source", "Threat Research").await.step("choose Threat Research")?;
            b.audit("the create dialog with a source").await?;
            b.press("Generate token").await?;
            let research = b.field_value("Token value").await.step("token value")?;
            b.close_uncopied().await?;
            b.wait_for(&format!("{}/td[1][contains(., 'Source: Threat Research')]", row("Research feed")))
                .await
                .step("the list shows the source")?;
            let body = json!({ "type": "report", "title": "Research note" });
            let (status, entity) = http(Method::POST, &b.url("/api/v1/entities"), Some(&research), Some(body)).await?;
            if status != StatusCode::CREATED || entity["source"]["name"] != "Threat Research" {
                return Err(format!("the token with its own source created {status}: {entity}"));
            }

            // Each row charts its requests of the last 30 days, with words and a table for
            // those who cannot see the chart. The read-only token made one request that
            // was refused.
            b.goto("/profile/edit").await.step("reload the list")?;
            let chart = format!(
                "{}//*[local-name()='svg'][@role='img'][@aria-label='0 requests in the last 30 days, 1 refused']",
                row("Dashboard")
            );
            b.wait_for(&chart).await.step("the read-only token's chart")?;
            b.wait_for(&format!(
                "{}//*[local-name()='svg'][@role='img'][@aria-label='1 request in the last 30 days']",
                row("Research feed")
            ))
            .await
            .step("the sourced token's chart")?;
            b.click(
                b.wait_for(&format!("{}//summary[normalize-space(.)='Usage']", row("Dashboard"))).await,
                "the Usage disclosure",
            )
            .await?;
            b.wait_for(&format!("{}//table[contains(@class,'usage-table')]//tr[td[1]='0'][td[2]='1']", row("Dashboard")))
                .await
                .step("the usage table")?;
            b.audit("the list with usage charts").await?;

            // The counts open what the token created on the Data page, where it can be
            // deleted after a leak.
            b.click(
                b.wait_for(&format!("{}//a[normalize-space(.)='1 entity']", row("Research feed"))).await,
                "the entity count",
            )
            .await?;
            b.heading("Data").await.step("the Data page")?;
            b.wait_for("//table//td[contains(., 'Research note')]").await.step("the token's entity")?;
            let token_filter = b.selected_text_of("Token").await?;
            if token_filter != "Research feed" {
                return Err(format!("the Token filter shows {token_filter:?}"));
            }
            b.audit("the Data page filtered by token").await?;
            b.choose("Type", "incident").await.step("filter by type")?;
            b.wait_for("//*[normalize-space(.)='Nothing here: no objects match these filters.']")
                .await
                .step("no incident")?;
            b.choose("Type", "Any type").await.step("any type")?;
            b.press("Delete what this token created").await?;
            b.heading("Delete 1 entity and 0 observables?").await.step("the confirmation names the count")?;
            b.press("Delete 1 entity and 0 observables").await?;
            b.wait_for("//*[@role='status'][normalize-space(.)='Deleted 1 entity and 0 observables.']")
                .await
                .step("deleted")?;
            b.wait_gone("//table//td[contains(., 'Research note')]").await.step("gone from the list")?;
            b.follow("Data").await?;
            b.wait_for_path("/data").await.step("the side navigation's Data")?;
            b.wait_for("//table//td[contains(., 'Weekly phishing report')]")
                .await
                .step("the unfiltered Data page shows the other token's entity")?;
            b.audit("the Data page").await?;
            Ok(())
        })
        .await;
}
