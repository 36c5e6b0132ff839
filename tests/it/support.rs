//! Shared fixtures for the integration tests: an emulator, a temp dir with a config and a CSV.

use chrono::{DateTime, Utc};
use hrsync::config::Config;
use hrsync::daemon::{DaemonError, DaemonHandle};
use hrsync::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use hrsync::journal::Journal;
use hrsync::okta::OktaClient;
use hrsync::source::AnySource;
use hrsync::sync::{RunReport, RunRequest, SyncDeps, SyncError, run_once};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Polls `done` every 25 ms until it holds; fails the test with `what` once `bound` has passed.
pub async fn wait_until(bound: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < bound, "{what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Asks a spawned daemon to stop and waits (10 s at most) for it to end without an error.
pub async fn stop_daemon(
    handle: &DaemonHandle,
    task: tokio::task::JoinHandle<Result<(), DaemonError>>,
) {
    handle.shutdown();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The CSV header the fixtures use.
pub const HEADER: &str = "id,first_name,last_name,email,title,department,manager_id,status,start_date,termination_date,site_timezone\n";

/// Three ordinary employees, already started.
pub fn three_employees() -> String {
    format!(
        "{HEADER}\
1001,Ada,Kowalski,ada.kowalski@example.com,Data Engineer,Engineering,,Active,2024-03-04,,Europe/London\n\
1002,Lee,Moreau,lee.moreau@example.com,Engineering Manager,Engineering,,Active,2023-01-09,,Europe/Paris\n\
1003,Zoë,Ångström,zoe.angstrom@example.com,Designer,Design,1002,Active,2025-06-02,,Europe/Stockholm\n"
    )
}

/// Parses an RFC 3339 instant.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// An emulator plus a config directory.
pub struct Fixture {
    /// The Okta emulator.
    pub emulator: EmulatorHandle,
    /// Holds hrsync.toml, employees.csv, the token and the journal.
    pub dir: tempfile::TempDir,
    /// The loaded config.
    pub config: Config,
}

impl Fixture {
    /// Starts an emulator and writes a config whose source is `csv`.
    pub async fn start(csv: &str) -> Self {
        Self::start_with(csv, EmulatorConfig::default(), "").await
    }

    /// Like `start`, with an emulator config and extra TOML appended to the config.
    pub async fn start_with(csv: &str, emulator: EmulatorConfig, extra_toml: &str) -> Self {
        let emulator = Emulator::start(emulator).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okta-token"), emulator.token()).unwrap();
        std::fs::write(dir.path().join("employees.csv"), csv).unwrap();
        let toml = format!(
            r#"[okta]
org_url = "{url}"
token = {{ file = "okta-token" }}

[source]
type = "file"
path = "employees.csv"

[employee]
id = "id"
status = {{ field = "status", active = ["Active"] }}
start_date = "start_date"
termination_date = "termination_date"
timezone = {{ field = "site_timezone", default = "Europe/London" }}
manager = "manager_id"

[activation]
mode = "start_date"

[journal]
path = "journal.db"
{extra_toml}
"#,
            url = emulator.base_url()
        );
        let path = dir.path().join("hrsync.toml");
        std::fs::write(&path, toml).unwrap();
        let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
        Self {
            emulator,
            dir,
            config,
        }
    }

    /// Replaces the CSV.
    pub fn write_csv(&self, csv: &str) {
        std::fs::write(self.dir.path().join("employees.csv"), csv).unwrap();
    }

    /// The journal file.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.path().join("journal.db")
    }

    /// The pipeline's dependencies, built from the config.
    pub fn deps(&self) -> SyncDeps<AnySource, OktaClient> {
        SyncDeps {
            source: AnySource::from_config(&self.config.source, &self.config.employee).unwrap(),
            okta: OktaClient::new(&self.config.okta).unwrap(),
            journal: Journal::open(&self.journal_path()).unwrap(),
            policy: self.config.policy(),
            concurrency: self.config.okta.max_concurrent_requests,
            reads: hrsync::sync::reads::ReadSettings::of(&self.config.okta),
        }
    }

    /// One sync run at `now`.
    pub async fn sync(&self, now: DateTime<Utc>) -> Result<RunReport, SyncError> {
        let request = RunRequest {
            trigger: "test".into(),
            ..RunRequest::default()
        };
        run_once(&self.deps(), &request, now).await
    }
}

/// The emulator's users read the way hrsync reads Okta's answers (its own `OktaUser` model,
/// from the API's JSON), for assertions that use hrsync's notions (anchors, statuses).
pub trait ModelUsers {
    /// Every user, DEPROVISIONED included, as hrsync's model.
    fn model_users(&self) -> Vec<hrsync::model::OktaUser>;
}

impl ModelUsers for hrsync::emulator::EmulatorHandle {
    fn model_users(&self) -> Vec<hrsync::model::OktaUser> {
        self.users_json()
            .into_iter()
            .map(|u| serde_json::from_value(u).expect("the emulator's users are Okta's JSON"))
            .collect()
    }
}
