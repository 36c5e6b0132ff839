//! The web console in a real browser: headless Chromium driven over WebDriver (fantoccini,
//! chromedriver started here on a free port, a fresh profile each time) against an
//! in-process daemon whose runs go to the Okta emulator. Each scenario saves screenshots of
//! the pages it visits to `target/console-screenshots/` for review.
//!
//! Where Chromium or chromedriver is missing the tests say `skipped:` once and pass, unless
//! `HRSYNC_REQUIRE_BROWSER=1` (CI), where that fails them. Every wait is bounded.

mod access;
mod approval;
mod people;

use crate::support::{Fixture, HEADER};
use fantoccini::{Client, ClientBuilder, Locator};
use hrsync::config::Config;
use hrsync::console::{Console, Shared};
use hrsync::daemon::{Daemon, DaemonError, DaemonHandle, SyncRunner, SystemClock};
use hrsync::emulator::EmulatorConfig;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The read token the test daemon's console accepts.
pub const READ_TOKEN: &str = "console-read-token-for-tests";

/// The admin token the test daemon's console accepts.
pub const ADMIN_TOKEN: &str = "console-admin-token-for-tests";

/// The longest a whole scenario may take.
pub const SCENARIO_BOUND: Duration = Duration::from_secs(120);

/// `n` employees who started in 2024, ids from 5000; `leavers` of the last ones left two
/// days ago.
pub fn staff(n: usize, leavers: usize) -> String {
    let gone = (chrono::Utc::now().date_naive() - chrono::Days::new(2)).to_string();
    let mut csv = HEADER.to_owned();
    for i in 0..n {
        let end = if i >= n - leavers { gone.as_str() } else { "" };
        csv.push_str(&format!(
            "{id},First{i},Last{i},person{i}@example.com,Engineer,Engineering,,Active,2024-01-08,{end},Europe/London\n",
            id = 5000 + i
        ));
    }
    csv
}

/// A daemon with the console on, its emulator and its digest.
pub struct Site {
    /// The emulator, the CSV and the journal.
    pub fx: Fixture,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Triggers runs and stops the daemon.
    pub handle: DaemonHandle,
    /// The digest the console reads.
    pub latest: Shared,
    task: Option<tokio::task::JoinHandle<Result<(), DaemonError>>>,
}

impl Site {
    /// Starts the daemon on `csv` and waits for its startup run's digest.
    pub async fn start(csv: &str) -> Site {
        let mut fx = Fixture::start_with(csv, EmulatorConfig::default(), "").await;
        let dir = fx.dir.path().to_path_buf();
        std::fs::write(dir.join("console-token"), READ_TOKEN).unwrap();
        std::fs::write(dir.join("admin-token"), ADMIN_TOKEN).unwrap();
        let path = dir.join("hrsync.toml");
        let mut toml = std::fs::read_to_string(&path).unwrap();
        toml.push_str(
            "\n[server]\nlisten = \"off\"\nconsole = true\nconsole_token = { file = \"console-token\" }\nconsole_admin_token = { file = \"admin-token\" }\n\n[schedule]\ncron = \"0 0 0 1 1 *\"\n",
        );
        std::fs::write(&path, toml).unwrap();
        fx.config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let config = fx.config.clone();
        let deps = hrsync::cli::sync::deps(&config).unwrap();
        let journal = deps.journal.clone();
        let latest = Shared::default();
        let runner = SyncRunner::new(path, config.clone(), deps).with_console(latest.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let daemon = Daemon::new(Arc::new(runner), config.schedule.clone(), SystemClock)
            .debounce(Duration::from_millis(100))
            .min_trigger_interval(Duration::ZERO);
        let reader = hrsync::journal::Journal::from_config_read_only(&config.journal).unwrap();
        let console = Console::new(
            &config.server,
            journal,
            reader,
            latest.clone(),
            daemon.health(),
        )
        .expect("the console is on");
        let handle = daemon.handle();
        let task = tokio::spawn(
            daemon
                .listener(listener)
                .extra_routes(console.routes())
                .run(),
        );
        let site = Site {
            fx,
            base,
            handle,
            latest,
            task: Some(task),
        };
        site.digest_of_run(1).await;
        site
    }

    /// Waits (30 s at most) until the digest is of run `n` or a later one.
    pub async fn digest_of_run(&self, n: i64) {
        let start = Instant::now();
        while self.latest.get().is_none_or(|l| l.run_id.0 < n) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "run {n}'s digest never came"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Replaces the HR file, asks for a run and waits for its digest (run `n`).
    pub async fn run_with(&self, csv: &str, n: i64) {
        self.fx.write_csv(csv);
        self.handle.trigger();
        self.digest_of_run(n).await;
    }

    /// The journal, read-only.
    pub fn journal(&self) -> hrsync::journal::Journal {
        hrsync::journal::Journal::open_read_only(&self.fx.journal_path()).unwrap()
    }

    /// Stops the daemon (10 s at most).
    pub async fn stop(mut self) {
        if let Some(task) = self.task.take() {
            crate::support::stop_daemon(&self.handle, task).await;
        }
    }
}

/// Runs `scenario` in a fresh browser (bounded by [`SCENARIO_BOUND`]), or skips it without
/// Chromium.
pub async fn in_browser(scenario: impl AsyncFnOnce(&Browser)) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    tokio::time::timeout(SCENARIO_BOUND, scenario(&browser))
        .await
        .expect("the scenario finished in time");
    browser.finish().await;
}

/// Headless Chromium under chromedriver, with a fresh profile.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Where the test run saves screenshots.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-screenshots")
}

fn installed(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Says once that the browser tests are skipped (or fails under `HRSYNC_REQUIRE_BROWSER=1`).
fn skip(why: &str) {
    if std::env::var("HRSYNC_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("HRSYNC_REQUIRE_BROWSER=1 but the console browser tests cannot run: {why}");
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| eprintln!("skipped: console browser tests ({why})"));
}

impl Browser {
    /// Starts chromedriver and a browser session; `None` (skipped) without Chromium.
    pub async fn start() -> Option<Browser> {
        let chromium = installed(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
        let driver = installed(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            skip(
                "chromium or chromedriver is not installed: apt-get install chromium chromium-driver",
            );
            return None;
        };
        let port = crate::support::free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "chromedriver never listened"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let connect = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = connect.unwrap_or_else(|e| panic!("no browser session: {e}"));
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(10)),
                Some(Duration::from_secs(20)),
                Some(Duration::ZERO),
            ))
            .await
            .unwrap();
        client.set_window_size(1280, 900).await.unwrap();
        Some(Browser {
            client,
            driver: child,
            _profile: profile,
        })
    }

    /// Opens `url` and returns the page's HTML.
    pub async fn open(&self, url: &str) -> String {
        self.client.goto(url).await.unwrap();
        self.client.source().await.unwrap()
    }

    /// Types `text` into the field `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks `css` and waits (10 s at most) for the next page's `ready` element.
    pub async fn click(&self, css: &str, ready: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(ready))
            .await
            .unwrap();
        self.client.source().await.unwrap()
    }

    /// The attribute `name` of the element `css`.
    pub async fn attr(&self, css: &str, name: &str) -> String {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.attr(name).await.unwrap().unwrap_or_default()
    }

    /// Signs in through the form with `token`.
    pub async fn sign_in(&self, base: &str, token: &str) -> String {
        self.open(&format!("{base}/console/login")).await;
        self.fill("#token", token).await;
        self.click("form.signin button", "header.top nav").await
    }

    /// Saves the page as `target/console-screenshots/NAME.png`.
    pub async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
        std::fs::create_dir_all(screenshot_dir()).unwrap();
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the session and chromedriver.
    pub async fn finish(mut self) {
        let client = self.client.clone();
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
