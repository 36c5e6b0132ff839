//! Lifecycle phases end to end with the shipped HiBob configuration: `config/hrsync.hibob.toml`
//! itself, rewritten only where it must point at the test servers (the Okta emulator and the
//! bob fake on 127.0.0.1, secrets as files, a journal in a temp dir, no HTTP listener; the
//! daemon test also moves the cron and `activate_at`). bob's records are in its real shapes
//! (README §1.3–1.5, §4.1): a pre-hire is `internal.status = "Inactive"` with
//! `internal.lifecycleStatus = "hired"`, and `work.site` names an office the config maps to a
//! time zone.
//!
//! Each test runs the real `hrsync` binary (`sync`, `plan --at`, `run`), or `sync::run_once`
//! in process where a sync must happen at a chosen instant. This file is the shared fixture:
//! [`Env`], bob person builders, the config rewriting and the date helpers.

mod leavers;
mod pre_hires;
mod refused;

use crate::bob_fake::{self, BobFake};
use crate::reliability::org::{Org, text};
use crate::support::ModelUsers;
use crate::support::wait_until;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use hrsync::emulator::{EmulatorConfig, EmulatorHandle};
use hrsync::journal::Journal;
use hrsync::model::OktaUser;
use hrsync::sync::RunReport;
use serde_json::{Value, json};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::Duration;

/// The shipped configuration under test.
const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config/hrsync.hibob.toml");

/// bob's list item id of "Data Platform" (`bob_data::department_list`).
const DATA_PLATFORM: &str = "209184712";

/// The route of Okta's deactivate operation, as the emulator counts it.
const DEACTIVATE: &str = "/api/v1/users/{id}/lifecycle/deactivate";

/// Ben Okafor, the pre-hire at London HQ most tests carry.
const BEN: &str = "3401928374650192900";

/// Replaces `from`, which must occur exactly once in the shipped file: if the file changes
/// shape, the test fails here instead of quietly testing some other configuration.
fn swap(text: String, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "config/hrsync.hibob.toml no longer has {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

/// The bob fake, and the reliability [`Org`]: the Okta emulator and a temp dir, which here
/// holds the rewritten shipped config, the secret files and the journal (no HR file: bob is
/// the source).
struct Env {
    bob: BobFake,
    org: Org,
}

impl Env {
    /// The shipped config pointed at the test servers, bob serving `employees`.
    async fn start(employees: Vec<Value>) -> Env {
        Env::start_with(employees, |toml| toml).await
    }

    /// Like [`Env::start`]; `edit` may change more of the shipped text (the daemon test).
    async fn start_with(employees: Vec<Value>, edit: impl FnOnce(String) -> String) -> Env {
        let bob = BobFake::start(employees, crate::bob_data::lists()).await;
        // The org writes the Okta token file `okta-token`; its own config is replaced below.
        let org = Org::start("unused\n", EmulatorConfig::default()).await;
        for (name, value) in [
            ("bob-user", bob_fake::USER),
            ("bob-token", bob_fake::TOKEN),
            ("bob-hook", "whsec-lifecycle"),
        ] {
            std::fs::write(org.dir.path().join(name), value).unwrap();
        }
        let mut toml = std::fs::read_to_string(SHIPPED).unwrap();
        toml = swap(
            toml,
            "org_url = \"https://example.okta.com\"",
            &format!("org_url = \"{}\"", org.emulator.base_url()),
        );
        toml = swap(
            toml,
            "base_url = \"https://api.hibob.com/v1\"",
            &format!("base_url = \"{}\"", bob.base_url),
        );
        for (credential, file) in [
            ("okta-token", "okta-token"),
            ("bob-service-user-id", "bob-user"),
            ("bob-token", "bob-token"),
            ("bob-webhook-secret", "bob-hook"),
        ] {
            toml = swap(
                toml,
                &format!("{{ credential = \"{credential}\" }}"),
                &format!("{{ file = \"{file}\" }}"),
            );
        }
        toml = swap(toml, "listen = \"127.0.0.1:9184\"", "listen = \"off\"");
        toml = edit(toml);
        assert!(
            !toml.contains("[journal]"),
            "the shipped file sets no journal"
        );
        toml.push_str("\n[journal]\npath = \"journal.db\"\n");
        std::fs::write(org.config_path(), toml).unwrap();
        // It loads as it is, or the test stops here with every error.
        org.config();
        Env { bob, org }
    }

    /// The Okta emulator.
    fn okta(&self) -> &EmulatorHandle {
        &self.org.emulator
    }

    /// The journal, read only.
    fn journal(&self) -> Journal {
        Journal::open_read_only(&self.org.journal_path()).unwrap()
    }

    /// The org's `hrsync` command (`--config` set, run in the temp dir, plain-text logs), no
    /// systemd credentials either.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.org.command(args);
        cmd.env_remove("CREDENTIALS_DIRECTORY");
        cmd
    }

    /// Runs the binary to completion off the runtime's thread (the servers keep answering),
    /// killed after 120 s at most.
    async fn hrsync(&self, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let child = cmd.spawn().unwrap();
        let pid = child.id();
        let waited = tokio::time::timeout(
            Duration::from_secs(120),
            tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()),
        )
        .await;
        match waited {
            Ok(out) => out.unwrap(),
            Err(_) => {
                signal(pid, "-KILL");
                panic!("hrsync {args:?} did not finish within 120 s");
            }
        }
    }

    /// `hrsync sync --format json`, which must exit 0; its JSON document.
    async fn sync_json(&self) -> Value {
        let out = self.hrsync(&["sync", "--format", "json"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        json_of(&out)
    }

    /// `hrsync plan --at AT --format json`, which must exit 0; its plan document.
    async fn plan_json(&self, at: DateTime<Utc>) -> Value {
        let at = at.to_rfc3339();
        let out = self
            .hrsync(&["plan", "--at", &at, "--format", "json"])
            .await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        json_of(&out)
    }

    /// `hrsync plan --at AT` (text), which must exit 0; its stdout.
    async fn plan_text(&self, at: DateTime<Utc>) -> String {
        let at = at.to_rfc3339();
        let out = self.hrsync(&["plan", "--at", &at]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// One in-process sync (applied) planned as of `now`.
    async fn sync_at(&self, now: DateTime<Utc>) -> RunReport {
        self.org
            .sync(now)
            .await
            .unwrap_or_else(|e| panic!("sync at {now}: {e}"))
    }

    /// Every Okta user (DEPROVISIONED included) anchored to bob id `id`.
    fn users_of(&self, id: &str) -> Vec<OktaUser> {
        self.okta()
            .model_users()
            .into_iter()
            .filter(|u| u.attr("employeeNumber") == Some(id))
            .collect()
    }

    /// The one Okta user anchored to `id`.
    fn user_of(&self, id: &str) -> OktaUser {
        let users = self.users_of(id);
        assert_eq!(users.len(), 1, "one Okta user for {id}: {users:?}");
        users.into_iter().next().unwrap()
    }

    /// The emulator's full JSON of one user (status, profile, every timestamp).
    fn user_json(&self, okta_id: &str) -> Value {
        self.okta()
            .users_json()
            .into_iter()
            .find(|u| u["id"] == okta_id)
            .unwrap_or_else(|| panic!("no Okta user {okta_id}"))
    }

    /// The id of the Okta user with this login.
    fn okta_id_of_login(&self, login: &str) -> String {
        let user = self
            .okta()
            .model_users()
            .into_iter()
            .find(|u| u.login() == Some(login))
            .unwrap_or_else(|| panic!("no Okta user {login}"));
        user.id.as_str().to_owned()
    }

    /// Deactivations Okta received (the lifecycle call or a first DELETE).
    fn deactivations(&self) -> u64 {
        let stats = self.okta().stats();
        stats.count("POST", DEACTIVATE) + stats.count("DELETE", "/api/v1/users")
    }
}

/// Sends `signal` (`-TERM`, `-KILL`) to `pid`, only ever a process the test started; whether
/// `kill` says it was delivered.
fn signal(pid: u32, signal: &str) -> bool {
    Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success())
}

/// Sends SIGTERM to `child` and waits for it to exit, 20 s at most; its exit status.
async fn terminate(child: &mut Child) -> ExitStatus {
    assert!(signal(child.id(), "-TERM"));
    wait_until(
        Duration::from_secs(20),
        "hrsync run ignored SIGTERM",
        || child.try_wait().unwrap().is_some(),
    )
    .await;
    child.wait().unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

/// `(kind, reason)` of every action a plan or sync document has for employee `id`.
fn actions_for(doc: &Value, id: &str) -> Vec<(String, String)> {
    doc["actions"]
        .as_array()
        .unwrap_or_else(|| panic!("no actions array: {doc}"))
        .iter()
        .filter(|a| a["employee_id"] == id)
        .map(|a| {
            (
                a["action"]["kind"].as_str().unwrap_or_default().to_owned(),
                a["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pair(kind: &str, reason: &str) -> Vec<(String, String)> {
    vec![(kind.to_owned(), reason.to_owned())]
}

/// A person as bob's `POST /people/search` returns them (machine format, nested categories
/// plus one flat slash key, `showInactive = true`): in "Data Platform", reporting to nobody.
fn bob_person(
    id: &str,
    (first, last): (&str, &str),
    (lifecycle, access): (&str, &str),
    start: &str,
    site: &str,
) -> Value {
    let email = format!(
        "{}.{}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    json!({
        "id": id,
        "companyId": 600123,
        "email": email,
        "firstName": first,
        "surname": last,
        "displayName": format!("{first} {last}"),
        "creationDateTime": "2026-11-02T10:15:42.118273",
        "work": {
            "title": "Data Engineer",
            "department": DATA_PLATFORM,
            "site": site,
            "startDate": start,
            "isManager": false
        },
        "internal": { "status": access, "lifecycleStatus": lifecycle, "terminationDate": null },
        "employee": { "lastDayOfWork": null },
        "/work/department": { "value": DATA_PLATFORM }
    })
}

/// A pre-hire (lifecycle `hired`, access `Inactive`) who starts on `start` at `site`.
fn pre_hire(id: &str, name: (&str, &str), start: NaiveDate, site: &str) -> Value {
    bob_person(id, name, ("hired", "Inactive"), &start.to_string(), site)
}

/// `n` people employed since 2024 at London HQ, ids `3401928374650200001`….
fn colleagues(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            let last = format!("Colleague{i}");
            bob_person(
                &format!("34019283746502{i:05}"),
                ("Sam", &last),
                ("employed", "Active"),
                "2024-03-04",
                "London HQ",
            )
        })
        .collect()
}

/// [`colleagues`]`(n)` and Ben Okafor, a pre-hire at London HQ who starts on `start`.
fn colleagues_and_ben(n: usize, start: NaiveDate) -> Vec<Value> {
    let mut people = colleagues(n);
    people.push(pre_hire(BEN, ("Ben", "Okafor"), start, "London HQ"));
    people
}

/// The Okta profile the shipped mapping gives `person` (no phones, no manager).
fn okta_profile(person: &Value) -> Value {
    let email = person["email"].as_str().unwrap().to_lowercase();
    json!({
        "login": email,
        "email": email,
        "firstName": person["firstName"],
        "lastName": person["surname"],
        "displayName": person["displayName"],
        "title": person["work"]["title"],
        "department": "Data Platform",
        "employeeNumber": person["id"],
    })
}

/// 13 January of next year: always ahead, and winter in London and New York alike.
fn next_january_13() -> NaiveDate {
    NaiveDate::from_ymd_opt(Utc::now().year() + 1, 1, 13).unwrap()
}

/// The instant a local wall-clock time happens in `tz`.
fn local(tz: chrono_tz::Tz, date: NaiveDate, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    tz.from_local_datetime(&date.and_hms_opt(h, m, s).unwrap())
        .single()
        .unwrap()
        .to_utc()
}

/// An instant written as RFC 3339 UTC.
fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}
