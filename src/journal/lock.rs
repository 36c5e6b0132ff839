//! The run lock: only one process at a time applies runs recorded in a given journal (the
//! daemon, or a one-shot `hrsync sync`). Holding it is what makes it safe to mark runs left
//! `running` by a crashed process as interrupted. `plan`, `history` and `explain` never take it.

use super::JournalError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// An exclusive, advisory lock on `<journal>.lock`, released when dropped (or when the
/// process dies, so a crash never leaves it stale).
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    path: PathBuf,
}

impl RunLock {
    /// Takes the lock for the journal at `journal_path`, without waiting. The lock sits beside
    /// the journal's canonical path (symbolic links and `..` resolved), so two configurations
    /// naming one journal by different paths take the same lock.
    pub fn acquire(journal_path: &Path) -> Result<RunLock, JournalError> {
        let journal_path = canonical(journal_path);
        let mut name = journal_path.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| JournalError::Locked {
                path: path.clone(),
                message: e.to_string(),
            })?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(JournalError::Locked {
                path,
                message: "another hrsync process (the daemon, or a sync) is applying runs with this journal; \
                          wait for it, stop it, or use `hrsync plan` which changes nothing"
                    .to_owned(),
            }),
            Err(TryLockError::Error(e)) => Err(JournalError::Locked { path, message: e.to_string() }),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The journal file's canonical path: the file itself when it exists (a link to it resolves to
/// its target), else its canonical folder joined with its name; the path as given when neither
/// resolves (the open that follows reports why).
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir).map_or_else(|_| path.to_path_buf(), |d| d.join(name))
        }
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests;
