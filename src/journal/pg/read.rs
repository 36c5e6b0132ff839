//! Reading the PostgreSQL journal, and its small tables (links, approvals, failure streaks):
//! the same calls, statements and meaning as the SQLite journal's `read`, `links`,
//! `approvals` and `streaks`; rows are turned into records by the shared
//! [`crate::journal::records`] readers.

use super::{PgJournal, db_error};
use crate::journal::RunMode;
use crate::journal::approvals::Approval;
use crate::journal::records::{
    ACTION_COLUMNS, PG_RUN_COLUMNS, RowRead, action_from_row, finding_from_row, format_instant,
    parse_instant, run_from_row,
};
use crate::journal::{
    ActionRecord, FindingRecord, JournalError, LinkFact, LinkRecord, RunId, RunRecord, StreakUpdate,
};
use crate::model::EmployeeId;
use crate::plan::quarantine::FailureStreak;
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

    /// Runs one statement with owned parameters; the number of rows it changed.
    fn exec(
        &self,
        sql: &'static str,
        params: Vec<Box<dyn postgres::types::ToSql + Sync + Send>>,
    ) -> Result<u64, JournalError> {
        self.call(move |c, t| {
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                .iter()
                .map(|p| p.as_ref() as &(dyn postgres::types::ToSql + Sync))
                .collect();
            c.execute(sql, &refs).map_err(db_error(t))
        })
    }

    pub(in crate::journal) fn forget_link(&self, okta_id: &str) -> Result<(), JournalError> {
        self.exec(
            "DELETE FROM links WHERE okta_id = $1",
            vec![Box::new(okta_id.to_owned())],
        )?;
        Ok(())
    }

    pub(in crate::journal) fn record_held_plan(
        &self,
        plan_id: &str,
        run: RunId,
        summary: &str,
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        self.exec(
            "INSERT INTO held_plans (plan_id, first_run, recorded_at, summary)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            vec![
                Box::new(plan_id.to_owned()),
                Box::new(run.0),
                Box::new(format_instant(at)),
                Box::new(summary.to_owned()),
            ],
        )?;
        Ok(())
    }

    pub(in crate::journal) fn approve(
        &self,
        plan_id: &str,
        at: DateTime<Utc>,
    ) -> Result<Approval, JournalError> {
        let (plan_id, at) = (plan_id.to_owned(), format_instant(at));
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            let summary: Option<String> = tx
                .query_opt(
                    "SELECT summary FROM held_plans WHERE plan_id = $1",
                    &[&plan_id],
                )
                .map_err(db_error(t))?
                .map(|r| r.text(0))
                .transpose()?;
            let Some(summary) = summary else {
                return Ok(Approval::Unknown);
            };
            let state: Option<String> = tx
                .query_opt(
                    "SELECT state FROM approvals WHERE plan_id = $1 FOR UPDATE",
                    &[&plan_id],
                )
                .map_err(db_error(t))?
                .map(|r| r.text(0))
                .transpose()?;
            let answer = match state.as_deref() {
                Some("open") => Approval::AlreadyOpen,
                Some(other) => Approval::Closed {
                    state: other.to_owned(),
                },
                None => {
                    tx.execute(
                        "INSERT INTO approvals (plan_id, approved_at) VALUES ($1, $2)",
                        &[&plan_id, &at],
                    )
                    .map_err(db_error(t))?;
                    Approval::Recorded { summary }
                }
            };
            tx.commit().map_err(db_error(t))?;
            Ok(answer)
        })
    }

    pub(in crate::journal) fn open_approvals(&self) -> Result<Vec<String>, JournalError> {
        self.select(
            "SELECT plan_id FROM approvals WHERE state = 'open' ORDER BY plan_id".into(),
            Vec::new(),
            |r| r.text(0),
        )
    }

    pub(in crate::journal) fn close_approval(
        &self,
        plan_id: &str,
        used: bool,
        run: RunId,
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        self.exec(
            "UPDATE approvals SET state = $2, closed_at = $3, closed_by = $4
              WHERE plan_id = $1 AND state = 'open'",
            vec![
                Box::new(plan_id.to_owned()),
                Box::new(if used { "used" } else { "stale" }),
                Box::new(format_instant(at)),
                Box::new(run.0),
            ],
        )?;
        Ok(())
    }

    pub(in crate::journal) fn failure_streaks(&self) -> Result<Vec<FailureStreak>, JournalError> {
        self.select(
            "SELECT subject, kind, fingerprint, error_code, message, failures,
                    first_failed_at, last_failed_at
               FROM failure_streaks ORDER BY subject, kind"
                .into(),
            Vec::new(),
            |r| {
                Ok(FailureStreak {
                    subject: r.text(0)?,
                    kind: r.text(1)?,
                    fingerprint: r.text(2)?,
                    error_code: r.opt_text(3)?,
                    message: r.text(4)?,
                    failures: u32::try_from(r.int(5)?).unwrap_or(u32::MAX),
                    first_failed_at: parse_instant("failure_streaks.first_failed_at", &r.text(6)?)?,
                    last_failed_at: parse_instant("failure_streaks.last_failed_at", &r.text(7)?)?,
                })
            },
        )
    }

    pub(in crate::journal) fn update_failure_streaks(
        &self,
        updates: &[StreakUpdate],
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        let updates = updates.to_vec();
        let when = format_instant(at);
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            for update in &updates {
                match update {
                    StreakUpdate::Succeeded { subject, kind } => {
                        tx.execute(
                            "DELETE FROM failure_streaks WHERE subject = $1 AND kind = $2",
                            &[subject, kind],
                        )
                        .map_err(db_error(t))?;
                    }
                    StreakUpdate::FailedPermanently {
                        subject,
                        kind,
                        fingerprint,
                        error_code,
                        message,
                    } => {
                        // As in SQLite: same inputs and error, one more run in a row; else one.
                        tx.execute(
                            "INSERT INTO failure_streaks AS s (subject, kind, fingerprint, error_code,
                                     message, failures, first_failed_at, last_failed_at)
                             VALUES ($1, $2, $3, $4, $5, 1, $6, $6)
                             ON CONFLICT (subject, kind) DO UPDATE SET
                                failures = CASE WHEN s.fingerprint = excluded.fingerprint
                                                 AND s.error_code IS NOT DISTINCT FROM excluded.error_code
                                                THEN s.failures + 1 ELSE 1 END,
                                first_failed_at = CASE WHEN s.fingerprint = excluded.fingerprint
                                                 AND s.error_code IS NOT DISTINCT FROM excluded.error_code
                                                THEN s.first_failed_at ELSE excluded.first_failed_at END,
                                fingerprint = excluded.fingerprint,
                                error_code = excluded.error_code,
                                message = excluded.message,
                                last_failed_at = excluded.last_failed_at",
                            &[subject, kind, fingerprint, error_code, message, &when],
                        )
                        .map_err(db_error(t))?;
                    }
                }
            }
            tx.commit().map_err(db_error(t))?;
            Ok(())
        })
    }

    pub(in crate::journal) fn clear_failure_streaks(
        &self,
        subject: &str,
    ) -> Result<usize, JournalError> {
        let n = self.exec(
            "DELETE FROM failure_streaks WHERE subject = $1",
            vec![Box::new(subject.to_owned())],
        )?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}
