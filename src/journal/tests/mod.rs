//! Tests of the journal against real SQLite files in temporary directories and, for the
//! record-level tests (`records`, `links`, `approvals`, `browse`, `streaks`, `okta_cache`,
//! `settled`), the same tests against a
//! fresh PostgreSQL database ([`backends`]; skipped with one line where no server answers).
//! Shared fixtures here, opening and crash recovery in `open`.

mod approvals;
mod browse;
mod links;
mod okta_cache;
mod open;
mod records;
mod settled;
mod streaks;

use super::*;
use crate::model::{EmployeeId, OktaUserId, Profile};
use crate::plan::{Action, Change, Finding, FindingKind, PlannedAction, Reason};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use std::collections::BTreeMap;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
}

pub(super) fn start(employees: usize) -> RunStart {
    RunStart {
        started_at: at(9),
        mode: RunMode::Sync,
        trigger: "cli".to_owned(),
        snapshot_employees: employees,
        snapshot_rejected: 1,
        epoch: None,
    }
}

fn eid(s: &str) -> EmployeeId {
    EmployeeId::parse(s).unwrap()
}

fn update(employee: &str, attribute: &str, old: &str, new: &str) -> PlannedAction {
    let mut changes = BTreeMap::new();
    changes.insert(
        attribute.to_owned(),
        Change {
            old: Some(json!(old)),
            new: Some(json!(new)),
        },
    );
    PlannedAction {
        employee_id: Some(eid(employee)),
        okta_id: Some(OktaUserId(format!("00u{employee}"))),
        login: Some(format!("{employee}@example.com")),
        action: Action::Update { changes },
        reason: Reason::ProfileChanged,
        fills: Default::default(),
    }
}

fn create(employee: &str) -> PlannedAction {
    let mut profile = Profile::new();
    profile.insert("firstName".to_owned(), json!("Ada"));
    profile.insert("lastName".to_owned(), json!("Kowalski"));
    profile.insert("email".to_owned(), json!("ada.kowalski@example.com"));
    profile.insert("employeeNumber".to_owned(), json!(employee));
    PlannedAction {
        employee_id: Some(eid(employee)),
        okta_id: None,
        login: Some("ada.kowalski@example.com".to_owned()),
        action: Action::Create {
            profile,
            activate: false,
        },
        reason: Reason::NewHire,
        fills: Default::default(),
    }
}

pub(super) fn deactivate(employee: &str) -> PlannedAction {
    PlannedAction {
        employee_id: Some(eid(employee)),
        okta_id: Some(OktaUserId(format!("00u{employee}"))),
        login: None,
        action: Action::Deactivate,
        reason: Reason::Terminated,
        fills: Default::default(),
    }
}

fn finished(status: RunStatus) -> RunEnd {
    RunEnd {
        ended_at: at(10),
        status,
        counts: RunCounts {
            created: 3,
            updated: 5,
            activated: 1,
            failed: 2,
            held_back: 4,
            ..RunCounts::default()
        },
        okta_requests: 17,
        error: None,
    }
}

/// A journal the record-level tests run against, reopenable (a reopen sees what was written).
enum Backend {
    /// A journal file in a temporary directory.
    Sqlite(tempfile::TempDir),
    /// A fresh database on the PostgreSQL server, dropped afterwards.
    Postgres(crate::db::testdb::TestDb),
}

impl Backend {
    /// Opens (or reopens) the journal.
    fn open(&self) -> Journal {
        match self {
            Backend::Sqlite(dir) => Journal::open(&dir.path().join("journal.db")).unwrap(),
            Backend::Postgres(db) => {
                Journal::open_url(&crate::db::DbTarget::parse(&db.url).unwrap()).unwrap()
            }
        }
    }
}

/// SQLite, and PostgreSQL when a server answers.
fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite(tempfile::tempdir().unwrap())];
    if let Some(db) = crate::db::testdb::TestDb::postgres("journal record tests on PostgreSQL") {
        all.push(Backend::Postgres(db));
    }
    all
}

fn temp_journal() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    (dir, path)
}

fn user_version(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}
