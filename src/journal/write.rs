//! Writing the journal: runs begin and finish, action intents and outcomes, findings, the
//! last good snapshot size, and the repair of runs a crash left unfinished. Each call is one
//! short transaction.

use super::records::format_instant;
use super::{ActionId, Journal, JournalError, RunEnd, RunId, RunStart};
use crate::apply::Outcome;
use crate::plan::{Action, Finding, PlannedAction};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

/// The note on actions whose run never finished.
pub(super) const INTERRUPTED_NOTE: &str = "interrupted";

impl Journal {
    /// Records the start of a run; its status is `running` until [`Journal::finish_run`].
    pub fn begin_run(&self, start: &RunStart) -> Result<RunId, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.begin_run(start);
        }
        let conn = self.conn();
        conn.execute(
            "INSERT INTO runs (started_at, mode, trigger, snapshot_employees, snapshot_rejected)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                format_instant(start.started_at),
                start.mode.as_str(),
                start.trigger,
                clamp(start.snapshot_employees as u64),
                clamp(start.snapshot_rejected as u64),
            ],
        )?;
        Ok(RunId(conn.last_insert_rowid()))
    }

    /// Records the size of the run's HR snapshot once it has been read (a run begins before
    /// the reads, so a crash while reading still leaves a row).
    pub fn record_snapshot_size(
        &self,
        run: RunId,
        employees: usize,
        rejected: usize,
    ) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.record_snapshot_size(run, employees, rejected);
        }
        self.conn().execute(
            "UPDATE runs SET snapshot_employees = ?2, snapshot_rejected = ?3 WHERE id = ?1",
            params![run.0, clamp(employees as u64), clamp(rejected as u64)],
        )?;
        Ok(())
    }

    /// Records the intent to apply `action`, before the Okta call; its outcome is `pending`.
    ///
    /// Stored: kind, employee id, Okta id, login, reason code, and the changes as JSON — for
    /// an update each changed attribute's old and new value, for a create the `activate` flag
    /// and the attribute names only (not the values: the profile holds personal data the
    /// audit trail does not need; the login identifies the user).
    pub fn record_intent(
        &self,
        run: RunId,
        action: &PlannedAction,
    ) -> Result<ActionId, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.record_intent(run, action);
        }
        let changes = changes_json(&action.action)?;
        let conn = self.conn();
        ensure_run_exists(&conn, run)?;
        // Cached statements: an initial load writes two rows per user, and preparing each
        // statement anew was about a tenth of its CPU time.
        conn.prepare_cached(
            "INSERT INTO actions
                 (run_id, intended_at, employee_id, okta_id, login, kind, reason, changes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            run.0,
            format_instant(Utc::now()),
            action.employee_id.as_ref().map(|e| e.as_str()),
            action.okta_id.as_ref().map(|o| o.as_str()),
            action.login,
            action.action.kind().as_str(),
            action.reason.code(),
            changes,
        ])?;
        Ok(ActionId(conn.last_insert_rowid()))
    }

    /// Records the outcome of an action after the Okta call. An outcome replaces `pending`
    /// or `unknown` (the truth beats a guess); a second final outcome is refused.
    pub fn record_outcome(&self, action: ActionId, outcome: &Outcome) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.record_outcome(action, outcome);
        }
        let (name, okta_id, code, request_id, message) = match outcome {
            Outcome::Applied {
                okta_id,
                request_id,
            } => (
                "applied",
                okta_id.as_ref(),
                None,
                request_id.as_deref(),
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
                code.as_deref(),
                request_id.as_deref(),
                Some(message.as_str()),
            ),
            Outcome::Skipped { reason } => ("skipped", None, None, None, Some(reason.as_str())),
        };
        let conn = self.conn();
        let changed = conn
            .prepare_cached(
                "UPDATE actions
                SET outcome = ?2, finished_at = ?3, okta_id = COALESCE(?4, okta_id),
                    error_code = ?5, request_id = ?6, message = ?7
              WHERE id = ?1 AND outcome IN ('pending', 'unknown')",
            )?
            .execute(params![
                action.0,
                name,
                format_instant(Utc::now()),
                okta_id.map(|o| o.as_str()),
                code,
                request_id,
                message,
            ])?;
        if changed == 1 {
            return Ok(());
        }
        let exists = conn
            .query_row(
                "SELECT 1 FROM actions WHERE id = ?1",
                [action.0],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        Err(if exists {
            JournalError::OutcomeAlreadyRecorded(action)
        } else {
            JournalError::UnknownAction(action)
        })
    }

    /// Records the plan's findings (conflicts, skips, orphans, held-back actions) for a run.
    pub fn record_findings(&self, run: RunId, findings: &[Finding]) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.record_findings(run, findings);
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        ensure_run_exists(&tx, run)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO findings (run_id, kind, employee_id, okta_id, reason, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for finding in findings {
                let kind = serde_json::to_value(finding.kind)?;
                insert.execute(params![
                    run.0,
                    kind.as_str().unwrap_or_default(),
                    finding.employee_id.as_ref().map(|e| e.as_str()),
                    finding.okta_id.as_ref().map(|o| o.as_str()),
                    finding.reason.code(),
                    finding.detail,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records the end of a run. A run is finished once; a run that another process marked
    /// `interrupted` by mistake may still be finished by its own process.
    pub fn finish_run(&self, run: RunId, end: &RunEnd) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.finish_run(run, end);
        }
        let c = &end.counts;
        let conn = self.conn();
        let changed = conn.execute(
            "UPDATE runs
                SET ended_at = ?2, status = ?3, created = ?4, updated = ?5, activated = ?6,
                    deactivated = ?7, suspended = ?8, unsuspended = ?9, failed = ?10,
                    skipped = ?11, held_back = ?12, okta_requests = ?13, error = ?14
              WHERE id = ?1 AND status IN ('running', 'interrupted')",
            params![
                run.0,
                format_instant(end.ended_at),
                end.status.as_str(),
                clamp(c.created),
                clamp(c.updated),
                clamp(c.activated),
                clamp(c.deactivated),
                clamp(c.suspended),
                clamp(c.unsuspended),
                clamp(c.failed),
                clamp(c.skipped),
                clamp(c.held_back),
                clamp(end.okta_requests),
                end.error,
            ],
        )?;
        if changed == 1 {
            return Ok(());
        }
        ensure_run_exists(&conn, run)?;
        Err(JournalError::RunAlreadyFinished(run))
    }

    /// Marks every run still `running` as `interrupted`, and their `pending` actions as
    /// `unknown (interrupted)`. Returns how many runs were marked.
    ///
    /// Call it once at start-up, before the first run, in the only process that runs syncs
    /// (the daemon, or a one-shot `hrsync sync` when no daemon runs): a run that is live in
    /// another process would be marked too.
    pub fn mark_interrupted_runs(&self) -> Result<usize, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.mark_interrupted_runs();
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE actions SET outcome = 'unknown', message = ?1
              WHERE outcome = 'pending'
                AND run_id IN (SELECT id FROM runs WHERE status = 'running')",
            [INTERRUPTED_NOTE],
        )?;
        let runs = tx.execute(
            "UPDATE runs SET status = 'interrupted',
                    error = COALESCE(error, 'the process stopped before the run finished')
              WHERE status = 'running'",
            [],
        )?;
        tx.commit()?;
        Ok(runs)
    }

    /// Stores the size of the last snapshot that passed the snapshot guard (in a run that
    /// was not failed or blocked by that guard); the next guard compares against it.
    pub fn set_last_good_snapshot(
        &self,
        employees: usize,
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.set_last_good_snapshot(employees, at);
        }
        self.conn().execute(
            "INSERT INTO last_good_snapshot (id, employees, recorded_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE
                SET employees = excluded.employees, recorded_at = excluded.recorded_at",
            params![clamp(employees as u64), format_instant(at)],
        )?;
        Ok(())
    }
}

/// The changes column for an action: see [`Journal::record_intent`].
pub(super) fn changes_json(action: &Action) -> Result<Option<String>, JournalError> {
    let value = match action {
        Action::Create { profile, activate } => serde_json::json!({
            "activate": activate,
            "attributes": profile.keys().collect::<Vec<_>>(),
        }),
        Action::Update { changes } => serde_json::to_value(changes)?,
        Action::Activate | Action::Deactivate | Action::Suspend | Action::Unsuspend => {
            return Ok(None);
        }
    };
    Ok(Some(serde_json::to_string(&value)?))
}

fn ensure_run_exists(conn: &rusqlite::Connection, run: RunId) -> Result<(), JournalError> {
    conn.prepare_cached("SELECT 1 FROM runs WHERE id = ?1")?
        .query_row([run.0], |_| Ok(()))
        .optional()?
        .ok_or(JournalError::UnknownRun(run))
}

/// SQLite integers are signed 64-bit; counts never get near the limit, but never wrap.
pub(super) fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
