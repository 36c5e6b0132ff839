//! Settled runs against the emulator: a run after one that found nothing to do, with nothing
//! changed since, records the same findings without planning; and each condition it rests on
//! makes the run plan when it fails: HR changed, a user changed by hand in Okta, the next
//! wake-up reached, the last run failed, a full pass.

use crate::support::{Fixture, HEADER, ModelUsers, at};
use hrsync::emulator::{EmulatorConfig, EmulatorHandle};
use hrsync::journal::{Journal, RunStatus};
use hrsync::plan::Pass;
use hrsync::sync::{RunReport, RunRequest, run_once};
use serde_json::json;

/// Three started employees, a contractor out of scope (a finding each run) and a starter
/// whose activation moment is 2026-12-02T09:00Z (the plan's next wake-up).
fn employees(ada_title: &str) -> String {
    format!(
        "{HEADER}\
1001,Ada,Kowalski,ada.kowalski@example.com,{ada_title},Engineering,,Active,2024-03-04,,Europe/London\n\
1002,Lee,Moreau,lee.moreau@example.com,Engineering Manager,Engineering,,Active,2023-01-09,,Europe/Paris\n\
1003,Zoë,Ångström,zoe.angstrom@example.com,Designer,Design,1002,Active,2025-06-02,,Europe/Stockholm\n\
1004,Grace,Hopper,grace.hopper@example.com,Admiral,Engineering,,Active,2026-12-02,,Europe/London\n\
1005,Cass,Tractor,cass.tractor@example.com,Plumber,Contractors,,Active,2024-01-08,,Europe/London\n"
    )
}

/// A synced org whose last run found nothing to do: creates at 12:00, a full pass at 12:01
/// that plans nothing (and leaves the settled state).
async fn settled_org() -> (Fixture, RunReport) {
    let mut fx =
        Fixture::start_with(&employees("Data Engineer"), EmulatorConfig::default(), "").await;
    let path = fx.dir.path().join("hrsync.toml");
    let toml = std::fs::read_to_string(&path).unwrap().replace(
        "manager = \"manager_id\"\n",
        "manager = \"manager_id\"\nscope = \"department != 'Contractors'\"\n",
    );
    std::fs::write(&path, toml).unwrap();
    fx.config = hrsync::config::Config::load(&path).unwrap();
    let first = fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    assert_eq!(first.counts.created, 4, "{:?}", first.plan.actions);
    let clean = fx.sync(at("2026-12-01T12:01:00Z")).await.unwrap();
    assert!(clean.plan.is_empty(), "{:?}", clean.plan.actions);
    assert!(!clean.settled);
    assert!(
        !clean.plan.findings.is_empty(),
        "the contractor is a finding"
    );
    assert_eq!(clean.plan.next_wakeup, Some(at("2026-12-02T09:00:00Z")));
    (fx, clean)
}

async fn by_hand_title(emu: &EmulatorHandle, employee: &str, title: &str) {
    let user = emu
        .model_users()
        .into_iter()
        .find(|u| u.attr("employeeNumber") == Some(employee))
        .unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/users/{}", emu.base_url(), user.id))
        .header("Authorization", format!("SSWS {}", emu.token()))
        .json(&json!({"profile": {"title": title}}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
}

fn title_of(emu: &EmulatorHandle, employee: &str) -> Option<String> {
    emu.model_users()
        .into_iter()
        .find(|u| u.attr("employeeNumber") == Some(employee))
        .and_then(|u| u.attr("title").map(str::to_owned))
}

#[tokio::test]
async fn a_run_after_a_clean_run_with_nothing_changed_settles_and_reports_the_same_findings() {
    let (fx, clean) = settled_org().await;
    let report = fx.sync(at("2026-12-01T12:02:00Z")).await.unwrap();
    assert!(report.settled);
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(report.status, RunStatus::NoChanges);
    assert!(report.plan.is_empty());
    assert_eq!(report.plan.findings, clean.plan.findings);
    assert_eq!(report.plan.next_wakeup, clean.plan.next_wakeup);
    assert_eq!(report.pending_activations, clean.pending_activations);
    assert!(report.okta_requests <= 3, "{}", report.okta_requests);
    let journal = Journal::open(&fx.journal_path()).unwrap();
    assert_eq!(
        journal.findings_for_run(report.run_id).unwrap().len(),
        journal.findings_for_run(clean.run_id).unwrap().len(),
        "history shows the same findings"
    );
    assert_eq!(
        journal.runs(1).unwrap()[0].snapshot_employees,
        clean.snapshot_employees as u64
    );
    // And the next one settles on the settled run.
    let again = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert!(again.settled);
    assert_eq!(again.plan.findings, clean.plan.findings);
}

#[tokio::test]
async fn a_change_in_hr_makes_the_next_run_plan_and_apply_it() {
    let (fx, _) = settled_org().await;
    assert!(fx.sync(at("2026-12-01T12:02:00Z")).await.unwrap().settled);
    fx.write_csv(&employees("Staff Data Engineer"));
    let report = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert!(!report.settled);
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(report.counts.updated, 1, "{:?}", report.plan.actions);
    assert_eq!(
        title_of(&fx.emulator, "1001").as_deref(),
        Some("Staff Data Engineer")
    );
}

#[tokio::test]
async fn a_user_changed_by_hand_in_okta_makes_the_next_run_plan_and_repair_it() {
    let (fx, _) = settled_org().await;
    assert!(fx.sync(at("2026-12-01T12:02:00Z")).await.unwrap().settled);
    by_hand_title(&fx.emulator, "1002", "Chief Everything").await;
    let report = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert!(!report.settled);
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(report.counts.updated, 1, "{:?}", report.plan.actions);
    assert_eq!(
        title_of(&fx.emulator, "1002").as_deref(),
        Some("Engineering Manager")
    );
}

#[tokio::test]
async fn reaching_the_next_wake_up_makes_the_run_plan_and_activate_the_starter() {
    let (fx, _) = settled_org().await;
    let before = fx.sync(at("2026-12-02T08:59:59Z")).await.unwrap();
    assert!(before.settled, "the boundary is still ahead");
    let report = fx.sync(at("2026-12-02T09:00:00Z")).await.unwrap();
    assert!(!report.settled);
    assert_eq!(report.pass, Pass::Incremental, "within full_pass_every");
    assert_eq!(report.counts.activated, 1, "{:?}", report.plan.actions);
}

#[tokio::test]
async fn a_run_after_a_failed_run_plans_even_when_nothing_changed() {
    let (fx, _) = settled_org().await;
    std::fs::remove_file(fx.dir.path().join("employees.csv")).unwrap();
    assert!(fx.sync(at("2026-12-01T12:02:00Z")).await.is_err());
    fx.write_csv(&employees("Data Engineer"));
    let report = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert!(!report.settled, "the last run failed");
    assert!(report.plan.is_empty());
    let next = fx.sync(at("2026-12-01T12:04:00Z")).await.unwrap();
    assert!(next.settled, "a clean run again");
}

#[tokio::test]
async fn a_full_pass_never_settles() {
    let (fx, _) = settled_org().await;
    let request = RunRequest {
        trigger: "test".into(),
        full: true,
        ..RunRequest::default()
    };
    let report = run_once(&fx.deps(), &request, at("2026-12-01T12:02:00Z"))
        .await
        .unwrap();
    assert_eq!(report.pass, Pass::Full);
    assert!(!report.settled);
}

#[tokio::test]
async fn forgetting_a_link_or_clearing_a_streak_makes_the_next_run_plan() {
    let (fx, _) = settled_org().await;
    let journal = Journal::open(&fx.journal_path()).unwrap();
    journal.clear_failure_streaks("1001").unwrap();
    assert!(!fx.sync(at("2026-12-01T12:02:00Z")).await.unwrap().settled);
    assert!(fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap().settled);
    journal.forget_link("00u-nobody").unwrap();
    assert!(!fx.sync(at("2026-12-01T12:04:00Z")).await.unwrap().settled);
}
