//! Validation of `[journal]`: the key, `$STATE_DIRECTORY` or the default path. (The policy
//! sections deserialize directly into hrsync-core's policy types.)
//!
//! Reads `$STATE_DIRECTORY` (through the load context) and nothing else.

use super::raw::*;
use super::sections::Checker;
use super::types::*;
use std::path::PathBuf;

/// The journal's path when neither the key nor `$STATE_DIRECTORY` is set.
pub const DEFAULT_JOURNAL: &str = "/var/lib/hrsync/journal.db";

impl Checker<'_> {
    /// `[journal]`: the key, else `$STATE_DIRECTORY/journal.db`, else the default path.
    pub fn journal(&mut self, raw: Option<&RawJournal>) -> Option<JournalConfig> {
        let path = match raw.and_then(|r| r.path.as_ref()) {
            Some(p) => self.path(p),
            None => match (self.ctx.env)("STATE_DIRECTORY")
                .and_then(|d| d.split(':').next().map(str::to_owned))
                .filter(|d| !d.is_empty())
            {
                Some(dir) => PathBuf::from(dir).join("journal.db"),
                None => PathBuf::from(DEFAULT_JOURNAL),
            },
        };
        Some(JournalConfig { path })
    }
}
