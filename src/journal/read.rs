//! Reading the journal: runs (newest first; all, or only those that could change Okta), a run's actions and findings, an employee's
//! actions, and the last good snapshot size. Reads never change anything.

use super::records::{
    ACTION_COLUMNS, RUN_COLUMNS, action_from_row, finding_from_row, run_from_row,
};
use super::{ActionRecord, FindingRecord, Journal, JournalError, RunId, RunMode, RunRecord};
use crate::model::EmployeeId;
use rusqlite::{OptionalExtension, Params};

impl Journal {
    /// The employee count of the last snapshot recorded with
    /// [`Journal::set_last_good_snapshot`], if any.
    pub fn last_good_snapshot(&self) -> Result<Option<usize>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.last_good_snapshot();
        }
        let count: Option<i64> = self
            .conn()
            .query_row(
                "SELECT employees FROM last_good_snapshot WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(count.map(|n| usize::try_from(n).unwrap_or(0)))
    }

    /// Whether a run ever finished its apply (applied, partial or with nothing to change): until
    /// then every run is part of the initial load (one killed or blocked midway included).
    pub fn has_finished_a_run(&self) -> Result<bool, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.has_finished_a_run();
        }
        let found: Option<i64> = self
            .conn()
            .query_row(
                "SELECT 1 FROM runs WHERE status IN ('applied', 'partial', 'no_changes') LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// The most recent `limit` runs, newest first.
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.runs(limit);
        }
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?1");
        self.select(&sql, [sql_limit(limit)], |r| run_from_row(r))
    }

    /// The most recent `limit` runs that could change Okta (mode `sync`, whatever their
    /// status: blocked, failed and interrupted ones included), newest first: no `hrsync plan`
    /// and no dry run.
    pub fn sync_runs(&self, limit: usize) -> Result<Vec<RunRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.sync_runs(limit);
        }
        let sql =
            format!("SELECT {RUN_COLUMNS} FROM runs WHERE mode = ?1 ORDER BY id DESC LIMIT ?2");
        self.select(
            &sql,
            rusqlite::params![RunMode::Sync.as_str(), sql_limit(limit)],
            |r| run_from_row(r),
        )
    }

    /// How many runs in the journal planned only (`hrsync plan`, dry runs).
    pub fn planned_only_runs(&self) -> Result<u64, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.planned_only_runs();
        }
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM runs WHERE mode != ?1",
            [RunMode::Sync.as_str()],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One run, if it exists.
    pub fn run(&self, id: RunId) -> Result<Option<RunRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.run(id);
        }
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1");
        Ok(self
            .select(&sql, [id.0], |r| run_from_row(r))?
            .into_iter()
            .next())
    }

    /// A run's actions in the order their intents were recorded.
    pub fn actions_for_run(&self, run: RunId) -> Result<Vec<ActionRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.actions_for_run(run);
        }
        let sql = format!("SELECT {ACTION_COLUMNS} FROM actions WHERE run_id = ?1 ORDER BY id");
        self.select(&sql, [run.0], |r| action_from_row(r))
    }

    /// An employee's most recent `limit` actions across runs, newest first.
    pub fn actions_for_employee(
        &self,
        id: &EmployeeId,
        limit: usize,
    ) -> Result<Vec<ActionRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.actions_for_employee(id, limit);
        }
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE employee_id = ?1 ORDER BY id DESC LIMIT ?2"
        );
        self.select(
            &sql,
            rusqlite::params![id.as_str(), sql_limit(limit)],
            |r| action_from_row(r),
        )
    }

    /// A run's findings in the order they were recorded.
    pub fn findings_for_run(&self, run: RunId) -> Result<Vec<FindingRecord>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.findings_for_run(run);
        }
        self.select(
            "SELECT run_id, kind, employee_id, okta_id, reason, detail
               FROM findings WHERE run_id = ?1 ORDER BY id",
            [run.0],
            |r| finding_from_row(r),
        )
    }

    /// Runs a SELECT and converts every row.
    pub(super) fn select<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        convert: impl Fn(&rusqlite::Row<'_>) -> Result<T, JournalError>,
    ) -> Result<Vec<T>, JournalError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(sql)?;
        let mut rows = statement.query(params)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(convert(row)?);
        }
        Ok(out)
    }
}

fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}
