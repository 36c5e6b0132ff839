//! Reading the PostgreSQL journal, and its link table: the same calls, statements and
//! meaning as the SQLite journal's `read` and `links` (approvals and failure streaks are in
//! `tables`); rows are turned into records by the shared
//! [`crate::journal::records`] readers.

use super::{PgJournal, db_error};
use crate::journal::RunMode;
use crate::journal::records::{
    ACTION_COLUMNS, PG_RUN_COLUMNS, RowRead, action_from_row, finding_from_row, format_instant,
    run_from_row,
};
use crate::journal::{
    ActionRecord, FindingRecord, JournalError, LinkFact, LinkRecord, RunId, RunRecord,
};
use crate::model::EmployeeId;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashSet};

/// A column that cannot be read as the journal wrote it.
fn bad_column(source: postgres::Error) -> JournalError {
    JournalError::Postgres {
        message: source.to_string(),
    }
}

impl RowRead for postgres::Row {
    fn int(&self, i: usize) -> Result<i64, JournalError> {
        self.try_get(i).map_err(bad_column)
    }

    fn text(&self, i: usize) -> Result<String, JournalError> {
        self.try_get(i).map_err(bad_column)
    }

    fn opt_text(&self, i: usize) -> Result<Option<String>, JournalError> {
        self.try_get(i).map_err(bad_column)
    }

    fn opt_int(&self, i: usize) -> Result<Option<i64>, JournalError> {
        self.try_get(i).map_err(bad_column)
    }
}

fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl PgJournal {
    /// Runs a SELECT with owned parameters and converts every row.
    pub(super) fn select<T: Send + 'static>(
        &self,
        sql: String,
        params: Vec<Box<dyn postgres::types::ToSql + Sync + Send>>,
        convert: fn(&postgres::Row) -> Result<T, JournalError>,
    ) -> Result<Vec<T>, JournalError> {
        self.call(move |c, t| {
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                .iter()
                .map(|p| p.as_ref() as &(dyn postgres::types::ToSql + Sync))
                .collect();
            let rows = c.query(sql.as_str(), &refs).map_err(db_error(t))?;
            rows.iter().map(convert).collect()
        })
    }

    pub(in crate::journal) fn last_good_snapshot(&self) -> Result<Option<usize>, JournalError> {
        let rows = self.select(
            "SELECT employees FROM last_good_snapshot WHERE id = 1".into(),
            Vec::new(),
            |r| r.int(0),
        )?;
        Ok(rows.first().map(|n| usize::try_from(*n).unwrap_or(0)))
    }

    pub(in crate::journal) fn has_finished_a_run(&self) -> Result<bool, JournalError> {
        let rows = self.select(
            "SELECT 1::bigint FROM runs WHERE status IN ('applied', 'partial', 'no_changes') LIMIT 1"
                .into(),
            Vec::new(),
            |r| r.int(0),
        )?;
        Ok(!rows.is_empty())
    }

    pub(in crate::journal) fn runs(&self, limit: usize) -> Result<Vec<RunRecord>, JournalError> {
        let sql = format!("SELECT {PG_RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT $1");
        self.select(sql, vec![Box::new(sql_limit(limit))], run_from_row)
    }

    pub(in crate::journal) fn sync_runs(
        &self,
        limit: usize,
    ) -> Result<Vec<RunRecord>, JournalError> {
        let sql =
            format!("SELECT {PG_RUN_COLUMNS} FROM runs WHERE mode = $1 ORDER BY id DESC LIMIT $2");
        self.select(
            sql,
            vec![
                Box::new(RunMode::Sync.as_str().to_owned()),
                Box::new(sql_limit(limit)),
            ],
            run_from_row,
        )
    }

    pub(in crate::journal) fn planned_only_runs(&self) -> Result<u64, JournalError> {
        let rows = self.select(
            "SELECT COUNT(*)::bigint FROM runs WHERE mode != $1".into(),
            vec![Box::new(RunMode::Sync.as_str().to_owned())],
            |r| r.int(0),
        )?;
        Ok(rows
            .into_iter()
            .next()
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0))
    }

    pub(in crate::journal) fn run(&self, id: RunId) -> Result<Option<RunRecord>, JournalError> {
        let sql = format!("SELECT {PG_RUN_COLUMNS} FROM runs WHERE id = $1");
        Ok(self
            .select(sql, vec![Box::new(id.0)], run_from_row)?
            .into_iter()
            .next())
    }

    pub(in crate::journal) fn actions_for_run(
        &self,
        run: RunId,
    ) -> Result<Vec<ActionRecord>, JournalError> {
        let sql = format!("SELECT {ACTION_COLUMNS} FROM actions WHERE run_id = $1 ORDER BY id");
        self.select(sql, vec![Box::new(run.0)], action_from_row)
    }

    pub(in crate::journal) fn actions_for_employee(
        &self,
        id: &EmployeeId,
        limit: usize,
    ) -> Result<Vec<ActionRecord>, JournalError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE employee_id = $1 ORDER BY id DESC LIMIT $2"
        );
        let params: Vec<Box<dyn postgres::types::ToSql + Sync + Send>> =
            vec![Box::new(id.as_str().to_owned()), Box::new(sql_limit(limit))];
        self.select(sql, params, action_from_row)
    }

    pub(in crate::journal) fn findings_for_run(
        &self,
        run: RunId,
    ) -> Result<Vec<FindingRecord>, JournalError> {
        self.select(
            "SELECT run_id, kind, employee_id, okta_id, reason, detail
               FROM findings WHERE run_id = $1 ORDER BY id"
                .into(),
            vec![Box::new(run.0)],
            finding_from_row,
        )
    }

    pub(in crate::journal) fn known_links(&self) -> Result<HashSet<LinkFact>, JournalError> {
        let rows = self.select(
            "SELECT employee_id, okta_id, address FROM links".into(),
            Vec::new(),
            |r| {
                Ok(LinkFact {
                    employee_id: r.text(0)?,
                    okta_id: r.text(1)?,
                    address: r.text(2)?,
                })
            },
        )?;
        Ok(rows.into_iter().collect())
    }

    pub(in crate::journal) fn record_links(
        &self,
        facts: Vec<LinkFact>,
        at: DateTime<Utc>,
    ) -> Result<usize, JournalError> {
        let when = format_instant(at);
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            let insert = tx
                .prepare(
                    "INSERT INTO links (employee_id, okta_id, address, first_seen)
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .map_err(db_error(t))?;
            let mut added = 0;
            for f in &facts {
                added += tx
                    .execute(&insert, &[&f.employee_id, &f.okta_id, &f.address, &when])
                    .map_err(db_error(t))?;
            }
            tx.commit().map_err(db_error(t))?;
            Ok(usize::try_from(added).unwrap_or(usize::MAX))
        })
    }

    pub(in crate::journal) fn links(
        &self,
        employee: Option<&str>,
    ) -> Result<Vec<LinkRecord>, JournalError> {
        let rows = self.select(
            "SELECT employee_id, okta_id, address, first_seen FROM links
              WHERE $1::text IS NULL OR employee_id = $1
              ORDER BY employee_id, okta_id, address"
                .into(),
            vec![Box::new(employee.map(str::to_owned))],
            |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?)),
        )?;
        let mut grouped: BTreeMap<(String, String), LinkRecord> = BTreeMap::new();
        for (employee_id, okta_id, address, first_seen) in rows {
            let entry = grouped
                .entry((employee_id.clone(), okta_id.clone()))
                .or_insert_with(|| LinkRecord {
                    employee_id,
                    okta_id,
                    addresses: Vec::new(),
                    first_seen: first_seen.clone(),
                });
            entry.addresses.push(address);
            if first_seen < entry.first_seen {
                entry.first_seen = first_seen;
            }
        }
        Ok(grouped.into_values().collect())
    }

    pub(in crate::journal) fn forget_link(&self, okta_id: &str) -> Result<(), JournalError> {
        self.exec(
            "DELETE FROM links WHERE okta_id = $1",
            vec![Box::new(okta_id.to_owned())],
        )?;
        Ok(())
    }
}
