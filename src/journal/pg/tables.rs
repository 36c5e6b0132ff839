//! The PostgreSQL journal's approval and failure-streak tables: the same calls, statements
//! and meaning as the SQLite journal's `approvals` and `streaks`. The links are read and
//! written in `read`.

use super::{PgJournal, db_error};
use crate::journal::approvals::Approval;
use crate::journal::records::{RowRead, format_instant, parse_instant};
use crate::journal::{JournalError, RunId, StreakUpdate};
use crate::plan::quarantine::FailureStreak;
use chrono::{DateTime, Utc};

impl PgJournal {
    /// Runs one statement with owned parameters; the number of rows it changed.
    pub(super) fn exec(
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
