//! Writing the PostgreSQL journal: the same calls, statements and rules as the SQLite
//! journal's `write` (each call one short transaction; an outcome replaces `pending` or
//! `unknown` only; a run finishes once), with owned inputs, since each runs on the journal
//! thread.

use super::{PgJournal, db_error};
use crate::apply::Outcome;
use crate::journal::records::format_instant;
use crate::journal::write::{INTERRUPTED_NOTE, changes_json, clamp};
use crate::journal::{ActionId, JournalError, RunEnd, RunId, RunStart};
use crate::plan::{Finding, PlannedAction};
use chrono::{DateTime, Utc};

/// Whether run `run` exists, or [`JournalError::UnknownRun`].
pub(super) fn ensure_run_exists(
    c: &mut impl postgres::GenericClient,
    t: &crate::db::DbTarget,
    run: RunId,
) -> Result<(), JournalError> {
    c.query_opt("SELECT 1 FROM runs WHERE id = $1", &[&run.0])
        .map_err(db_error(t))?
        .map(|_| ())
        .ok_or(JournalError::UnknownRun(run))
}

impl PgJournal {
    pub(in crate::journal) fn begin_run(&self, start: &RunStart) -> Result<RunId, JournalError> {
        let started = format_instant(start.started_at);
        let mode = start.mode.as_str();
        let trigger = start.trigger.clone();
        let employees = clamp(start.snapshot_employees as u64);
        let rejected = clamp(start.snapshot_rejected as u64);
        let epoch = start.epoch;
        self.call(move |c, t| {
            let row = c
                .query_one(
                    "INSERT INTO runs (started_at, mode, trigger, snapshot_employees, snapshot_rejected, epoch)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &[&started, &mode, &trigger, &employees, &rejected, &epoch],
                )
                .map_err(db_error(t))?;
            Ok(RunId(row.try_get(0).map_err(db_error(t))?))
        })
    }

    pub(in crate::journal) fn record_snapshot_size(
        &self,
        run: RunId,
        employees: usize,
        rejected: usize,
    ) -> Result<(), JournalError> {
        let (employees, rejected) = (clamp(employees as u64), clamp(rejected as u64));
        self.call(move |c, t| {
            c.execute(
                "UPDATE runs SET snapshot_employees = $2, snapshot_rejected = $3 WHERE id = $1",
                &[&run.0, &employees, &rejected],
            )
            .map_err(db_error(t))?;
            Ok(())
        })
    }

    pub(in crate::journal) fn record_intent(
        &self,
        run: RunId,
        action: &PlannedAction,
    ) -> Result<ActionId, JournalError> {
        let changes = changes_json(&action.action)?;
        let employee = action.employee_id.as_ref().map(|e| e.as_str().to_owned());
        let okta = action.okta_id.as_ref().map(|o| o.as_str().to_owned());
        let login = action.login.clone();
        let kind = action.action.kind().as_str();
        let reason = action.reason.code();
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            ensure_run_exists(&mut tx, t, run)?;
            let row = tx
                .query_one(
                    "INSERT INTO actions
                         (run_id, intended_at, employee_id, okta_id, login, kind, reason, changes)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &run.0,
                        &format_instant(Utc::now()),
                        &employee,
                        &okta,
                        &login,
                        &kind,
                        &reason,
                        &changes,
                    ],
                )
                .map_err(db_error(t))?;
            let id = ActionId(row.try_get(0).map_err(db_error(t))?);
            tx.commit().map_err(db_error(t))?;
            Ok(id)
        })
    }

    pub(in crate::journal) fn record_outcome(
        &self,
        action: ActionId,
        outcome: &Outcome,
    ) -> Result<(), JournalError> {
        let (name, okta_id, code, request_id, message) = match outcome {
            Outcome::Applied {
                okta_id,
                request_id,
            } => (
                "applied",
                okta_id.as_ref().map(|o| o.as_str().to_owned()),
                None,
                request_id.clone(),
                None,
            ),
            Outcome::Failed {
                code,
                request_id,
                message,
                ..
            } => (
                "failed",
                None,
                code.clone(),
                request_id.clone(),
                Some(message.clone()),
            ),
            Outcome::Skipped { reason } => ("skipped", None, None, None, Some(reason.clone())),
        };
        self.call(move |c, t| {
            let changed = c
                .execute(
                    "UPDATE actions
                        SET outcome = $2, finished_at = $3, okta_id = COALESCE($4, okta_id),
                            error_code = $5, request_id = $6, message = $7
                      WHERE id = $1 AND outcome IN ('pending', 'unknown')",
                    &[
                        &action.0,
                        &name,
                        &format_instant(Utc::now()),
                        &okta_id,
                        &code,
                        &request_id,
                        &message,
                    ],
                )
                .map_err(db_error(t))?;
            if changed == 1 {
                return Ok(());
            }
            let exists = c
                .query_opt("SELECT 1 FROM actions WHERE id = $1", &[&action.0])
                .map_err(db_error(t))?
                .is_some();
            Err(if exists {
                JournalError::OutcomeAlreadyRecorded(action)
            } else {
                JournalError::UnknownAction(action)
            })
        })
    }

    pub(in crate::journal) fn record_findings(
        &self,
        run: RunId,
        findings: &[Finding],
    ) -> Result<(), JournalError> {
        let mut rows = Vec::with_capacity(findings.len());
        for f in findings {
            let kind = serde_json::to_value(f.kind)?;
            rows.push((
                kind.as_str().unwrap_or_default().to_owned(),
                f.employee_id.as_ref().map(|e| e.as_str().to_owned()),
                f.okta_id.as_ref().map(|o| o.as_str().to_owned()),
                f.reason.code(),
                f.detail.clone(),
            ));
        }
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            ensure_run_exists(&mut tx, t, run)?;
            let insert = tx
                .prepare(
                    "INSERT INTO findings (run_id, kind, employee_id, okta_id, reason, detail)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .map_err(db_error(t))?;
            for (kind, employee, okta, reason, detail) in &rows {
                tx.execute(&insert, &[&run.0, kind, employee, okta, reason, detail])
                    .map_err(db_error(t))?;
            }
            tx.commit().map_err(db_error(t))?;
            Ok(())
        })
    }

    pub(in crate::journal) fn finish_run(
        &self,
        run: RunId,
        end: &RunEnd,
    ) -> Result<(), JournalError> {
        let c0 = &end.counts;
        let counts: [i64; 10] = [
            clamp(c0.created),
            clamp(c0.updated),
            clamp(c0.activated),
            clamp(c0.deactivated),
            clamp(c0.suspended),
            clamp(c0.unsuspended),
            clamp(c0.failed),
            clamp(c0.skipped),
            clamp(c0.held_back),
            clamp(end.okta_requests),
        ];
        let ended = format_instant(end.ended_at);
        let status = end.status.as_str();
        let error = end.error.clone();
        self.call(move |c, t| {
            let [cr, up, ac, de, su, un, fa, sk, hb, rq] = &counts;
            let changed = c
                .execute(
                    "UPDATE runs
                        SET ended_at = $2, status = $3, created = $4, updated = $5, activated = $6,
                            deactivated = $7, suspended = $8, unsuspended = $9, failed = $10,
                            skipped = $11, held_back = $12, okta_requests = $13, error = $14
                      WHERE id = $1 AND status IN ('running', 'interrupted')",
                    &[
                        &run.0, &ended, &status, cr, up, ac, de, su, un, fa, sk, hb, rq, &error,
                    ],
                )
                .map_err(db_error(t))?;
            if changed == 1 {
                return Ok(());
            }
            ensure_run_exists(c, t, run)?;
            Err(JournalError::RunAlreadyFinished(run))
        })
    }

    pub(in crate::journal) fn mark_interrupted_runs(&self) -> Result<usize, JournalError> {
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            tx.execute(
                "UPDATE actions SET outcome = 'unknown', message = $1
                  WHERE outcome = 'pending'
                    AND run_id IN (SELECT id FROM runs WHERE status = 'running')",
                &[&INTERRUPTED_NOTE],
            )
            .map_err(db_error(t))?;
            let runs = tx
                .execute(
                    "UPDATE runs SET status = 'interrupted',
                            error = COALESCE(error, 'the process stopped before the run finished')
                      WHERE status = 'running'",
                    &[],
                )
                .map_err(db_error(t))?;
            tx.commit().map_err(db_error(t))?;
            Ok(usize::try_from(runs).unwrap_or(usize::MAX))
        })
    }

    pub(in crate::journal) fn set_last_good_snapshot(
        &self,
        employees: usize,
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        let (employees, at) = (clamp(employees as u64), format_instant(at));
        self.call(move |c, t| {
            c.execute(
                "INSERT INTO last_good_snapshot (id, employees, recorded_at) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE
                    SET employees = excluded.employees, recorded_at = excluded.recorded_at",
                &[&employees, &at],
            )
            .map_err(db_error(t))?;
            Ok(())
        })
    }
}
