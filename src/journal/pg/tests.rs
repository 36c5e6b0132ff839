//! The PostgreSQL journal's own behaviour (opening, migrations, read-only handles, errors);
//! the record-level behaviour is tested for both backends in `journal::tests`.

use crate::db::DbTarget;
use crate::db::testdb::TestDb;
use crate::journal::{Journal, JournalError, RunMode, RunStart};

const GROUP: &str = "journal on PostgreSQL (open and migrations)";

fn target(db: &TestDb) -> DbTarget {
    DbTarget::parse(&db.url).unwrap()
}

fn start() -> RunStart {
    RunStart {
        started_at: chrono::Utc::now(),
        mode: RunMode::Sync,
        trigger: "cli".into(),
        snapshot_employees: 3,
        snapshot_rejected: 0,
        epoch: None,
    }
}

#[test]
fn an_empty_database_is_migrated_once_and_reopening_is_idempotent() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let first = Journal::open_url(&target(&db)).unwrap();
    first.begin_run(&start()).unwrap();
    let again = Journal::open_url(&target(&db)).unwrap();
    assert_eq!(again.runs(10).unwrap().len(), 1);
    // Both handles share the database: each sees the other's writes.
    again.begin_run(&start()).unwrap();
    assert_eq!(first.runs(10).unwrap().len(), 2);
    assert_eq!(
        first.path().display().to_string(),
        db.url.replace("postgres://postgres@", "postgres://***@")
    );
}

#[test]
fn a_database_from_a_newer_hrsync_is_refused() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    db.exec("CREATE TABLE hrsync_schema (version bigint NOT NULL); INSERT INTO hrsync_schema VALUES (99)")
        .unwrap();
    let err = Journal::open_url(&target(&db)).unwrap_err();
    assert!(
        matches!(err, JournalError::TooNew { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn a_read_only_handle_reads_but_cannot_write_and_needs_a_migrated_database() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let err = Journal::open_url_read_only(&target(&db)).unwrap_err();
    assert!(matches!(err, JournalError::NotFound { .. }), "{err}");
    Journal::open_url(&target(&db))
        .unwrap()
        .begin_run(&start())
        .unwrap();
    let reader = Journal::open_url_read_only(&target(&db)).unwrap();
    assert_eq!(reader.runs(5).unwrap().len(), 1);
    let err = reader.begin_run(&start()).unwrap_err();
    assert!(err.to_string().contains("read-only transaction"), "{err}");
}

#[test]
fn an_unreachable_server_is_an_error_naming_the_masked_url_and_never_the_password() {
    let url = DbTarget::parse("postgres://hr:Pw-journal-9@127.0.0.1:9/hrsync").unwrap();
    let err = Journal::open_url(&url).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, JournalError::Unavailable { .. }), "{text}");
    assert!(text.contains("postgres://***@127.0.0.1:9/hrsync"), "{text}");
    assert!(!text.contains("Pw-journal-9"), "{text}");
}
