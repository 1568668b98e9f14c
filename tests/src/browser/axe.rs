//! Accessibility audits with axe-core, in the light and the dark colour scheme.
//!
//! axe-core comes from the npm registry (the README test command installs the pinned
//! version); `TESSERA_AXE` names its `axe.min.js`, else it is looked for in the tool cache.

use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::error::CmdError;

use super::Browser;

/// The rules audited: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

fn axe_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TESSERA_AXE") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("TESSERA_CACHE").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/tessera"),
        PathBuf::from,
    );
    cache.join("tools/node_modules/axe-core/axe.min.js")
}

/// The axe-core script, read once per test binary.
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = axe_path();
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core is not installed at {} ({e}); run the README test command (scripts/test.sh), which installs it",
                path.display()
            )
        })
    })
}

/// A Chrome DevTools Protocol command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A colour scheme the page is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// Turns one axe result into lines a person can act on: the rule, its impact, what it
/// asks for, and each element (its selector and the start of its HTML).
fn describe(scheme: Scheme, violations: &[serde_json::Value]) -> Vec<String> {
    let mut lines = Vec::new();
    for v in violations {
        let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
        lines.push(format!(
            "[{}] {} ({}): {} — {}",
            scheme.name(),
            text("id"),
            text("impact"),
            text("help"),
            text("helpUrl")
        ));
        for node in v["nodes"].as_array().into_iter().flatten() {
            let html: String = node["html"].as_str().unwrap_or_default().chars().take(160).collect();
            let summary = node["failureSummary"].as_str().unwrap_or_default().replace('\n', " ");
            lines.push(format!("    at {} {html}\n      {summary}", node["target"]));
        }
    }
    lines
}

impl Browser {
    /// Shows the page in `scheme` (the `prefers-color-scheme` media feature).
    pub async fn color_scheme(&self, scheme: Scheme) -> Result<(), CmdError> {
        let params = serde_json::json!({
            "features": [{ "name": "prefers-color-scheme", "value": scheme.name() }]
        });
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params,
            })
            .await
            .map(|_| ())
    }

    /// Sets the window's width and height, in CSS pixels.
    pub async fn viewport(&self, width: u32, height: u32) -> Result<(), CmdError> {
        let params = serde_json::json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 640
        });
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setDeviceMetricsOverride",
                params,
            })
            .await
            .map(|_| ())
    }

    /// The violations axe-core finds on the page as it is now, in the current scheme.
    async fn axe(&self) -> Result<Vec<serde_json::Value>, CmdError> {
        let present = self
            .client
            .execute("return typeof window.axe === 'object'", vec![])
            .await?;
        if present.as_bool() != Some(true) {
            self.client.execute(axe_source(), vec![]).await?;
        }
        let tags = serde_json::json!(TAGS);
        let result = self
            .client
            .execute_async(
                "const [tags, done] = arguments; \
                 axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }) \
                   .then(r => done(r.violations), e => done('axe failed: ' + e));",
                vec![tags],
            )
            .await?;
        match result {
            serde_json::Value::Array(violations) => Ok(violations),
            other => Err(CmdError::NotJson(other.to_string())),
        }
    }

    /// Audits the page as it is now, in the light and the dark colour scheme, and fails on
    /// any violation with its rule, impact and elements. `view` names the page in the message.
    /// The page is left in the light scheme.
    pub async fn audit(&self, view: &str) -> Result<(), String> {
        let mut lines = Vec::new();
        for scheme in [Scheme::Dark, Scheme::Light] {
            self.color_scheme(scheme)
                .await
                .map_err(|e| format!("switch {view} to the {} scheme: {e}", scheme.name()))?;
            let violations = self
                .axe()
                .await
                .map_err(|e| format!("audit {view} in the {} scheme: {e}", scheme.name()))?;
            lines.extend(describe(scheme, &violations));
        }
        if lines.is_empty() {
            Ok(())
        } else {
            Err(format!("axe-core found violations on {view}:\n{}", lines.join("\n")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_names_its_rule_impact_and_element() {
        let violation = serde_json::json!({
            "id": "link-name", "impact": "serious", "help": "Links must have discernible text",
            "helpUrl": "https://example.invalid/link-name",
            "nodes": [{ "target": [".brand"], "html": "<a class=\"brand\" href=\"/profile\">", "failureSummary": "Fix any of the following:\n  Element is not focusable" }]
        });
        let lines = describe(Scheme::Dark, &[violation]);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("[dark] link-name (serious): Links must have discernible text"));
        assert!(lines[1].contains("[\".brand\"]") && lines[1].contains("<a class=\"brand\""));
        assert!(lines[1].contains("Fix any of the following:   Element is not focusable"));
    }
}
