//! The hosted setup flow in headless Chromium, through WebDriver
//! (fantoccini, against Debian's chromedriver): the walk an end user makes,
//! with axe-core on every page and screenshots under `target/screenshots`.
//!
//! Chromium and chromedriver come from Debian (`bash scripts/browser-deps.sh`,
//! which `.ci/run` calls); axe-core from npm (`tests/browser`). Without them
//! the tests fail and say how to install them, unless
//! `SWITCHBOARD_SKIP_BROWSER=1` is set, when they say they were skipped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

mod cases;
mod walk;

/// Browser tests run one at a time: each starts a Chromium.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver on a free loopback port, and the profile directory; both
/// removed when dropped (also when a test fails).
pub(crate) struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A test that failed never closed its session: its Chromium outlives
        // chromedriver. Every process on this driver's profile goes too.
        let _ = Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Whether the browser tests can run here; `None` (with a note) when they are skipped.
fn available() -> Option<()> {
    if std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists() {
        return Some(());
    }
    if std::env::var_os("SWITCHBOARD_SKIP_BROWSER").is_some() {
        eprintln!("browser tests skipped (SWITCHBOARD_SKIP_BROWSER): no Chromium here");
        return None;
    }
    panic!(
        "Chromium and chromedriver are not installed: run `bash scripts/browser-deps.sh` (Debian's chromium and \
         chromium-driver, and axe-core from npm), or set SWITCHBOARD_SKIP_BROWSER=1 to skip these tests"
    );
}

impl Driver {
    fn start() -> Option<Driver> {
        available()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile =
            std::env::temp_dir().join(format!("switchboard-chromium-{}-{port}", std::process::id()));
        Some(Driver { child, port, profile })
    }

    /// A headless Chromium session; `javascript: false` turns scripts off.
    async fn browser(&self, javascript: bool) -> Client {
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                "--window-size=1280,900", format!("--user-data-dir={}", self.profile.display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".to_owned(), options);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session")
    }
}

/// axe-core's source, from `tests/browser/node_modules`.
fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/browser/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("{path}: {e}; run `npm ci --prefix tests/browser` (scripts/browser-deps.sh does)")
    })
}

/// Checks and screenshots taken along a walk.
pub(crate) struct Eyes {
    axe: Option<String>,
    /// `page: rule (impact): target` for every serious or critical violation.
    pub(crate) violations: Vec<String>,
    pub(crate) pages_checked: usize,
    shots: Option<PathBuf>,
}

impl Eyes {
    /// With axe-core and screenshots, or neither (JavaScript off).
    pub(crate) fn new(checks: bool) -> Eyes {
        let shots = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots"));
        if checks {
            std::fs::create_dir_all(&shots).unwrap();
        }
        Eyes {
            axe: checks.then(axe_source),
            violations: Vec::new(),
            pages_checked: 0,
            shots: checks.then_some(shots),
        }
    }

    /// Runs axe-core on the page and writes its screenshots, desktop and 390 px wide.
    pub(crate) async fn look(&mut self, c: &Client, name: &str) {
        if let Some(axe) = &self.axe {
            c.execute(&format!("{axe}\nreturn true;"), vec![]).await.unwrap();
            let result = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];\
                     axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)));",
                    vec![],
                )
                .await
                .unwrap();
            let violations: Vec<Value> = serde_json::from_str(result.as_str().unwrap()).unwrap();
            for v in violations {
                let impact = v["impact"].as_str().unwrap_or("");
                if impact == "serious" || impact == "critical" {
                    let targets: Vec<String> = v["nodes"]
                        .as_array()
                        .map(|n| n.iter().map(|n| n["target"].to_string()).collect())
                        .unwrap_or_default();
                    self.violations
                        .push(format!("{name}: {} ({impact}): {}", v["id"], targets.join(", ")));
                }
            }
            self.pages_checked += 1;
        }
        if let Some(dir) = &self.shots {
            let desktop = c.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-desktop.png")), desktop).unwrap();
            c.set_window_size(390, 844).await.unwrap();
            let phone = c.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-phone.png")), phone).unwrap();
            // Nothing wider than the phone's screen.
            let wide: Value = c
                .execute(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(wide, Value::Bool(true), "{name} scrolls sideways at 390 px");
            c.set_window_size(1280, 900).await.unwrap();
        }
    }
}

/// Clicks the element matched by `css`.
pub(crate) async fn click(c: &Client, css: &str) {
    let found = c.find(Locator::Css(css)).await;
    let Ok(e) = found else {
        panic!(
            "no `{css}` on {}:\n{}",
            c.current_url().await.unwrap(),
            text(c).await
        );
    };
    e.click().await.unwrap();
}

/// Waits (at most 10 s) for an element matching `css`: the page a click led to.
pub(crate) async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(e) => panic!(
            "no `{css}` appeared on {} ({e}):\n{}",
            c.current_url().await.unwrap(),
            text(c).await
        ),
    }
}

/// Clicks `css`, then waits for `next` on the page that follows.
pub(crate) async fn click_then(c: &Client, css: &str, next: &str) -> fantoccini::elements::Element {
    click(c, css).await;
    wait_for(c, next).await
}

/// Types `text` into the field matched by `css` (emptied first).
pub(crate) async fn fill(c: &Client, css: &str, text: &str) {
    let e = c.find(Locator::Css(css)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// The page's visible text.
pub(crate) async fn text(c: &Client) -> String {
    c.find(Locator::Css("body")).await.unwrap().text().await.unwrap()
}
