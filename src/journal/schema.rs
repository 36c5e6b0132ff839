//! The journal's schema and its versioned migrations (`PRAGMA user_version`), one function
//! per version. A migration runs once, inside an immediate transaction, and never edits the
//! data of older versions destructively. This module does not read or write records.

use super::JournalError;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::Path;

/// One migration: brings the schema from the previous version to its own.
type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// Migrations in order; index 0 migrates to version 1.
const MIGRATIONS: &[Migration] = &[
    v1_runs_actions_findings_snapshot,
    v2_links,
    v3_approvals,
    v4_failure_streaks,
    v5_okta_cache,
    v6_console_indexes,
    v7_settled,
    v8_cache_refills,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`]. Safe to call on every open and from
/// several processes at once: each step re-reads the version inside its write transaction.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), JournalError> {
    // An up-to-date journal needs no write lock: opening it must not wait for a writer
    // (`hrsync history` while the daemon applies).
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_not_too_new(version, path)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| JournalError::Migration {
                version: target,
                source,
            })?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        check_not_too_new(current, path)?;
        if current >= target {
            continue;
        }
        migration(&tx)
            .and_then(|()| tx.pragma_update(None, "user_version", target))
            .and_then(|()| tx.commit())
            .map_err(|source| JournalError::Migration {
                version: target,
                source,
            })?;
    }
    Ok(())
}

fn check_not_too_new(version: i64, path: &Path) -> Result<(), JournalError> {
    if version > SCHEMA_VERSION {
        return Err(JournalError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Version 1: runs, actions (intent then outcome), findings, and the last good snapshot size.
///
/// Instants are RFC 3339 UTC text with millisecond precision (sortable as text).
fn v1_runs_actions_findings_snapshot(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE runs (
            id                 INTEGER PRIMARY KEY,
            started_at         TEXT    NOT NULL,
            ended_at           TEXT,
            mode               TEXT    NOT NULL,
            trigger            TEXT    NOT NULL,
            status             TEXT    NOT NULL DEFAULT 'running',
            snapshot_employees INTEGER NOT NULL,
            snapshot_rejected  INTEGER NOT NULL,
            created            INTEGER NOT NULL DEFAULT 0,
            updated            INTEGER NOT NULL DEFAULT 0,
            activated          INTEGER NOT NULL DEFAULT 0,
            deactivated        INTEGER NOT NULL DEFAULT 0,
            suspended          INTEGER NOT NULL DEFAULT 0,
            unsuspended        INTEGER NOT NULL DEFAULT 0,
            failed             INTEGER NOT NULL DEFAULT 0,
            skipped            INTEGER NOT NULL DEFAULT 0,
            held_back          INTEGER NOT NULL DEFAULT 0,
            okta_requests      INTEGER NOT NULL DEFAULT 0,
            error              TEXT
        );
        CREATE INDEX runs_by_status ON runs(status);

        CREATE TABLE actions (
            id           INTEGER PRIMARY KEY,
            run_id       INTEGER NOT NULL REFERENCES runs(id),
            intended_at  TEXT    NOT NULL,
            finished_at  TEXT,
            employee_id  TEXT,
            okta_id      TEXT,
            login        TEXT,
            kind         TEXT    NOT NULL,
            reason       TEXT    NOT NULL,
            changes      TEXT,
            outcome      TEXT    NOT NULL DEFAULT 'pending',
            error_code   TEXT,
            request_id   TEXT,
            message      TEXT
        );
        CREATE INDEX actions_by_run ON actions(run_id, id);
        CREATE INDEX actions_by_employee ON actions(employee_id, id);
        CREATE INDEX actions_by_outcome ON actions(outcome);

        CREATE TABLE findings (
            id          INTEGER PRIMARY KEY,
            run_id      INTEGER NOT NULL REFERENCES runs(id),
            kind        TEXT    NOT NULL,
            employee_id TEXT,
            okta_id     TEXT,
            reason      TEXT    NOT NULL,
            detail      TEXT    NOT NULL
        );
        CREATE INDEX findings_by_run ON findings(run_id, id);

        CREATE TABLE last_good_snapshot (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            employees   INTEGER NOT NULL,
            recorded_at TEXT    NOT NULL
        );",
    )
}

/// Version 2: the link table, employee id ↔ Okta user id with every login and email (lower
/// case) seen on that user, so a linked user missing from a listing is read by id before
/// anything is created for the employee.
fn v2_links(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE links (
            employee_id TEXT NOT NULL,
            okta_id     TEXT NOT NULL,
            address     TEXT NOT NULL,
            first_seen  TEXT NOT NULL,
            PRIMARY KEY (employee_id, okta_id, address)
        ) WITHOUT ROWID;
        CREATE INDEX links_by_okta_id ON links(okta_id);",
    )
}

/// Version 3: held plans (what a blocked run held back, by plan id) and their approvals.
fn v3_approvals(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE held_plans (
            plan_id     TEXT    PRIMARY KEY,
            first_run   INTEGER NOT NULL,
            recorded_at TEXT    NOT NULL,
            summary     TEXT    NOT NULL
        );
        CREATE TABLE approvals (
            plan_id     TEXT    PRIMARY KEY REFERENCES held_plans(plan_id),
            approved_at TEXT    NOT NULL,
            state       TEXT    NOT NULL DEFAULT 'open'
                        CHECK (state IN ('open', 'used', 'stale')),
            closed_at   TEXT,
            closed_by   INTEGER
        );",
    )
}

/// Version 4: failure streaks, one per (subject, action kind): how many runs in a row an
/// action failed with the same permanent Okta error, for the per-action quarantine.
fn v4_failure_streaks(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE failure_streaks (
            subject         TEXT    NOT NULL,
            kind            TEXT    NOT NULL,
            fingerprint     TEXT    NOT NULL,
            error_code      TEXT,
            message         TEXT    NOT NULL,
            failures        INTEGER NOT NULL,
            first_failed_at TEXT    NOT NULL,
            last_failed_at  TEXT    NOT NULL,
            PRIMARY KEY (subject, kind)
        ) WITHOUT ROWID;",
    )
}

/// Version 5: the Okta user cache incremental runs plan from (one row per user: the user as
/// hrsync's model, reduced to what the planner reads, as JSON; one header row), and per run
/// the kind of pass it made and how many users it listed.
fn v5_okta_cache(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE okta_cache_header (
            id               INTEGER PRIMARY KEY CHECK (id = 1),
            org_url          TEXT    NOT NULL,
            fingerprint      TEXT    NOT NULL,
            watermark        TEXT,
            last_full_pass   TEXT    NOT NULL,
            full_pass_wanted TEXT
        );
        CREATE TABLE okta_cache (
            okta_id      TEXT NOT NULL PRIMARY KEY,
            status       TEXT NOT NULL,
            login        TEXT,
            last_updated TEXT,
            user_json    TEXT NOT NULL
        ) WITHOUT ROWID;
        ALTER TABLE runs ADD COLUMN pass TEXT;
        ALTER TABLE runs ADD COLUMN users_read INTEGER;",
    )
}

/// Version 6: indexes for the web console's run page, which pages through one run's actions
/// filtered by kind, by outcome or by both, in intent order, without reading the others.
fn v6_console_indexes(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(CONSOLE_INDEXES)
}

/// The console's indexes, the same statements in both journals.
pub(super) const CONSOLE_INDEXES: &str = "
    CREATE INDEX actions_by_run_kind ON actions(run_id, kind, id);
    CREATE INDEX actions_by_run_outcome ON actions(run_id, outcome, id);
    CREATE INDEX actions_by_run_kind_outcome ON actions(run_id, kind, outcome, id);";

/// Version 7: the settled state (`journal::settled`): one row, the run that wrote it and its
/// text.
fn v7_settled(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE settled (
            id     INTEGER PRIMARY KEY CHECK (id = 1),
            run_id INTEGER NOT NULL,
            state  TEXT    NOT NULL
        );",
    )
}

/// Version 8: which refill (`journal::okta_cache::refill`) wrote each cached user, so that a
/// full pass's pages are written as they are read and what it did not list is dropped after.
fn v8_cache_refills(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(CACHE_REFILLS)
}

/// The refill column, the same statement in both journals.
pub(super) const CACHE_REFILLS: &str =
    "ALTER TABLE okta_cache ADD COLUMN refill bigint NOT NULL DEFAULT 0;";
