//! Workday and SCIM end to end through the real `hrsync` binary with the shipped configs
//! (`config/hrsync.workday.toml`, `config/hrsync.scim.toml`), rewritten only where they must
//! point at the test servers (the vendor fake and the Okta emulator on 127.0.0.1, secrets as
//! files, a journal in a temp dir, no HTTP listener): a first sync creates the right users
//! (Workday pre-hires STAGED), a second writes nothing, a leaver is deactivated; `check`
//! reports the source with masked samples.

use crate::reliability::org::{Org, text};
use crate::scim::{scim_user, staff, user_id};
use crate::scim_fake::{self, ScimFake};
use crate::support::ModelUsers;
use crate::workday_data::{worker, workers};
use crate::workday_fake::{self, WorkdayFake};
use chrono::{Datelike, Utc};
use hrsync::emulator::EmulatorConfig;
use hrsync::model::OktaUser;
use serde_json::{Value, json};
use std::process::{Output, Stdio};
use std::time::Duration;

/// The shipped file at `path`, with each `(from, to)` replaced (each `from` must occur
/// exactly once, so a changed shipped file fails here instead of testing something else),
/// written into the org's dir with a journal there.
fn install(org: &Org, path: &str, swaps: &[(&str, String)]) {
    let mut toml = std::fs::read_to_string(path).unwrap();
    let mut all: Vec<(&str, String)> = vec![
        (
            "org_url = \"https://example.okta.com\"",
            format!("org_url = \"{}\"", org.emulator.base_url()),
        ),
        (
            "{ credential = \"okta-token\" }",
            "{ file = \"okta-token\" }".to_owned(),
        ),
        ("listen = \"127.0.0.1:9184\"", "listen = \"off\"".to_owned()),
    ];
    all.extend(swaps.iter().cloned());
    for (from, to) in all {
        assert_eq!(
            toml.matches(from).count(),
            1,
            "{path} no longer has {from:?} exactly once"
        );
        toml = toml.replacen(from, &to, 1);
    }
    assert!(
        !toml.contains("[journal]"),
        "the shipped file sets no journal"
    );
    toml.push_str("\n[journal]\npath = \"journal.db\"\n");
    std::fs::write(org.config_path(), toml).unwrap();
    org.config();
}

/// Runs the binary off the runtime's thread, killed after 120 s at most.
async fn hrsync(org: &Org, args: &[&str]) -> Output {
    let mut cmd = org.command(args);
    cmd.env_remove("CREDENTIALS_DIRECTORY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
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
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("hrsync {args:?} did not finish within 120 s");
        }
    }
}

async fn sync_json(org: &Org) -> Value {
    let out = hrsync(org, &["sync", "--format", "json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
}

fn user_with_login(org: &Org, login: &str) -> OktaUser {
    org.emulator
        .model_users()
        .into_iter()
        .find(|u| u.login() == Some(login))
        .unwrap_or_else(|| panic!("no Okta user {login}"))
}

fn status_of(org: &Org, login: &str) -> String {
    let id = user_with_login(org, login).id.as_str().to_owned();
    let users = org.emulator.users_json();
    let user = users.iter().find(|u| u["id"] == id.as_str()).unwrap();
    user["status"].as_str().unwrap().to_owned()
}

/// The first sync, the second (no writes) and a leaver, common to both vendors. `leave`
/// turns one person into a leaver in the fake; `leaver` is their login.
async fn first_second_and_leaver(org: &Org, created: u64, leave: impl FnOnce(), leaver: &str) {
    let first = sync_json(org).await;
    assert_eq!(first["status"], "applied", "{first}");
    assert_eq!(first["counts"]["created"], created, "{first}");

    org.emulator.reset_stats();
    let second = sync_json(org).await;
    assert_eq!(second["status"], "no_changes", "{second}");
    assert_eq!(
        org.emulator.stats().writes(),
        0,
        "the second sync writes nothing: {second}"
    );

    leave();
    let third = sync_json(org).await;
    assert_eq!(third["counts"]["deactivated"], 1, "{third}");
    assert_eq!(status_of(org, leaver), "DEPROVISIONED");
}

#[tokio::test]
async fn the_shipped_scim_config_creates_deactivates_and_then_writes_nothing() {
    // 30 active people (enough for the shipped 5 % deactivation limit to allow one) and a
    // leaver who never had an account.
    let mut users = staff(30);
    users.push(scim_user(30, ("Chloé", "Lefèvre"), false, Some(0)));
    let fake = ScimFake::start(users.clone()).await;
    let org = Org::start("unused\n", EmulatorConfig::default()).await;
    std::fs::write(org.dir.path().join("scim-token"), scim_fake::TOKEN).unwrap();
    install(
        &org,
        "config/hrsync.scim.toml",
        &[
            (
                "base_url = \"https://hr.example.com/scim/v2\"",
                format!("base_url = \"{}\"", fake.base_url),
            ),
            (
                "{ credential = \"scim-token\" }",
                "{ file = \"scim-token\" }".to_owned(),
            ),
        ],
    );

    let check = hrsync(&org, &["check", "--offline"]).await;
    let shown = text(&check);
    assert_eq!(check.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("scim api") && shown.contains("bearer token hidden"),
        "{shown}"
    );
    assert!(
        shown.contains("31 loaded: 30 active, 1 inactive"),
        "{shown}"
    );
    assert!(shown.contains("sample 2819c223"), "{shown}");
    assert!(
        !shown.contains("sam.colleague0@example.com"),
        "samples are masked: {shown}"
    );
    assert!(!shown.contains(scim_fake::TOKEN), "{shown}");

    let leaver_login = "sam.colleague5@example.com";
    let update = users.clone();
    first_second_and_leaver(
        &org,
        30,
        || {
            let mut users = update;
            users[5]["active"] = json!(false);
            fake.set_users(users);
        },
        leaver_login,
    )
    .await;

    let report = user_with_login(&org, "sam.colleague3@example.com");
    let boss = user_with_login(&org, "sam.colleague0@example.com");
    assert_eq!(report.attr("employeeNumber"), Some(user_id(3).as_str()));
    assert_eq!(report.attr("email"), Some("sam.colleague3@example.com"));
    assert_eq!(report.attr("firstName"), Some("Sam"));
    assert_eq!(report.attr("department"), Some("Data Platform"));
    assert_eq!(report.attr("primaryPhone"), Some("+44 20 7946 0003"));
    assert_eq!(report.attr("managerId"), Some(boss.id.as_str()));
    // Activated: ACTIVE, or PROVISIONED for a user activated without a password.
    let activated = status_of(&org, "sam.colleague3@example.com");
    assert!(
        ["ACTIVE", "PROVISIONED"].contains(&activated.as_str()),
        "{activated}"
    );
    assert!(
        org.emulator
            .model_users()
            .iter()
            .all(|u| u.login() != Some("chloé.lefèvre@example.com")),
        "no account for an inactive user"
    );
}

#[tokio::test]
async fn the_shipped_workday_config_stages_pre_hires_deactivates_and_then_writes_nothing() {
    let next_year = Utc::now().year() + 1;
    let mut rows = workers(30);
    rows.push(worker(
        21030,
        ("Ben", "Okafor"),
        "0",
        &format!("{next_year}-01-13"),
        "",
    ));
    rows.push(worker(
        21031,
        ("Chloé", "Lefevre"),
        "0",
        "2023-01-09",
        "2025-06-30",
    ));
    let fake = WorkdayFake::start(rows.clone()).await;
    let org = Org::start("unused\n", EmulatorConfig::default()).await;
    std::fs::write(org.dir.path().join("wd-password"), workday_fake::PASSWORD).unwrap();
    install(
        &org,
        "config/hrsync.workday.toml",
        &[
            (
                "base_url = \"https://wd2-impl-services1.workday.com\"",
                format!("base_url = \"{}\"", fake.base_url),
            ),
            (
                "{ credential = \"workday-password\" }",
                "{ file = \"wd-password\" }".to_owned(),
            ),
        ],
    );

    let check = hrsync(&org, &["check", "--offline"]).await;
    let shown = text(&check);
    assert_eq!(check.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("Integration System User ISU_hrsync (password hidden)"),
        "{shown}"
    );
    assert!(
        shown.contains("32 loaded: 30 active, 2 inactive"),
        "{shown}"
    );
    assert!(shown.contains("sample 21000"), "{shown}");
    assert!(
        !shown.contains("sam.colleague0@example.com"),
        "samples are masked: {shown}"
    );
    assert!(!shown.contains(workday_fake::PASSWORD), "{shown}");

    let update = rows.clone();
    first_second_and_leaver(
        &org,
        31,
        || {
            let mut rows = update;
            rows[5]["Active_Status"] = json!("0");
            rows[5]["Termination_Date"] = json!("2025-06-30");
            fake.set_rows(rows);
        },
        "sam.colleague5@example.com",
    )
    .await;

    assert_eq!(
        status_of(&org, "ben.okafor@example.com"),
        "STAGED",
        "a pre-hire"
    );
    let ben = user_with_login(&org, "ben.okafor@example.com");
    let boss = user_with_login(&org, "sam.colleague0@example.com");
    assert_eq!(ben.attr("employeeNumber"), Some("21030"));
    assert_eq!(ben.attr("department"), Some("Data Platform (Ada Kowalski)"));
    assert_eq!(ben.attr("managerId"), Some(boss.id.as_str()));
    // Activated: ACTIVE, or PROVISIONED for a user activated without a password.
    let activated = status_of(&org, "sam.colleague3@example.com");
    assert!(
        ["ACTIVE", "PROVISIONED"].contains(&activated.as_str()),
        "{activated}"
    );
    assert!(
        org.emulator
            .model_users()
            .iter()
            .all(|u| u.attr("employeeNumber") != Some("21031")),
        "no account for a past leaver"
    );
}
