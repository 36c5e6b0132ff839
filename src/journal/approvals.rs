//! Held plans and their approvals. A blocked run records what it held back under a plan id;
//! `hrsync approve PLAN_ID` records an approval (no run lock needed, so it works while the
//! daemon runs); the next run that would hold exactly that plan applies it and marks the
//! approval used. An approval for a plan no run holds any more is marked stale, never used.

use super::records::format_instant;
use super::{Journal, JournalError, RunId};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

/// What `approve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    /// Recorded; the next run applies the plan if it still holds exactly it.
    Recorded {
        /// What the plan holds (`3 held: 2 deactivate, 1 create`).
        summary: String,
    },
    /// Already approved and waiting for a run.
    AlreadyOpen,
    /// Already applied or stale: approve the newer plan instead.
    Closed {
        /// `used` or `stale`.
        state: String,
    },
    /// No run held a plan with this id.
    Unknown,
}

impl Journal {
    /// Records that `run` held back plan `plan_id` (the first run that held it is kept).
    pub fn record_held_plan(
        &self,
        plan_id: &str,
        run: RunId,
        summary: &str,
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.record_held_plan(plan_id, run, summary, at);
        }
        self.conn().execute(
            "INSERT OR IGNORE INTO held_plans (plan_id, first_run, recorded_at, summary)
             VALUES (?1, ?2, ?3, ?4)",
            params![plan_id, run.0, format_instant(at), summary],
        )?;
        Ok(())
    }

    /// Approves a held plan once.
    pub fn approve(&self, plan_id: &str, at: DateTime<Utc>) -> Result<Approval, JournalError> {
        self.unsettle()?;
        if let Some(pg) = self.pg() {
            return pg.approve(plan_id, at);
        }
        let conn = self.conn();
        let summary: Option<String> = conn
            .query_row(
                "SELECT summary FROM held_plans WHERE plan_id = ?1",
                params![plan_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(summary) = summary else {
            return Ok(Approval::Unknown);
        };
        let state: Option<String> = conn
            .query_row(
                "SELECT state FROM approvals WHERE plan_id = ?1",
                params![plan_id],
                |r| r.get(0),
            )
            .optional()?;
        match state.as_deref() {
            Some("open") => Ok(Approval::AlreadyOpen),
            Some(other) => Ok(Approval::Closed {
                state: other.to_owned(),
            }),
            None => {
                conn.execute(
                    "INSERT INTO approvals (plan_id, approved_at) VALUES (?1, ?2)",
                    params![plan_id, format_instant(at)],
                )?;
                Ok(Approval::Recorded { summary })
            }
        }
    }

    /// The ids of approved plans no run has used yet.
    pub fn open_approvals(&self) -> Result<Vec<String>, JournalError> {
        if let Some(pg) = self.pg() {
            return pg.open_approvals();
        }
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT plan_id FROM approvals WHERE state = 'open' ORDER BY plan_id",
        )?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Closes an open approval as `used` by `run` or `stale`.
    pub fn close_approval(
        &self,
        plan_id: &str,
        used: bool,
        run: RunId,
        at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        if let Some(pg) = self.pg() {
            return pg.close_approval(plan_id, used, run, at);
        }
        self.conn().execute(
            "UPDATE approvals SET state = ?2, closed_at = ?3, closed_by = ?4
              WHERE plan_id = ?1 AND state = 'open'",
            params![
                plan_id,
                if used { "used" } else { "stale" },
                format_instant(at),
                run.0
            ],
        )?;
        Ok(())
    }
}
