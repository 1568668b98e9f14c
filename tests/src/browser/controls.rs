//! Finding controls the way a person (or a screen reader) does: by role and visible label.

use fantoccini::Locator;
use fantoccini::elements::Element;
use fantoccini::error::CmdError;

use super::{Browser, Step as _};

impl Browser {
    /// Waits (up to 2 s) until the focused element is named `name` (its `aria-label`, else its
    /// text): focus moves once a closing dialog has left the page, a frame after it closes.
    pub async fn wait_for_focus(&self, name: &str) -> Result<(), String> {
        let mut last = String::new();
        for _ in 0..40 {
            if let Ok(el) = self.client.active_element().await {
                last = match el.attr("aria-label").await.ok().flatten() {
                    Some(label) => label,
                    None => el.text().await.unwrap_or_default(),
                };
                if last == name {
                    return Ok(());
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(format!("focus did not move to {name:?} (it is on {last:?})"))
    }

    /// A button by its visible text or accessible name.
    pub async fn button(&self, name: &str) -> Result<Element, CmdError> {
        self.wait_for(&format!(
            "//button[normalize-space(.)={q} or @aria-label={q}] | //*[@role='button'][normalize-space(.)={q}]",
            q = xpath_str(name)
        ))
        .await
    }

    /// Clicks what `found` finds; `what` names it in the failure message.
    pub async fn click(&self, found: Result<Element, CmdError>, what: &str) -> Result<(), String> {
        let element = found.map_err(|e| format!("find {what}: {e}"))?;
        element.click().await.map_err(|e| format!("click {what}: {e}"))
    }

    /// Closes the one-time dialog without having copied the token: Done asks once ("You
    /// haven't copied the token. Close anyway?"), and Close anyway closes.
    pub async fn close_uncopied(&self) -> Result<(), String> {
        self.press("Done").await?;
        self.wait_for("//dialog//*[@role='alert'][contains(., \"You haven't copied the token. Close anyway?\")]")
            .await
            .map_err(|e| format!("the unsaved-copy question: {e}"))?;
        self.press("Close anyway").await?;
        self.wait_gone("//dialog")
            .await
            .map_err(|e| format!("the one-time dialog closes: {e}"))
    }

    /// The text of the chosen option of the select labelled `label`.
    pub async fn selected_text_of(&self, label: &str) -> Result<String, String> {
        let select = self.field(label).await.map_err(|e| format!("find {label}: {e}"))?;
        let text = self
            .client
            .execute(
                "const s = arguments[0]; return s.options[s.selectedIndex].text;",
                vec![serde_json::to_value(&select).map_err(|e| e.to_string())?],
            )
            .await
            .map_err(|e| format!("read {label}: {e}"))?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Whether the page is wider than the window (a horizontal scroll bar).
    pub async fn overflows(&self) -> Result<bool, String> {
        let wide = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .map_err(|e| format!("measure the page: {e}"))?;
        Ok(wide.as_bool().unwrap_or(true))
    }

    /// Finds the button named `name` and clicks it.
    pub async fn press(&self, name: &str) -> Result<(), String> {
        self.click(self.button(name).await, &format!("the button {name:?}"))
            .await
    }

    /// Clicks the avatar button, which opens (or closes) the account menu.
    pub async fn avatar(&self) -> Result<(), String> {
        self.click(self.wait_for("//button[@aria-haspopup='menu']").await, "the avatar")
            .await
    }

    /// Opens the avatar's account menu and picks `item` from it.
    pub async fn account_menu(&self, item: &str) -> Result<(), String> {
        self.avatar().await?;
        self.click(self.menu_item(item).await, &format!("{item:?} in the menu"))
            .await
    }

    /// Finds the link reading `name` and follows it.
    pub async fn follow(&self, name: &str) -> Result<(), String> {
        self.click(self.link(name).await, &format!("the link {name:?}")).await
    }

    /// A button whose accessible name starts with `prefix`.
    pub async fn button_starting(&self, prefix: &str) -> Result<Element, CmdError> {
        self.wait_for(&format!(
            "//button[starts-with(@aria-label, {q})]",
            q = xpath_str(prefix)
        ))
        .await
    }

    pub async fn link(&self, name: &str) -> Result<Element, CmdError> {
        self.wait_for(&format!("//a[normalize-space(.)={}]", xpath_str(name)))
            .await
    }

    pub async fn menu_item(&self, name: &str) -> Result<Element, CmdError> {
        self.wait_for(&format!(
            "//*[@role='menuitem'][normalize-space(.)={}]",
            xpath_str(name)
        ))
        .await
    }

    pub async fn heading(&self, text: &str) -> Result<Element, CmdError> {
        self.wait_for(&format!(
            "//*[self::h1 or self::h2 or self::h3][normalize-space(.)={}]",
            xpath_str(text)
        ))
        .await
    }

    /// The form control whose `<label>` reads `label`.
    pub async fn field(&self, label: &str) -> Result<Element, CmdError> {
        let label_el = self
            .wait_for(&format!("//label[normalize-space(.)={}]", xpath_str(label)))
            .await?;
        let id = label_el.attr("for").await?.unwrap_or_default();
        self.wait_for(&format!("//*[@id={}]", xpath_str(&id))).await
    }

    /// Picks `option` in the drop-down whose `<label>` reads `label`.
    pub async fn choose(&self, label: &str, option: &str) -> Result<(), CmdError> {
        let select = self.field(label).await?;
        let choice = select
            .find(Locator::XPath(&format!(
                "./option[normalize-space(.)={}]",
                xpath_str(option)
            )))
            .await?;
        choice.click().await
    }

    /// The value of the form control whose `<label>` reads `label`.
    pub async fn field_value(&self, label: &str) -> Result<String, CmdError> {
        Ok(self.field(label).await?.prop("value").await?.unwrap_or_default())
    }

    /// The text selected in the focused control, else in the page.
    pub async fn selected_text(&self) -> Result<String, CmdError> {
        let selected = self
            .client
            .execute(
                "const e = document.activeElement; \
                 return e && typeof e.selectionStart === 'number' \
                   ? e.value.substring(e.selectionStart, e.selectionEnd) \
                   : window.getSelection().toString();",
                vec![],
            )
            .await?;
        Ok(selected.as_str().unwrap_or_default().to_owned())
    }

    /// Replaces a field's text.
    pub async fn fill(&self, label: &str, text: &str) -> Result<(), CmdError> {
        let field = self.field(label).await?;
        field.clear().await?;
        field.send_keys(text).await
    }

    /// Whether `text` appears anywhere in the page's DOM (including attributes and values).
    pub async fn dom_contains(&self, text: &str) -> Result<bool, CmdError> {
        let found = self
            .client
            .execute(
                "const t = arguments[0]; \
                 const html = document.documentElement.outerHTML; \
                 const values = [...document.querySelectorAll('input, textarea')].map(e => e.value).join(' '); \
                 return html.includes(t) || values.includes(t);",
                vec![serde_json::Value::String(text.to_owned())],
            )
            .await?;
        Ok(found.as_bool().unwrap_or(false))
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<(), String> {
        self.goto("/login").await.step("open the sign-in page")?;
        self.submit_sign_in(username, password).await?;
        self.wait_for_path("/profile").await.step("signed in")
    }

    /// Fills in and sends the sign-in form of the page shown.
    pub async fn submit_sign_in(&self, username: &str, password: &str) -> Result<(), String> {
        self.fill("Username", username).await.step("type the username")?;
        self.fill("Password", password).await.step("type the password")?;
        self.press("Sign in").await
    }
}

/// An XPath string literal for any text.
pub fn xpath_str(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
