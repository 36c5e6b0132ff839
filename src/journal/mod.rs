//! The journal: an audit trail of every run and every action hrsync takes, plus the last good
//! snapshot size the snapshot guard compares against, the links, approvals, failure
//! streaks and the Okta user cache incremental runs plan from (`okta_cache`). In SQLite (the default, a file) or in PostgreSQL (`[journal] url`, module `pg`: the
//! same tables, meaning and calls; every method below goes there first when it is one).
//!
//! Each action is written twice: its intent before the Okta call (outcome `pending`) and its
//! outcome after, so a crash leaves an honest record ([`Journal::mark_interrupted_runs`] turns
//! the leftovers into `interrupted` runs and `unknown (interrupted)` actions on the next start).
//!
//! The API is synchronous and each call is one short transaction on a connection behind a
//! mutex; async callers may call it directly (calls take well under a millisecond) or from
//! `spawn_blocking` (PostgreSQL calls are a round trip to the server, bounded by a timeout).
//! The SQLite database runs in WAL mode with `synchronous=NORMAL` and a busy
//! timeout, so `hrsync history` can read while the daemon writes.
//!
//! It must not: store secrets (tokens, webhook secrets), store whole profiles in the audit
//! trail (a create keeps only the attribute names; names and emails appear only as the
//! old/new values of an attribute an update changed, and as the action's login; the Okta
//! cache holds a copy of the attributes the mapping writes, the login and the email, and
//! nothing else of a profile), decide anything (it records what others decided), or create
//! directories.

mod approvals;
mod browse;
mod error;
mod links;
mod lock;
mod okta_cache;
mod pg;
mod read;
mod records;
mod schema;
mod settled;
mod streaks;
mod types;
mod write;

#[cfg(test)]
mod tests;

pub use approvals::Approval;
pub use browse::{ActionFilter, HeldPlan};
pub use error::JournalError;
pub use links::{LinkFact, LinkRecord};
pub use lock::RunLock;
pub use okta_cache::{CacheHeader, CacheRefill, CacheUpdate};
pub use pg::lease::{Lease, Leases};
pub use records::{ActionRecord, ActionState, FindingRecord, RunRecord, RunState};
pub use schema::SCHEMA_VERSION;
pub use streaks::StreakUpdate;
pub use types::{ActionId, RunCounts, RunEnd, RunId, RunMode, RunStart, RunStatus};

use crate::config::JournalConfig;
use crate::db::DbTarget;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long a call waits for another writer's lock before failing with "database is busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A handle on the journal. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct Journal {
    inner: Arc<Inner>,
}

struct Inner {
    /// The database file (`:memory:` for an in-memory journal), or the PostgreSQL URL with
    /// its user info masked; for messages.
    path: PathBuf,
    /// The SQLite connection. For a PostgreSQL journal an empty, read-only in-memory
    /// database: every call goes to `pg` first, and one that did not would fail loudly here
    /// instead of writing somewhere unseen.
    conn: Mutex<Connection>,
    /// The PostgreSQL journal (`[journal] url`), if that is where this journal lives.
    pg: Option<pg::PgJournal>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

/// A new journal file is readable by its owner only (it names employees); SQLite gives its
/// `-wal` and `-shm` files the same permissions.
fn restrict_to_owner(path: &Path) -> Result<(), JournalError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
            JournalError::Permissions {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Journal {
    /// Opens (creating the file if needed, readable by its owner only) and migrates the journal at `path`.
    ///
    /// The parent directory must exist: the journal never creates directories, and says
    /// which one is missing. A file left by a killed writer opens fine (SQLite recovers the
    /// WAL); its unfinished runs stay `running` until [`Journal::mark_interrupted_runs`].
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(JournalError::MissingDirectory {
                path: path.to_path_buf(),
                dir: dir.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX; // no URI flag: a path is a path
        let open_error = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        let existed = path.exists();
        let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        if !existed {
            restrict_to_owner(path)?;
        }
        Self::prepare(conn, path, true)
    }

    /// Opens an existing journal for reading only (`hrsync history`, `explain`): never creates,
    /// migrates or writes the file, so it works for a user who may only read it and while the
    /// daemon writes. Write calls on the handle fail.
    pub fn open_read_only(path: &Path) -> Result<Journal, JournalError> {
        if !path.is_file() {
            return Err(JournalError::NotFound {
                path: path.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open_error = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(open_error)?;
        if version != SCHEMA_VERSION {
            return Err(JournalError::SchemaMismatch {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(Journal {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                conn: Mutex::new(conn),
                pg: None,
            }),
        })
    }

    /// Opens a fresh journal in memory (tests, `hrsync demo`, `plan` without a journal).
    pub fn open_in_memory() -> Result<Journal, JournalError> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::prepare(conn, path, false)
    }

    /// Sets the pragmas and runs the migrations.
    fn prepare(mut conn: Connection, path: &Path, wal: bool) -> Result<Journal, JournalError> {
        let open_error = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        if wal {
            // Returns the mode now in force; "wal" unless the file system cannot do it.
            let _mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(open_error)?;
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(open_error)?;
        schema::migrate(&mut conn, path)?;
        Ok(Journal {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                conn: Mutex::new(conn),
                pg: None,
            }),
        })
    }

    /// Opens (and migrates) the PostgreSQL journal at `url`; several hrsync processes may
    /// share it.
    pub fn open_url(url: &DbTarget) -> Result<Journal, JournalError> {
        Self::with_pg(url, pg::PgJournal::open(url, false)?)
    }

    /// Opens the PostgreSQL journal at `url` for reading only: never migrates, and every
    /// session is read-only on the server (writes fail).
    pub fn open_url_read_only(url: &DbTarget) -> Result<Journal, JournalError> {
        Self::with_pg(url, pg::PgJournal::open(url, true)?)
    }

    fn with_pg(url: &DbTarget, pg: pg::PgJournal) -> Result<Journal, JournalError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(":memory:", flags).map_err(|source| {
            JournalError::Open {
                path: PathBuf::from(":memory:"),
                source,
            }
        })?;
        Ok(Journal {
            inner: Arc::new(Inner {
                path: PathBuf::from(url.shown()),
                conn: Mutex::new(conn),
                pg: Some(pg),
            }),
        })
    }

    /// Opens the journal `[journal]` names: the PostgreSQL URL, else the SQLite file.
    pub fn from_config(config: &JournalConfig) -> Result<Journal, JournalError> {
        match &config.url {
            Some(url) => Self::open_url(url),
            None => Self::open(&config.path),
        }
    }

    /// [`Journal::from_config`] for reading only.
    pub fn from_config_read_only(config: &JournalConfig) -> Result<Journal, JournalError> {
        match &config.url {
            Some(url) => Self::open_url_read_only(url),
            None => Self::open_read_only(&config.path),
        }
    }

    /// The leader lease, when this journal is shared (PostgreSQL); `None` for an SQLite
    /// journal, which one process uses at a time (by its run lock).
    pub fn leases(&self) -> Option<Leases<'_>> {
        self.pg().map(Leases)
    }

    /// The PostgreSQL journal, when this is one.
    fn pg(&self) -> Option<&pg::PgJournal> {
        self.inner.pg.as_ref()
    }

    /// The database file this handle writes (for a PostgreSQL journal, its masked URL).
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `job` with this journal on tokio's blocking pool (journal calls block; a
    /// PostgreSQL one is a round trip), so async code can await it beside other work.
    pub async fn off_thread<T, F>(&self, what: &str, job: F) -> Result<T, JournalError>
    where
        T: Send + 'static,
        F: FnOnce(&Journal) -> Result<T, JournalError> + Send + 'static,
    {
        let journal = self.clone();
        self.joined(what, tokio::task::spawn_blocking(move || job(&journal)))
            .await
    }

    /// Waits for a journal job started on the blocking pool; one that panicked or was
    /// cancelled is [`JournalError::Unavailable`], naming `what` it was doing.
    pub async fn joined<T>(
        &self,
        what: &str,
        task: tokio::task::JoinHandle<Result<T, JournalError>>,
    ) -> Result<T, JournalError> {
        task.await.unwrap_or_else(|e| {
            Err(JournalError::Unavailable {
                location: self.path().display().to_string(),
                message: format!("{what} stopped: {e}"),
            })
        })
    }

    /// The connection. A panic in another thread while holding the lock cannot leave a
    /// half-written record (every write is a transaction that rolls back on drop), so a
    /// poisoned lock is simply taken over.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.inner
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
