//! End-to-end runs of `sync::run_once` against the in-process Okta emulator and a CSV file.

use crate::support::ModelUsers;
use crate::support::{Fixture, at};
use hrsync::journal::RunStatus;

#[tokio::test]
async fn the_first_sync_creates_everyone_in_scope_and_the_second_writes_nothing() {
    let fx = Fixture::start(&crate::support::three_employees()).await;
    let report = fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    assert_eq!(report.status, RunStatus::Applied);
    assert_eq!(report.counts.created, 3);
    let users = fx.emulator.model_users();
    assert_eq!(users.len(), 3);
    assert!(users.iter().all(|u| u.attr("employeeNumber").is_some()));

    fx.emulator.reset_stats();
    let again = fx.sync(at("2026-12-01T12:05:00Z")).await.unwrap();
    assert_eq!(again.status, RunStatus::NoChanges);
    assert_eq!(
        fx.emulator.stats().writes(),
        0,
        "a run with no HR changes makes zero write calls"
    );
}

#[tokio::test]
async fn an_hr_change_updates_exactly_the_changed_attribute() {
    let fx = Fixture::start(&crate::support::three_employees()).await;
    fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    fx.write_csv(
        &crate::support::three_employees().replace("Data Engineer", "Staff Data Engineer"),
    );
    fx.emulator.reset_stats();
    let report = fx.sync(at("2026-12-01T12:10:00Z")).await.unwrap();
    assert_eq!(report.counts.updated, 1);
    let update = report
        .plan
        .actions
        .iter()
        .find(|a| a.action.kind() == hrsync::plan::ActionKind::Update)
        .unwrap();
    match &update.action {
        hrsync::plan::Action::Update { changes } => {
            assert_eq!(changes.keys().collect::<Vec<_>>(), vec!["title"]);
        }
        other => panic!("expected an update, got {other:?}"),
    }
    assert_eq!(fx.emulator.stats().writes(), 1);
}

#[tokio::test]
async fn an_empty_hr_file_blocks_the_run_and_deactivates_nobody() {
    let fx = Fixture::start(&crate::support::three_employees()).await;
    fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    fx.write_csv(crate::support::HEADER);
    fx.emulator.reset_stats();
    let report = fx.sync(at("2026-12-01T12:10:00Z")).await.unwrap();
    assert_eq!(report.status, RunStatus::Blocked);
    assert_eq!(fx.emulator.stats().writes(), 0);
    assert!(
        fx.emulator
            .model_users()
            .iter()
            .all(|u| u.status != hrsync::model::UserStatus::Deprovisioned)
    );
}
