//! A real Tessera server with the built client, driven by headless Chromium through
//! chromedriver. Controls are found by role and visible label, the way a person (or a
//! screen reader) finds them.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::backend::{AppState, Clock};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use server::{Application, ServeConfig};
use tokio::sync::oneshot;

/// How long to wait for something to appear.
pub const WAIT: Duration = Duration::from_secs(20);

/// The built client (`trunk build` output): `TESSERA_DIST`, else the workspace's `dist/`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("TESSERA_DIST").map_or_else(
        || std::env::current_dir().unwrap_or_default().join("..").join("dist"),
        PathBuf::from,
    )
}

/// A running server, a chromedriver and a browser session.
pub struct Browser {
    pub client: Client,
    pub base: String,
    pub state: AppState,
    pub clock: Clock,
    driver: Child,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts everything. Panics with a clear message when the client is not built or
    /// Chromium is missing (the README test command installs and builds both).
    pub async fn start() -> Self {
        Self::start_with_clock(Clock::system()).await
    }

    pub async fn start_with_clock(clock: Clock) -> Self {
        let dist = dist_dir();
        assert!(
            dist.join("index.html").exists(),
            "the web client is not built at {}; run the README test command (scripts/test.sh), which runs `trunk build`",
            dist.display()
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("tessera.db").display());
        let app = Application::build_with_clock(ServeConfig::for_tests(url, dist), clock.clone())
            .await
            .expect("server");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));

        let driver_port = free_port();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).expect("home");
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={driver_port}"))
            .arg(format!("--log-path={}", dir.path().join("chromedriver.log").display()))
            .arg("--enable-chrome-logs")
            .env("HOME", &home)
            .env("TZ", "UTC")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is not installed; run the README test command, which installs chromium-driver");
        let profile = dir.path().join("chrome-profile");
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                    "--disable-dev-shm-usage", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let mut client = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{driver_port}"))
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let client = client.expect("could not start a Chromium session through chromedriver");
        Self {
            client,
            base,
            state,
            clock,
            driver,
            stop: Some(stop),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn goto(&self, path: &str) -> Result<(), CmdError> {
        self.client.goto(&self.url(path)).await
    }

    /// The path and query of the current page.
    pub async fn path(&self) -> Result<String, CmdError> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// Waits until the current path (and query) equals `expected`.
    pub async fn wait_for_path(&self, expected: &str) -> Result<(), CmdError> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let now = self.path().await?;
            if now == expected {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(CmdError::WaitTimeout).inspect_err(|_| eprintln!("still at {now}, wanted {expected}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_for(&self, xpath: &str) -> Result<Element, CmdError> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
    }

    /// Waits until nothing matches `xpath`.
    pub async fn wait_gone(&self, xpath: &str) -> Result<(), CmdError> {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self.client.find_all(Locator::XPath(xpath)).await?.is_empty() {
            if tokio::time::Instant::now() > deadline {
                return Err(CmdError::WaitTimeout);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// A button by its visible text or accessible name.
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

    /// The text of the element whose accessible name (`aria-label`) is `name`.
    pub async fn labelled_text(&self, name: &str) -> Result<String, CmdError> {
        self.wait_for(&format!("//*[@aria-label={}]", xpath_str(name)))
            .await?
            .text()
            .await
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

    /// Saves a screenshot under `target/browser-failures/NAME.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> Option<PathBuf> {
        // Test binaries run in their package's folder (tests/); the build may have been cached
        // from another checkout, so no compile-time path is used here.
        let dir = std::env::current_dir()
            .ok()?
            .join("..")
            .join("target")
            .join("browser-failures");
        std::fs::create_dir_all(&dir).ok()?;
        let png = self.client.screenshot().await.ok()?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).ok()?;
        Some(path)
    }

    /// Ends the browser, the driver and the server.
    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Runs a journey; on failure saves a screenshot, shuts everything down and panics
    /// with the step that failed.
    pub async fn run<F>(self, name: &str, journey: F)
    where
        F: AsyncFnOnce(&Browser) -> Result<(), String>,
    {
        let outcome = journey(&self).await;
        if let Err(step) = outcome {
            let shot = self.screenshot(name).await;
            let at = self.path().await.unwrap_or_default();
            let body = self
                .client
                .execute("return document.body.outerHTML.slice(0, 4000)", vec![])
                .await
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .unwrap_or_default();
            eprintln!("page body at failure:\n{body}");
            let log = std::fs::read_to_string(self._dir.path().join("chromedriver.log")).unwrap_or_default();
            let console: Vec<&str> = log
                .lines()
                .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
                .collect();
            eprintln!("browser console and errors:\n{}", console.join("\n"));
            self.finish().await;
            panic!("browser journey {name} failed at: {step} (page {at}; screenshot {shot:?})");
        }
        self.finish().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

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

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<(), String> {
        self.goto("/login").await.step("open the sign-in page")?;
        self.fill("Username", username).await.step("type the username")?;
        self.fill("Password", password).await.step("type the password")?;
        self.press("Sign in").await?;
        self.wait_for_path("/profile").await.step("signed in")
    }
}

/// A plain HTTP call from the test to the server (for the REST API), returning status and body.
pub async fn http(
    method: http::Method,
    url: &str,
    token: Option<&str>,
    json: Option<serde_json::Value>,
) -> Result<(http::StatusCode, serde_json::Value), String> {
    use http_body_util::BodyExt as _;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<axum::body::Bytes>>();
    let mut request = http::Request::builder()
        .method(method)
        .uri(url)
        .header(http::header::USER_AGENT, "tessera-browser-test/1.0");
    if let Some(token) = token {
        request = request.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match json {
        Some(json) => {
            request = request.header(http::header::CONTENT_TYPE, "application/json");
            axum::body::Bytes::from(json.to_string())
        }
        None => axum::body::Bytes::new(),
    };
    let request = request
        .body(http_body_util::Full::new(body))
        .map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    let value = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())?
    };
    Ok((status, value))
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

/// Turns a WebDriver error into the failed step's description.
pub trait Step<T> {
    fn step(self, what: &str) -> Result<T, String>;
}

impl<T> Step<T> for Result<T, CmdError> {
    fn step(self, what: &str) -> Result<T, String> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}
