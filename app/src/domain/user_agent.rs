//! A `User-Agent` string summarised for people: "Firefox on Linux", "Safari on iPhone". The
//! full string stays available beside the summary; this only has to be right for the common
//! browsers and honest ("Unknown browser") for the rest.

/// The browser and, when it can be told, the system: "Chrome on Windows", "curl".
pub fn summarise(agent: Option<&str>) -> String {
    let Some(agent) = agent.map(str::trim).filter(|a| !a.is_empty()) else {
        return "Unknown browser".to_owned();
    };
    let browser = browser(agent);
    match system(agent) {
        Some(system) => format!("{browser} on {system}"),
        None => browser,
    }
}

/// The browser: the most specific of the names a browser claims (Edge also says Chrome and
/// Safari; Chrome also says Safari), else the first product token.
fn browser(agent: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chromium/", "Chromium"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
    ];
    if let Some((_, name)) = KNOWN.iter().find(|(token, _)| agent.contains(token)) {
        return (*name).to_owned();
    }
    if agent.contains("Safari/") && agent.contains("Version/") {
        return "Safari".to_owned();
    }
    // A script or tool: its own name, as in "curl/8.5.0" or "python-requests/2.32".
    let first = agent.split([' ', '/']).next().unwrap_or_default();
    if first.is_empty() || first == "Mozilla" {
        "Unknown browser".to_owned()
    } else {
        first.chars().take(40).collect()
    }
}

/// The operating system or device, when the agent names one.
fn system(agent: &str) -> Option<&'static str> {
    const KNOWN: &[(&str, &str)] = &[
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Macintosh", "macOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
        ("FreeBSD", "FreeBSD"),
    ];
    KNOWN
        .iter()
        .find(|(token, _)| agent.contains(token))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_read_as_browser_on_system() {
        for (agent, summary) in [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
                "Headless Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0 Chrome/120.0 Safari/537.36",
                "Chromium on Linux",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "Safari on macOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            ("curl/8.5.0", "curl"),
            ("python-requests/2.32.3", "python-requests"),
        ] {
            assert_eq!(summarise(Some(agent)), summary, "{agent}");
        }
    }

    #[test]
    fn a_missing_or_unreadable_agent_is_an_unknown_browser() {
        assert_eq!(summarise(None), "Unknown browser");
        assert_eq!(summarise(Some("   ")), "Unknown browser");
        assert_eq!(summarise(Some("Mozilla/5.0")), "Unknown browser");
        assert_eq!(
            summarise(Some("Mozilla/5.0 (Windows NT 10.0)")),
            "Unknown browser on Windows"
        );
    }
}
