//! The settled state in PostgreSQL: the same row, calls and meaning as the SQLite journal's
//! `settled`.

use super::{PgJournal, db_error};
use crate::journal::settled::SETTLED_BEFORE_PG;
use crate::journal::{JournalError, RunId, RunMode, RunStatus};

impl PgJournal {
    pub(in crate::journal) fn record_settled(
        &self,
        run: RunId,
        state: String,
    ) -> Result<(), JournalError> {
        self.call(move |c, t| {
            c.execute(
                "INSERT INTO settled (id, run_id, state) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, state = excluded.state",
                &[&run.0, &state],
            )
            .map_err(db_error(t))?;
            Ok(())
        })
    }

    pub(in crate::journal) fn settled_before(
        &self,
        current: RunId,
    ) -> Result<Option<String>, JournalError> {
        self.call(move |c, t| {
            let row = c
                .query_opt(
                    SETTLED_BEFORE_PG,
                    &[
                        &current.0,
                        &RunMode::Sync.as_str(),
                        &RunStatus::NoChanges.as_str(),
                    ],
                )
                .map_err(db_error(t))?;
            row.map(|r| r.try_get(0).map_err(db_error(t))).transpose()
        })
    }

    pub(in crate::journal) fn unsettle(&self) -> Result<(), JournalError> {
        self.call(|c, t| {
            c.execute("DELETE FROM settled", &[]).map_err(db_error(t))?;
            Ok(())
        })
    }
}
