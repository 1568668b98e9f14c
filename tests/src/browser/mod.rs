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

mod api;
mod axe;
mod clipboard;
mod controls;
mod elsewhere;
mod keyboard;

pub use api::http;
pub use axe::Scheme;
pub use controls::xpath_str;
pub use elsewhere::{sign_in_elsewhere, still_signed_in};
pub use keyboard::Focused;

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
        Self::start_with_config(clock, |config| config).await
    }

    /// Starts everything with the server's settings changed by `configure` (a token policy,
    /// say), as `tessera serve` flags would.
    pub async fn start_with_config(clock: Clock, configure: impl FnOnce(ServeConfig) -> ServeConfig) -> Self {
        let dist = dist_dir();
        assert!(
            dist.join("index.html").exists(),
            "the web client is not built at {}; run the README test command (scripts/test.sh), which runs `trunk build`",
            dist.display()
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("tessera.db").display());
        let app = Application::build_with_clock(configure(ServeConfig::for_tests(url, dist)), clock.clone())
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

/// Turns a WebDriver error into the failed step's description.
pub trait Step<T> {
    fn step(self, what: &str) -> Result<T, String>;
}

impl<T> Step<T> for Result<T, CmdError> {
    fn step(self, what: &str) -> Result<T, String> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}
