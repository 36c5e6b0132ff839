//! The settled state: what the last run that found nothing to do saw (an opaque text the
//! sync layer writes: digests of its HR snapshot and its typed policy, its plan's wake-up,
//! its findings), so that the next run may record the same without reading the Okta cache
//! or planning (`sync::settled`). One row, tied to the run that wrote it.
//!
//! It is only ever given back for the run right after the one that wrote it: any later sync
//! run (finished, failed or killed) makes it stale, and the journal calls that change what a
//! plan depends on besides HR, Okta and the configuration (approving a plan, forgetting a
//! link, clearing a failure streak, dropping the Okta cache) delete it. It must not decide
//! whether a run may skip planning (`sync::settled` does), nor hold anything but what the
//! writing run produced.

use super::{Journal, JournalError, RunId, RunMode, RunStatus};
use rusqlite::{OptionalExtension, params};

impl Journal {
    /// Records `state` as what run `run` settled on (replacing any earlier state).
    pub fn record_settled(&self, run: RunId, state: &str) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.record_settled(run, state.to_owned());
        }
        self.conn().execute(
            "INSERT OR REPLACE INTO settled (id, run_id, state) VALUES (1, ?1, ?2)",
            params![run.0, state],
        )?;
        Ok(())
    }

    /// The settled state, only when the run that wrote it is the latest sync run before
    /// `current` and it ended with no changes; `None` otherwise.
    pub fn settled_before(&self, current: RunId) -> Result<Option<String>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.settled_before(current);
        }
        let state = self
            .conn()
            .query_row(
                SETTLED_BEFORE_SQLITE,
                params![
                    current.0,
                    RunMode::Sync.as_str(),
                    RunStatus::NoChanges.as_str()
                ],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        Ok(state)
    }

    /// Forgets the settled state: the next run plans.
    pub fn unsettle(&self) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.unsettle();
        }
        self.conn().execute("DELETE FROM settled", [])?;
        Ok(())
    }
}

/// The state, when its run is the latest sync run before `?1` and has the status `?3`.
const SETTLED_BEFORE_SQLITE: &str = "SELECT s.state FROM settled s JOIN runs r ON r.id = s.run_id
      WHERE r.status = ?3
        AND s.run_id = (SELECT max(id) FROM runs WHERE mode = ?2 AND id < ?1)";

/// [`SETTLED_BEFORE_SQLITE`] in PostgreSQL's placeholders.
pub(super) const SETTLED_BEFORE_PG: &str =
    "SELECT s.state FROM settled s JOIN runs r ON r.id = s.run_id
      WHERE r.status = $3
        AND s.run_id = (SELECT max(id) FROM runs WHERE mode = $2 AND id < $1)";
