//! The reliability fixture: an in-process Okta emulator with a known token, a temp dir with a
//! config, an HR file and a journal, plus helpers to run `run_once` in process or the real
//! `hrsync` binary against it, and to check the emulator's user set for duplicates, wrong
//! deactivations and lost actions.

use crate::support::ModelUsers;
use chrono::{DateTime, Utc};
use hrsync::config::Config;
use hrsync::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use hrsync::journal::Journal;
use hrsync::model::{OktaUser, UserStatus};
use hrsync::okta::OktaClient;
use hrsync::source::AnySource;
use hrsync::sync::{RunReport, RunRequest, SyncDeps, SyncError, run_once};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The token every reliability test uses, so the secret tests can look for it.
pub const TOKEN: &str = "00rel-Token-K7q9ZxW3vB2nM4pL8sT6yU1";

/// The CSV header of generated rosters.
pub const HEADER: &str = "id,first_name,last_name,email,title,department,manager_id,status,start_date,termination_date,site_timezone\n";

/// One roster row for employee `i` (already started, active).
pub fn row(i: usize) -> String {
    let manager = if i > 10 {
        format!("{}", 1000 + (i % 10) + 1)
    } else {
        String::new()
    };
    format!(
        "{id},First{i},Last{i},first{i}.last{i}@example.com,Engineer {t},Dept{d},{manager},Active,2024-01-15,,Europe/London\n",
        id = 1000 + i,
        t = i % 7,
        d = i % 5,
    )
}

/// A CSV roster of `n` active employees with ids 1001..=1000+n (employees 11.. have managers).
pub fn roster(n: usize) -> String {
    let mut csv = String::from(HEADER);
    for i in 1..=n {
        csv.push_str(&row(i));
    }
    csv
}

/// An emulator plus a config directory holding `hrsync.toml`, the HR file, the token file and
/// the journal.
pub struct Org {
    /// The Okta emulator.
    pub emulator: EmulatorHandle,
    /// The temp dir.
    pub dir: tempfile::TempDir,
    /// The HR file name inside `dir`.
    pub hr_file: String,
}

/// What to write into the config besides the defaults.
#[derive(Default)]
pub struct Setup {
    /// Extra lines of the `[okta]` section.
    pub okta: String,
    /// Extra lines of the `[source]` section.
    pub source: String,
    /// Whole extra sections appended at the end.
    pub extra: String,
    /// The HR file name (`employees.csv` when empty).
    pub hr_file: String,
    /// The `[employee] status` value (`{ field = "status", active = ["Active"] }` when empty).
    pub status: String,
}

impl Org {
    /// An org with the default setup.
    pub async fn start(hr: &str, emulator: EmulatorConfig) -> Org {
        Org::start_with(hr, emulator, Setup::default()).await
    }

    /// Starts an emulator accepting [`TOKEN`] and writes the config.
    pub async fn start_with(hr: &str, emulator: EmulatorConfig, setup: Setup) -> Org {
        let mut emulator_config = emulator;
        emulator_config.tokens = EmulatorConfig::with_token(TOKEN).tokens;
        let emulator = Emulator::start(emulator_config).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let hr_file = if setup.hr_file.is_empty() {
            "employees.csv".to_owned()
        } else {
            setup.hr_file.clone()
        };
        std::fs::write(dir.path().join("okta-token"), TOKEN).unwrap();
        std::fs::write(dir.path().join(&hr_file), hr).unwrap();
        let toml = format!(
            r#"[okta]
org_url = "{url}"
token = {{ file = "okta-token" }}
{okta}

[source]
type = "file"
path = "{hr_file}"
{source}

[employee]
id = "id"
status = {status}
start_date = "start_date"
termination_date = "termination_date"
timezone = {{ field = "site_timezone", default = "Europe/London" }}
manager = "manager_id"

[activation]
mode = "start_date"

[journal]
path = "journal.db"
{extra}
"#,
            url = emulator.base_url(),
            okta = setup.okta,
            source = setup.source,
            extra = setup.extra,
            status = if setup.status.is_empty() {
                r#"{ field = "status", active = ["Active"] }"#
            } else {
                &setup.status
            },
        );
        std::fs::write(dir.path().join("hrsync.toml"), toml).unwrap();
        Org {
            emulator,
            dir,
            hr_file,
        }
    }

    /// The config file.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("hrsync.toml")
    }

    /// The journal file.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.path().join("journal.db")
    }

    /// Replaces the HR file.
    pub fn write_hr(&self, content: &str) {
        std::fs::write(self.dir.path().join(&self.hr_file), content).unwrap();
    }

    /// The loaded config.
    pub fn config(&self) -> Config {
        Config::load(&self.config_path()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The pipeline's dependencies, built from the config.
    pub fn deps(&self) -> SyncDeps<AnySource, OktaClient> {
        let config = self.config();
        SyncDeps {
            source: AnySource::from_config(&config.source, &config.employee).unwrap(),
            okta: OktaClient::new(&config.okta).unwrap(),
            journal: Journal::open(&self.journal_path()).unwrap(),
            policy: config.policy(),
            concurrency: config.okta.max_concurrent_requests,
            reads: hrsync::sync::reads::ReadSettings::of(&config.okta),
        }
    }

    /// One in-process sync run at `now`.
    pub async fn sync(&self, now: DateTime<Utc>) -> Result<RunReport, SyncError> {
        let request = RunRequest {
            trigger: "test".into(),
            ..RunRequest::default()
        };
        run_once(&self.deps(), &request, now).await
    }

    /// A `hrsync` command with `--config` set, run in the org's dir, logs as plain text.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hrsync"));
        cmd.arg("--config")
            .arg(self.config_path())
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("RUST_LOG")
            .env_remove("HRSYNC_CONFIG")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs the real binary to completion (off the async runtime's worker).
    pub async fn hrsync(&self, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    }

    /// Checks the emulator's users against a roster of `ids` that must all exist once,
    /// activated (ACTIVE, or PROVISIONED for a user activated without a password). Returns the tally (callers assert it is clean).
    pub fn tally(&self, ids: &[String]) -> Tally {
        tally(&self.emulator.model_users(), ids)
    }
}

/// What the emulator's user set says about a run.
#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
pub struct Tally {
    /// Extra Okta users for one employee id or one login.
    pub duplicates: usize,
    /// Expected employees whose user is deactivated or suspended — wrong.
    pub wrong_deactivations: usize,
    /// Expected employees with no Okta user (a lost create) or still STAGED (a lost activation).
    pub lost: usize,
}

impl Tally {
    /// Zero everywhere.
    pub const CLEAN: Tally = Tally {
        duplicates: 0,
        wrong_deactivations: 0,
        lost: 0,
    };
}

/// Tallies `users` against the employee ids expected ACTIVE.
pub fn tally(users: &[OktaUser], ids: &[String]) -> Tally {
    let mut by_id: BTreeMap<String, Vec<&OktaUser>> = BTreeMap::new();
    let mut by_login: BTreeMap<String, usize> = BTreeMap::new();
    for u in users {
        if let Some(id) = u.attr("employeeNumber") {
            by_id.entry(id.to_string()).or_default().push(u);
        }
        *by_login
            .entry(u.login().unwrap_or_default().to_lowercase())
            .or_default() += 1;
    }
    let mut t = Tally::default();
    t.duplicates += by_id
        .values()
        .map(|v| v.len().saturating_sub(1))
        .sum::<usize>();
    t.duplicates += by_login
        .values()
        .map(|n| n.saturating_sub(1))
        .sum::<usize>();
    for id in ids {
        match by_id.get(id).and_then(|v| v.first()) {
            None => t.lost += 1,
            Some(u) => match u.status {
                UserStatus::Deprovisioned | UserStatus::Suspended => t.wrong_deactivations += 1,
                // Created but never activated: the activation was lost.
                UserStatus::Staged => t.lost += 1,
                _ => {}
            },
        }
    }
    t
}

/// The employee ids 1001..=1000+n as strings.
pub fn ids(n: usize) -> Vec<String> {
    (1..=n).map(|i| (1000 + i).to_string()).collect()
}

/// Every byte of the files in `dir` whose name starts with `prefix` (the journal, its WAL…).
pub fn files_starting_with(dir: &Path, prefix: &str) -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

/// Text of a process output, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
