//! What the journal gives back: runs, actions and findings as stored, serde-serializable for
//! `hrsync history` and `hrsync explain` (text or JSON). Also the row ↔ record conversions.
//! This module holds no SQL statements of its own beyond the column lists.

use super::{ActionId, JournalError, RunCounts, RunId, RunMode, RunStatus};
use crate::model::{EmployeeId, OktaUserId};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};
use std::fmt;

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunState {
    /// Begun and not finished (or still running in another process).
    Running,
    /// Never finished: the process stopped (crash, kill, power loss) before `finish_run`.
    Interrupted,
    /// Finished with this status.
    Finished(RunStatus),
}

impl RunState {
    /// The stored name: `running`, `interrupted` or the status name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Interrupted => "interrupted",
            Self::Finished(status) => status.as_str(),
        }
    }

    pub(super) fn parse(s: &str) -> Result<Self, JournalError> {
        match s {
            "running" => Ok(Self::Running),
            "interrupted" => Ok(Self::Interrupted),
            other => RunStatus::parse(other)
                .map(Self::Finished)
                .ok_or_else(|| corrupt("runs.status", other)),
        }
    }
}

impl fmt::Display for RunState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RunState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One run as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRecord {
    /// The run's id.
    pub id: RunId,
    /// When it began.
    pub started_at: DateTime<Utc>,
    /// When it finished (none while running or if interrupted).
    pub ended_at: Option<DateTime<Utc>>,
    /// How it was started.
    pub mode: RunMode,
    /// What started it.
    pub trigger: String,
    /// Where it stands.
    pub status: RunState,
    /// Valid employees in its HR snapshot.
    pub snapshot_employees: u64,
    /// Refused HR records in its snapshot.
    pub snapshot_rejected: u64,
    /// What it did (zeros until finished).
    pub counts: RunCounts,
    /// HTTP requests made to Okta.
    pub okta_requests: u64,
    /// The run-level error, if any.
    pub error: Option<String>,
    /// The leader-lease epoch it ran under (PostgreSQL journal; `None` for a single
    /// instance).
    pub epoch: Option<i64>,
    /// The kind of pass it made over Okta's users (none before it read them, and in
    /// journals older than the cache).
    pub pass: Option<crate::plan::Pass>,
    /// How many users it listed from Okta.
    pub users_read: Option<u64>,
}

/// Where an action stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ActionState {
    /// The intent is recorded; the outcome is not (yet).
    Pending,
    /// Okta accepted it.
    Applied {
        /// Okta's request id of the answer, when known.
        request_id: Option<String>,
    },
    /// It failed.
    Failed {
        /// Okta's `errorCode`, if any.
        code: Option<String>,
        /// Okta's request id, if any.
        request_id: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// It was not attempted.
    Skipped {
        /// Why.
        reason: String,
    },
    /// Nobody knows: the run was interrupted between the intent and the outcome. The next
    /// run plans from live Okta data, so it converges either way.
    Unknown {
        /// Why it is unknown (`interrupted`).
        note: String,
    },
}

impl ActionState {
    /// A short label: `pending`, `applied`, `failed`, `skipped`, `unknown (interrupted)`.
    pub fn label(&self) -> String {
        match self {
            Self::Pending => "pending".to_owned(),
            Self::Applied { .. } => "applied".to_owned(),
            Self::Failed { .. } => "failed".to_owned(),
            Self::Skipped { .. } => "skipped".to_owned(),
            Self::Unknown { note } => format!("unknown ({note})"),
        }
    }
}

impl fmt::Display for ActionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// One action as recorded: the intent, then its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRecord {
    /// The action's id.
    pub id: ActionId,
    /// The run it belongs to.
    pub run_id: RunId,
    /// When the intent was written (before the Okta call).
    pub intended_at: DateTime<Utc>,
    /// When the outcome was written.
    pub finished_at: Option<DateTime<Utc>>,
    /// The employee concerned (none for an orphan).
    pub employee_id: Option<EmployeeId>,
    /// The Okta user (filled in after a successful create).
    pub okta_id: Option<OktaUserId>,
    /// The login concerned, for display.
    pub login: Option<String>,
    /// `create`, `update`, `activate`, `deactivate`, `suspend`, `unsuspend`.
    pub kind: String,
    /// The planner's reason code (`new_hire`, `profile_changed`, …).
    pub reason: String,
    /// Update: attribute → `{old, new}`; create: `{activate, attributes: [names]}`; else null.
    pub changes: serde_json::Value,
    /// Where it stands.
    pub outcome: ActionState,
}

/// One finding (something deliberately not done) as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRecord {
    /// The run it belongs to.
    pub run_id: RunId,
    /// `conflict`, `skip`, `orphan` or `held_back`.
    pub kind: String,
    /// The employee concerned, if any.
    pub employee_id: Option<EmployeeId>,
    /// The Okta user concerned, if any.
    pub okta_id: Option<OktaUserId>,
    /// The reason code.
    pub reason: String,
    /// The planner's sentence.
    pub detail: String,
}

/// The SELECT list matching [`run_from_row`].
macro_rules! run_columns {
    ($epoch:literal) => {
        concat!(
            "id, started_at, ended_at, mode, trigger, status, snapshot_employees, ",
            "snapshot_rejected, created, updated, activated, deactivated, suspended, ",
            "unsuspended, failed, skipped, held_back, okta_requests, error, pass, users_read, ",
            $epoch
        )
    };
}
pub(super) const RUN_COLUMNS: &str = run_columns!("NULL");

/// [`RUN_COLUMNS`] for the PostgreSQL journal, whose runs record their lease epoch.
pub(super) const PG_RUN_COLUMNS: &str = run_columns!("epoch");

/// The SELECT list matching [`action_from_row`].
pub(super) const ACTION_COLUMNS: &str = "id, run_id, intended_at, finished_at, employee_id, \
    okta_id, login, kind, reason, changes, outcome, error_code, request_id, message";

/// Reading a column of a row, whichever database it came from (SQLite or PostgreSQL).
pub(super) trait RowRead {
    /// An integer column.
    fn int(&self, i: usize) -> Result<i64, JournalError>;
    /// A text column that is never NULL.
    fn text(&self, i: usize) -> Result<String, JournalError>;
    /// A text column that may be NULL.
    fn opt_text(&self, i: usize) -> Result<Option<String>, JournalError>;
    /// An integer column that may be NULL.
    fn opt_int(&self, i: usize) -> Result<Option<i64>, JournalError>;
}

impl RowRead for rusqlite::Row<'_> {
    fn int(&self, i: usize) -> Result<i64, JournalError> {
        Ok(self.get(i)?)
    }

    fn text(&self, i: usize) -> Result<String, JournalError> {
        Ok(self.get(i)?)
    }

    fn opt_text(&self, i: usize) -> Result<Option<String>, JournalError> {
        Ok(self.get(i)?)
    }

    fn opt_int(&self, i: usize) -> Result<Option<i64>, JournalError> {
        Ok(self.get(i)?)
    }
}

/// Reads a run row selected with [`RUN_COLUMNS`].
pub(super) fn run_from_row<R: RowRead + ?Sized>(row: &R) -> Result<RunRecord, JournalError> {
    let count = |i: usize| -> Result<u64, JournalError> { Ok(row.int(i)?.max(0) as u64) };
    let mode = row.text(3)?;
    Ok(RunRecord {
        id: RunId(row.int(0)?),
        started_at: parse_instant("runs.started_at", &row.text(1)?)?,
        ended_at: row
            .opt_text(2)?
            .map(|s| parse_instant("runs.ended_at", &s))
            .transpose()?,
        mode: RunMode::parse(&mode).ok_or_else(|| corrupt("runs.mode", &mode))?,
        trigger: row.text(4)?,
        status: RunState::parse(&row.text(5)?)?,
        snapshot_employees: count(6)?,
        snapshot_rejected: count(7)?,
        counts: RunCounts {
            created: count(8)?,
            updated: count(9)?,
            activated: count(10)?,
            deactivated: count(11)?,
            suspended: count(12)?,
            unsuspended: count(13)?,
            failed: count(14)?,
            skipped: count(15)?,
            held_back: count(16)?,
        },
        okta_requests: count(17)?,
        error: row.opt_text(18)?,
        pass: row
            .opt_text(19)?
            .map(|p| crate::plan::Pass::parse(&p).ok_or_else(|| corrupt("runs.pass", &p)))
            .transpose()?,
        users_read: row.opt_int(20)?.map(|n| n.max(0) as u64),
        epoch: row.opt_int(21)?,
    })
}

/// Reads an action row selected with [`ACTION_COLUMNS`].
pub(super) fn action_from_row<R: RowRead + ?Sized>(row: &R) -> Result<ActionRecord, JournalError> {
    let changes = match row.opt_text(9)? {
        Some(text) => serde_json::from_str(&text).map_err(|_| corrupt("actions.changes", &text))?,
        None => serde_json::Value::Null,
    };
    let message = row.opt_text(13)?;
    let outcome_name = row.text(10)?;
    let outcome = match outcome_name.as_str() {
        "pending" => ActionState::Pending,
        "applied" => ActionState::Applied {
            request_id: row.opt_text(12)?,
        },
        "failed" => ActionState::Failed {
            code: row.opt_text(11)?,
            request_id: row.opt_text(12)?,
            message: message.unwrap_or_default(),
        },
        "skipped" => ActionState::Skipped {
            reason: message.unwrap_or_default(),
        },
        "unknown" => ActionState::Unknown {
            note: message.unwrap_or_default(),
        },
        other => return Err(corrupt("actions.outcome", other)),
    };
    Ok(ActionRecord {
        id: ActionId(row.int(0)?),
        run_id: RunId(row.int(1)?),
        intended_at: parse_instant("actions.intended_at", &row.text(2)?)?,
        finished_at: row
            .opt_text(3)?
            .map(|s| parse_instant("actions.finished_at", &s))
            .transpose()?,
        employee_id: parse_employee_id("actions.employee_id", row.opt_text(4)?)?,
        okta_id: row.opt_text(5)?.map(OktaUserId),
        login: row.opt_text(6)?,
        kind: row.text(7)?,
        reason: row.text(8)?,
        changes,
        outcome,
    })
}

/// Reads a finding row (`run_id, kind, employee_id, okta_id, reason, detail`).
pub(super) fn finding_from_row<R: RowRead + ?Sized>(
    row: &R,
) -> Result<FindingRecord, JournalError> {
    Ok(FindingRecord {
        run_id: RunId(row.int(0)?),
        kind: row.text(1)?,
        employee_id: parse_employee_id("findings.employee_id", row.opt_text(2)?)?,
        okta_id: row.opt_text(3)?.map(OktaUserId),
        reason: row.text(4)?,
        detail: row.text(5)?,
    })
}

/// Formats an instant the way the journal stores it (RFC 3339, UTC, milliseconds).
pub(super) fn format_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn parse_instant(
    column: &'static str,
    text: &str,
) -> Result<DateTime<Utc>, JournalError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| corrupt(column, text))
}

fn parse_employee_id(
    column: &'static str,
    text: Option<String>,
) -> Result<Option<EmployeeId>, JournalError> {
    text.map(|t| EmployeeId::parse(&t).map_err(|_| corrupt(column, &t)))
        .transpose()
}

fn corrupt(column: &'static str, value: &str) -> JournalError {
    JournalError::Corrupt {
        column,
        value: value.to_owned(),
    }
}
