//! Errors of the journal. They name the database file and what to do; they never carry
//! secrets (nothing secret is stored in the journal in the first place).

use super::{ActionId, RunId};
use std::path::PathBuf;

/// Why a journal operation failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The directory that should hold the journal file does not exist. The journal never
    /// creates directories: under systemd, `StateDirectory=hrsync` does.
    #[error(
        "cannot open the journal {path}: the directory {} does not exist (create it, or set [journal] path)",
        dir.display(),
        path = path.display()
    )]
    MissingDirectory {
        /// The journal file asked for.
        path: PathBuf,
        /// Its missing parent directory.
        dir: PathBuf,
    },
    /// The run lock is held by another process, or its file cannot be opened.
    #[error("cannot take the run lock {path}: {message}", path = path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// SQLite could not open or prepare the file (permissions, not a database, …).
    #[error("cannot open the journal {path}", path = path.display())]
    Open {
        /// The journal file.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// There is no journal file to read (no run has been recorded there yet).
    #[error("no journal at {path}: no run has been recorded there yet (check [journal] path)", path = path.display())]
    NotFound {
        /// The journal file asked for.
        path: PathBuf,
    },
    /// A read-only open found a schema other than this build's.
    #[error(
        "the journal {path} has schema version {found}, this hrsync reads version {supported}; run a sync with this version first, or upgrade hrsync",
        path = path.display()
    )]
    SchemaMismatch {
        /// The journal file.
        path: PathBuf,
        /// The file's `user_version`.
        found: i64,
        /// The version this build reads.
        supported: i64,
    },
    /// A new journal file could not be made private to its owner.
    #[error("cannot restrict the journal {path} to its owner: {message}", path = path.display())]
    Permissions {
        /// The journal file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The file was written by a newer hrsync whose schema this one does not know.
    #[error(
        "the journal {path} has schema version {found}, newer than this hrsync supports ({supported}); upgrade hrsync",
        path = path.display()
    )]
    TooNew {
        /// The journal file.
        path: PathBuf,
        /// The file's `user_version`.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A schema migration failed; the file is left at the previous version.
    #[error("journal schema migration to version {version} failed")]
    Migration {
        /// The version being migrated to.
        version: i64,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A PostgreSQL schema migration failed; the database is left at the previous version.
    #[error("journal schema migration to version {version} failed: {message}")]
    PgMigration {
        /// The version being migrated to.
        version: i64,
        /// The driver's and server's message, password scrubbed. The driver's error itself is
        /// not kept as a cause: a cause chain would print it unscrubbed.
        message: String,
    },
    /// A PostgreSQL read or write failed.
    #[error("journal database error: {message}")]
    Postgres {
        /// The server's message with its SQLSTATE, password scrubbed. The driver's error itself
        /// is not kept as a cause: a cause chain would print it unscrubbed.
        message: String,
    },
    /// An action intent was refused: its epoch no longer holds the leader lease (expired,
    /// or another instance took over), so no Okta write may start under it.
    #[error(
        "epoch {epoch} no longer holds the leader lease; this instance is not the leader and writes nothing"
    )]
    NotLeader {
        /// The epoch the caller believed it held.
        epoch: i64,
    },
    /// The PostgreSQL journal cannot be reached (connect failed, no answer in time).
    #[error("the journal {location} cannot be reached: {message}")]
    Unavailable {
        /// The URL, user info masked.
        location: String,
        /// What failed.
        message: String,
    },
    /// A read or write failed (disk full, I/O error, busy for longer than the timeout, …).
    #[error("journal database error")]
    Sqlite(#[from] rusqlite::Error),
    /// A value could not be turned into JSON for storage.
    #[error("cannot encode a journal value as JSON")]
    Json(#[from] serde_json::Error),
    /// A stored value is not one this build can read.
    #[error("the journal holds an unreadable value in {column}: {value:?}")]
    Corrupt {
        /// Table and column.
        column: &'static str,
        /// The stored text.
        value: String,
    },
    /// No run with this id.
    #[error("the journal has no run {0}")]
    UnknownRun(RunId),
    /// The run was already finished; a run is finished once.
    #[error("run {0} is already finished")]
    RunAlreadyFinished(RunId),
    /// No action with this id.
    #[error("the journal has no action {0}")]
    UnknownAction(ActionId),
    /// The action already has a final outcome (applied, failed or skipped).
    #[error("action {0} already has an outcome")]
    OutcomeAlreadyRecorded(ActionId),
}
