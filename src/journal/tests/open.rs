//! Opening, migrating, concurrent reading and recovering from a killed writer.

use super::*;

#[test]
fn an_empty_file_is_migrated_and_reopening_it_is_idempotent() {
    let (_dir, path) = temp_journal();
    let journal = Journal::open(&path).unwrap();
    let run = journal.begin_run(&start(10)).unwrap();
    drop(journal);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 1) };

    let reopened = Journal::open(&path).unwrap();
    let again = Journal::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let runs = again.runs(10).unwrap();
    assert_eq!(runs.len(), 1, "reopening must keep the data");
    assert_eq!(runs[0].id, run);
    assert_eq!(reopened.run(run).unwrap().unwrap().snapshot_employees, 10);
}

#[test]
fn a_journal_in_a_missing_directory_is_refused_naming_the_directory() {
    let (dir, _) = temp_journal();
    let path = dir.path().join("no-such-dir").join("journal.db");
    let err = Journal::open(&path).unwrap_err();
    assert!(
        matches!(err, JournalError::MissingDirectory { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("no-such-dir"), "{err}");
    assert!(
        !path.parent().unwrap().exists(),
        "no directory may be created"
    );
}

#[test]
fn a_journal_from_a_newer_hrsync_is_refused() {
    let (_dir, path) = temp_journal();
    drop(Journal::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert!(matches!(err, JournalError::TooNew { found, .. } if found == SCHEMA_VERSION + 1));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_naming_the_path() {
    let (_dir, path) = temp_journal();
    std::fs::write(
        &path,
        b"this is not an sqlite file, just text, long enough to matter....",
    )
    .unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert!(err.to_string().contains("journal.db"), "{err}");
}

#[test]
fn the_database_runs_in_wal_mode_with_synchronous_normal() {
    let (_dir, path) = temp_journal();
    let journal = Journal::open(&path).unwrap();
    let conn = journal.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 1, "NORMAL is 1");
}

#[test]
fn another_connection_reads_while_a_writer_holds_its_transaction_open() {
    let (_dir, path) = temp_journal();
    let writer = Journal::open(&path).unwrap();
    let committed = writer.begin_run(&start(5)).unwrap();

    // A second process's view: its own connection, holding an exclusive write transaction
    // with an uncommitted run. Without WAL, readers would wait for it (and time out).
    let mut other = rusqlite::Connection::open(&path).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
        .unwrap();
    tx.execute(
        "INSERT INTO runs (started_at, mode, trigger, snapshot_employees, snapshot_rejected)
         VALUES ('2026-03-02T11:00:00.000Z', 'sync', 'cron', 1, 0)",
        [],
    )
    .unwrap();

    let reader = Journal::open(&path).unwrap();
    let began = std::time::Instant::now();
    let runs = reader.runs(10).unwrap();
    assert!(
        began.elapsed() < std::time::Duration::from_secs(2),
        "the read waited"
    );
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![committed]
    );

    tx.commit().unwrap();
    assert_eq!(
        reader.runs(10).unwrap().len(),
        2,
        "committed writes become visible"
    );
}

/// The environment variable that turns [`killed_writer_child`] into a writer that dies.
const CHILD_ENV: &str = "HRSYNC_TEST_KILLED_WRITER_DB";

/// Not a test on its own: the child half of
/// [`a_journal_left_by_a_killed_writer_opens_and_shows_the_interrupted_run`], run in a separate
/// process. It records a run and an intent, starts a write transaction, and aborts (no
/// destructors, no close, WAL left behind), as `kill -9` would.
#[test]
#[ignore = "helper process for the killed-writer test"]
fn killed_writer_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let journal = Journal::open(std::path::Path::new(&path)).unwrap();
    let run = journal.begin_run(&start(5)).unwrap();
    journal.record_intent(run, &create("31")).unwrap();
    let conn = journal.conn();
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         INSERT INTO runs (started_at, mode, trigger, snapshot_employees, snapshot_rejected)
         VALUES ('2026-03-02T11:00:00.000Z', 'sync', 'cron', 1, 0);",
    )
    .unwrap();
    std::process::abort();
}

#[test]
fn a_journal_left_by_a_killed_writer_opens_and_shows_the_interrupted_run() {
    let (_dir, path) = temp_journal();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "journal::tests::open::killed_writer_child",
            "--exact",
            "--ignored",
        ])
        .arg("--nocapture")
        .env(CHILD_ENV, &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child must have died");
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    assert!(
        std::path::Path::new(&wal).exists(),
        "the killed writer leaves its WAL"
    );

    let journal = Journal::open(&path).unwrap();
    let runs = journal.runs(10).unwrap();
    assert_eq!(runs.len(), 1, "the uncommitted run is rolled back");
    assert_eq!(runs[0].status, RunState::Running);
    assert_eq!(journal.mark_interrupted_runs().unwrap(), 1);
    let actions = journal.actions_for_run(runs[0].id).unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].outcome.label(), "unknown (interrupted)");
    let next = journal.begin_run(&start(5)).unwrap();
    assert!(
        next > runs[0].id,
        "the journal keeps working after recovery"
    );
}

#[cfg(unix)]
#[test]
fn a_new_journal_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = temp_journal();
    let journal = Journal::open(&path).unwrap();
    journal.begin_run(&start(1)).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let wal_mode = std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        wal_mode, 0o600,
        "SQLite copies the mode to the WAL: {wal_mode:o}"
    );
}

#[test]
fn a_read_only_handle_reads_while_the_writer_writes_and_cannot_write() {
    let (_dir, path) = temp_journal();
    let missing = Journal::open_read_only(&path).unwrap_err();
    assert!(
        matches!(missing, JournalError::NotFound { .. }),
        "{missing:?}"
    );
    assert!(!path.exists(), "a read-only open never creates the file");

    let writer = Journal::open(&path).unwrap();
    let first = writer.begin_run(&start(7)).unwrap();
    let reader = Journal::open_read_only(&path).unwrap();
    assert_eq!(reader.run(first).unwrap().unwrap().snapshot_employees, 7);
    let second = writer.begin_run(&start(8)).unwrap();
    assert_eq!(reader.runs(10).unwrap()[0].id, second, "sees new commits");
    assert!(reader.begin_run(&start(9)).is_err(), "writes are refused");
    assert_eq!(writer.runs(10).unwrap().len(), 2);
}

#[test]
fn a_read_only_open_refuses_a_journal_of_another_schema_version() {
    let (_dir, path) = temp_journal();
    drop(Journal::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Journal::open_read_only(&path).unwrap_err();
    assert!(
        matches!(err, JournalError::SchemaMismatch { found, .. } if found == SCHEMA_VERSION + 1),
        "{err:?}"
    );
}
