//! Page timings in headless Chromium against a running Tessera server, for `scripts/bench.sh`:
//!
//! - the cold first load of `/login` (fresh profile, empty cache) until the sign-in form
//!   shows, with the network throttled to 10 Mbit/s and 20 ms round-trip time through the
//!   Chrome DevTools Protocol (`Network.emulateNetworkConditions`);
//! - from the same cold sign-in page, the click on "Sign in" until My profile shows, once the
//!   page's prefetch of the client's main module has finished, and, for comparison, with the
//!   cache emptied just before the click;
//! - signed in, with a warm cache and no throttling, a navigation to `/profile/edit` until the
//!   "+ Create API token" button shows.
//!
//! Each is timed from the WebDriver navigation command until the element is found (polled
//! every 5 ms through chromedriver), RUNS times (default 5); the median and range are printed.
//! That includes the harness: the navigation command and each poll are round trips through
//! chromedriver, which on 2 busy cores take tens of ms. The warm navigation is therefore also
//! timed by the page's own clock: from the navigation's start until the frame after the
//! button entered the page (a `MutationObserver` and `requestAnimationFrame`, installed on
//! every new document through `Page.addScriptToEvaluateOnNewDocument`).
//!
//! ```text
//! cargo run --release -p tessera-tests --example page_times -- BASE_URL USERNAME PASSWORD [RUNS]
//! ```

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};

/// 10 Mbit/s in bytes per second.
const THROTTLED_BYTES_PER_SECOND: u64 = 10_000_000 / 8;
const THROTTLED_LATENCY_MS: u64 = 20;
/// Longest wait for an element before the run counts as failed.
const WAIT: Duration = Duration::from_secs(30);

const SIGN_IN_FORM: &str = "//form[.//input[@type='password']]//button[normalize-space(.)='Sign in']";
const CREATE_TOKEN: &str = "//button[normalize-space(.)='+ Create API token']";
const MY_PROFILE: &str = "//h1[normalize-space(.)='My profile']";
/// Run in every new document of the warm runs: notes, by the page's clock (milliseconds from
/// the navigation's start), when the "+ Create API token" button entered the page, and the
/// start of the next frame, in which it is painted.
const MARK_SHOWN: &str = "new MutationObserver((_, observer) => {
        const shown = [...document.querySelectorAll('button')]
            .some(b => b.textContent.trim() === '+ Create API token');
        if (!shown) return;
        observer.disconnect();
        const inPage = performance.now();
        requestAnimationFrame(frame => { window.tesseraShown = [inPage, frame]; });
    }).observe(document, { childList: true, subtree: true });";

/// Whether every prefetch of the sign-in page has finished.
const PREFETCHED: &str = "const wanted = [...document.querySelectorAll('link[rel=prefetch]')].map(l => l.href);
    const done = new Set(performance.getEntriesByType('resource')
        .filter(e => e.responseEnd > 0).map(e => e.name));
    return wanted.length > 0 && wanted.every(href => done.has(href));";

/// A Chrome DevTools Protocol command sent through chromedriver.
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.0, "params": self.1 });
        (http::Method::POST, Some(body.to_string()))
    }
}

struct Args {
    base: String,
    username: String,
    password: String,
    runs: usize,
}

fn parse_args() -> Option<Args> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (base, username, password, runs) = match args.as_slice() {
        [base, username, password] => (base, username, password, 5),
        [base, username, password, runs] => (base, username, password, runs.parse().ok().filter(|&n| n > 0)?),
        _ => return None,
    };
    url::Url::parse(base).ok()?;
    Some(Args {
        base: base.trim_end_matches('/').to_owned(),
        username: username.clone(),
        password: password.clone(),
        runs,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Some(args) = parse_args() else {
        eprintln!("usage: page_times BASE_URL USERNAME PASSWORD [RUNS]");
        return std::process::ExitCode::FAILURE;
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("error: no temporary folder: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let (mut driver, client) = match start_browser(dir.path()).await {
        Ok(started) => started,
        Err(error) => {
            eprintln!("error: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = measure(&client, &args).await;
    let _ = client.close().await;
    let _ = driver.kill();
    let _ = driver.wait();
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn measure(client: &Client, args: &Args) -> Result<(), String> {
    let login = format!("{}/login", args.base);
    let throttle = serde_json::json!({
        "offline": false,
        "latency": THROTTLED_LATENCY_MS,
        "downloadThroughput": THROTTLED_BYTES_PER_SECOND,
        "uploadThroughput": THROTTLED_BYTES_PER_SECOND,
    });
    cdp(client, "Network.enable", serde_json::json!({})).await?;
    let mut cold = Vec::new();
    for _ in 0..args.runs {
        // A first visit: nothing cached, no connection open.
        cdp(client, "Network.clearBrowserCache", serde_json::json!({})).await?;
        client.goto("about:blank").await.map_err(|e| e.to_string())?;
        cdp(client, "Network.emulateNetworkConditions", throttle.clone()).await?;
        cold.push(time_until(client, &login, SIGN_IN_FORM).await?);
    }
    let (mut prefetched, mut not_prefetched) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        for (prefetch, times) in [(true, &mut prefetched), (false, &mut not_prefetched)] {
            // Signed out: the session cookie goes with the cache.
            cdp(client, "Network.clearBrowserCookies", serde_json::json!({})).await?;
            cdp(client, "Network.clearBrowserCache", serde_json::json!({})).await?;
            client.goto("about:blank").await.map_err(|e| e.to_string())?;
            cdp(client, "Network.emulateNetworkConditions", throttle.clone()).await?;
            time_until(client, &login, SIGN_IN_FORM).await?;
            if prefetch {
                wait_for_prefetch(client).await?;
            } else {
                cdp(client, "Network.clearBrowserCache", serde_json::json!({})).await?;
            }
            times.push(sign_in_on_page(client, &args.username, &args.password).await?);
        }
    }
    let unthrottled = serde_json::json!({
        "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
    });
    cdp(client, "Network.emulateNetworkConditions", unthrottled).await?;
    // The runs above end signed in, with the cache filled under the throttle: sign in again
    // from the start, unthrottled.
    cdp(client, "Network.clearBrowserCookies", serde_json::json!({})).await?;
    sign_in(client, &login, &args.username, &args.password).await?;
    let edit = format!("{}/profile/edit", args.base);
    cdp(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": MARK_SHOWN }),
    )
    .await?;
    // Once to fill the cache, then the warm runs.
    time_until(client, &edit, CREATE_TOKEN).await?;
    let (mut warm, mut warm_in_page) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        warm.push(time_until(client, &edit, CREATE_TOKEN).await?);
        warm_in_page.push(shown_in_page(client).await?);
    }
    print_row(
        "cold first load of /login until the form shows, 10 Mbit/s and 20 ms RTT",
        &mut cold,
    );
    print_row(
        "from \"Sign in\" until My profile shows, 10 Mbit/s and 20 ms RTT, after the sign-in page's prefetch",
        &mut prefetched,
    );
    print_row(
        "from \"Sign in\" until My profile shows, 10 Mbit/s and 20 ms RTT, cache emptied before the click",
        &mut not_prefetched,
    );
    print_row(
        "navigation to /profile/edit until \"+ Create API token\" shows, signed in, warm",
        &mut warm,
    );
    print_row(
        "the same by the page's clock: navigation start to the frame after the button entered the page",
        &mut warm_in_page,
    );
    Ok(())
}

fn print_row(what: &str, times: &mut [Duration]) {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (first, last) = (times.first().copied(), times.last().copied());
    let median = times.get(times.len() / 2).copied();
    if let (Some(first), Some(median), Some(last)) = (first, median, last) {
        println!(
            "{what}: median {:.0} ms ({:.0}–{:.0} ms, {} runs)",
            ms(median),
            ms(first),
            ms(last),
            times.len()
        );
    }
}

async fn cdp(client: &Client, command: &'static str, params: serde_json::Value) -> Result<(), String> {
    client
        .issue_cmd(Cdp(command, params))
        .await
        .map(|_| ())
        .map_err(|e| format!("{command}: {e}"))
}

/// When the page shown painted the "+ Create API token" button, by its own clock (see
/// `MARK_SHOWN`): the start of the frame after the button entered the page.
async fn shown_in_page(client: &Client) -> Result<Duration, String> {
    for _ in 0..200 {
        let marks = client
            .execute("return window.tesseraShown || null;", vec![])
            .await
            .map_err(|e| format!("read the page's marks: {e}"))?;
        if let Some(frame) = marks.get(1).and_then(serde_json::Value::as_f64) {
            return Ok(Duration::from_secs_f64(frame / 1000.0));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err("the page noted no frame with \"+ Create API token\" in it".to_owned())
}

/// How long from asking for `url` until `xpath` finds a displayed element.
async fn time_until(client: &Client, url: &str, xpath: &str) -> Result<Duration, String> {
    let started = Instant::now();
    client.goto(url).await.map_err(|e| format!("open {url}: {e}"))?;
    wait_for(client, xpath, started)
        .await
        .map_err(|e| format!("{e} at {url}"))?;
    Ok(started.elapsed())
}

/// Waits until `xpath` finds a displayed element, at most `WAIT` after `started`.
async fn wait_for(client: &Client, xpath: &str, started: Instant) -> Result<(), String> {
    loop {
        let last = match client.find(Locator::XPath(xpath)).await {
            Ok(element) => match element.is_displayed().await {
                Ok(true) => return Ok(()),
                Ok(false) => "found, not displayed".to_owned(),
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        if started.elapsed() > WAIT {
            let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            return Err(format!("{xpath} did not show within {WAIT:?} on {url} ({last})"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn sign_in(client: &Client, login: &str, username: &str, password: &str) -> Result<(), String> {
    time_until(client, login, SIGN_IN_FORM).await?;
    sign_in_on_page(client, username, password).await?;
    Ok(())
}

/// Fills the sign-in form shown and clicks "Sign in"; how long from the click until My
/// profile shows.
async fn sign_in_on_page(client: &Client, username: &str, password: &str) -> Result<Duration, String> {
    // The field a `<label>` names, as a person finds it.
    let fill = async |label: &str, text: &str| -> Result<(), CmdError> {
        let xpath = format!("//input[@id=//label[normalize-space(.)='{label}']/@for]");
        client.find(Locator::XPath(&xpath)).await?.send_keys(text).await
    };
    fill("Username", username).await.map_err(|e| format!("username: {e}"))?;
    fill("Password", password).await.map_err(|e| format!("password: {e}"))?;
    let button = client
        .find(Locator::XPath(SIGN_IN_FORM))
        .await
        .map_err(|e| e.to_string())?;
    button.click().await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    wait_for(client, MY_PROFILE, started).await?;
    Ok(started.elapsed())
}

/// Waits until every prefetch of the sign-in page has finished.
async fn wait_for_prefetch(client: &Client) -> Result<(), String> {
    let started = Instant::now();
    while client.execute(PREFETCHED, vec![]).await.map_err(|e| e.to_string())? != serde_json::json!(true) {
        if started.elapsed() > WAIT {
            return Err("the sign-in page did not finish its prefetches".to_owned());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Starts chromedriver on a free port and a headless Chromium session with a fresh profile.
async fn start_browser(dir: &std::path::Path) -> Result<(Child, Client), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let mut driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("chromedriver did not start: {e}"))?;
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", dir.join("profile").display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return Ok((driver, client));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = driver.kill();
    let _ = driver.wait();
    Err("could not start a Chromium session through chromedriver".to_owned())
}
