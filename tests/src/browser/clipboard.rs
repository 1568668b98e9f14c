//! Reading the clipboard back from the page.

use fantoccini::error::CmdError;

use super::Browser;

/// The W3C permissions extension: lets the page read the clipboard back in tests.
#[derive(Debug)]
struct SetPermission(&'static str);

impl fantoccini::wd::WebDriverCompatibleCommand for SetPermission {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/permissions", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "descriptor": { "name": self.0 }, "state": "granted" });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Lets pages of this origin read and write the clipboard.
    pub async fn grant_clipboard(&self) -> Result<(), CmdError> {
        for name in ["clipboard-read", "clipboard-write"] {
            self.client.issue_cmd(SetPermission(name)).await?;
        }
        Ok(())
    }

    /// What the page reads from the clipboard.
    pub async fn read_clipboard(&self) -> Result<String, CmdError> {
        let value = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 navigator.clipboard.readText().then(done, e => done('clipboard error: ' + e));",
                vec![],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }
}
