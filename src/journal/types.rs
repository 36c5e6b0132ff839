//! What callers hand to the journal: run start and end, action outcomes, and the ids the
//! journal hands back. Plain data; no I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A run's id in the journal (increasing; newer runs have larger ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub i64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An action's id in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionId(pub i64);

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How a run was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// `hrsync sync`, the daemon's runs, `demo`: plan and apply.
    Sync,
    /// `hrsync plan` or `sync --dry-run`: plan, apply nothing. (Who started a run is its
    /// trigger: `cli`, `plan`, `cron`, `webhook`, …)
    DryRun,
}

impl RunMode {
    /// The stable stored name (`sync`, `dry_run`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sync => "sync",
            Self::DryRun => "dry_run",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Sync, Self::DryRun]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// What is known when a run begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunStart {
    /// When the run began.
    pub started_at: DateTime<Utc>,
    /// How it was started.
    pub mode: RunMode,
    /// What started it: `cli`, `cron`, `wakeup`, `webhook`, `signal`, … (free text, no secrets).
    pub trigger: String,
    /// Valid employees in the HR snapshot.
    pub snapshot_employees: usize,
    /// Refused HR records in the snapshot.
    pub snapshot_rejected: usize,
    /// The leader-lease epoch the run works under (a PostgreSQL journal shared by an
    /// active/standby pair); `None` for a single instance.
    pub epoch: Option<i64>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every planned action was applied.
    Applied,
    /// The plan was empty.
    NoChanges,
    /// A safety guard stopped the run (or its destructive part).
    Blocked,
    /// Some actions failed.
    Partial,
    /// The run failed as a whole (HR or Okta unreachable, journal error, …); the daemon
    /// retries with back-off.
    Failed,
    /// The run failed in a way retrying cannot fix soon (Okta refused the credentials or a
    /// permission); the daemon retries only at the back-off ceiling.
    Fatal,
    /// Planned only; nothing applied.
    DryRun,
    /// This instance lost the leader lease during the run and stopped writing; the new
    /// leader's run finishes the work. Neither a failure nor a success.
    Deposed,
}

impl RunStatus {
    /// The stable stored name (`applied`, `no_changes`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::NoChanges => "no_changes",
            Self::Blocked => "blocked",
            Self::Partial => "partial",
            Self::Failed => "failed",
            Self::Fatal => "fatal",
            Self::DryRun => "dry_run",
            Self::Deposed => "deposed",
        }
    }

    /// Whether this run starts or continues the daemon's back-off.
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Failed | Self::Fatal)
    }

    /// Whether this run counts as a success for `hrsync_last_success_timestamp_seconds`.
    pub fn is_success(self) -> bool {
        matches!(self, Self::Applied | Self::NoChanges | Self::Partial)
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Applied,
            Self::NoChanges,
            Self::Blocked,
            Self::Partial,
            Self::Failed,
            Self::Fatal,
            Self::DryRun,
            Self::Deposed,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

impl std::fmt::Display for RunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Per-kind counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounts {
    /// Users created.
    pub created: u64,
    /// Users whose profile was updated.
    pub updated: u64,
    /// Users activated (or reactivated).
    pub activated: u64,
    /// Users deactivated.
    pub deactivated: u64,
    /// Users suspended.
    pub suspended: u64,
    /// Users unsuspended.
    pub unsuspended: u64,
    /// Actions that failed.
    pub failed: u64,
    /// Actions skipped (fatal error earlier, shutdown, …).
    pub skipped: u64,
    /// Destructive actions held back by a plan limit.
    pub held_back: u64,
}

impl RunCounts {
    /// Counts one applied (or, for a dry run, planned) action of `kind`.
    pub fn add(&mut self, kind: crate::plan::ActionKind) {
        use crate::plan::ActionKind;
        match kind {
            ActionKind::Create => self.created += 1,
            ActionKind::Update => self.updated += 1,
            ActionKind::Activate => self.activated += 1,
            ActionKind::Deactivate => self.deactivated += 1,
            ActionKind::Suspend => self.suspended += 1,
            ActionKind::Unsuspend => self.unsuspended += 1,
        }
    }
}

/// What is known when a run ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunEnd {
    /// When the run ended.
    pub ended_at: DateTime<Utc>,
    /// How it ended.
    pub status: RunStatus,
    /// What it did.
    pub counts: RunCounts,
    /// HTTP requests made to Okta (reads and writes).
    pub okta_requests: u64,
    /// The run-level error, if it failed or was blocked (no secrets).
    pub error: Option<String>,
}
