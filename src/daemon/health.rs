//! The daemon's health as `/readyz` reports it: written by the startup check while it fails and
//! by the scheduling loop after each run, read by HTTP handlers. A plain value behind a mutex;
//! it makes no decisions of its own beyond "ready or not".

use super::runner::RunStatus;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::{Mutex, PoisonError};

/// A snapshot of the daemon's health.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HealthState {
    /// Whether a fatal error quarantines the daemon.
    pub quarantined: bool,
    /// Outcome of the last run (`None` before the first one ends).
    pub last_outcome: Option<String>,
    /// Whether the last run failed.
    pub last_failed: bool,
    /// The last run's summary line.
    pub last_line: Option<String>,
    /// When the last run ended.
    pub last_run_end: Option<DateTime<Utc>>,
    /// When the last successful run ended.
    pub last_success: Option<DateTime<Utc>>,
    /// Failed runs in a row.
    pub consecutive_failures: u32,
    /// Whether a run is in flight.
    pub running: bool,
    /// When the next run is due, if anything is scheduled.
    pub next_run: Option<DateTime<Utc>>,
    /// Why the daemon runs nothing yet: its startup check has not passed (the check's error,
    /// which holds no secret). `None` once it passed.
    pub waiting_for: Option<String>,
    /// Failed startup checks so far.
    pub startup_check_failures: u32,
    /// When the startup check is tried again, while it fails.
    pub next_check: Option<DateTime<Utc>>,
    /// `single`, `leader` or `standby` (instances sharing a PostgreSQL journal).
    pub role: String,
    /// The lease epoch this instance holds, or the leader's when it is a standby.
    pub epoch: Option<i64>,
    /// Who leads, when this instance is a standby and knows it.
    pub leader: Option<String>,
}

impl HealthState {
    /// Ready unless waiting for the startup check, quarantined, the last run failed, or a
    /// standby (ready before the first run once the check passed). A standby answers 503 so
    /// a load balancer sends webhooks to the leader; `/healthz` stays 200.
    pub fn ready(&self) -> bool {
        self.waiting_for.is_none()
            && !self.quarantined
            && !self.last_failed
            && self.role != "standby"
    }

    /// Records this instance's role.
    pub fn set_role(&mut self, role: &crate::ha::Role) {
        self.role = role.as_str().to_owned();
        self.epoch = role.epoch();
        self.leader = match role {
            crate::ha::Role::Standby { leader } => leader.as_ref().map(|(h, _)| h.clone()),
            _ => None,
        };
    }
}

/// Shared, updatable health.
#[derive(Debug, Default)]
pub struct Health(Mutex<HealthState>);

impl Health {
    /// A copy of the current state.
    pub fn snapshot(&self) -> HealthState {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Changes the state under the lock.
    pub fn update(&self, f: impl FnOnce(&mut HealthState)) {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Records a finished run.
    pub fn record_run(
        &self,
        outcome: &RunStatus,
        line: &str,
        ended: DateTime<Utc>,
        quarantined: bool,
        consecutive_failures: u32,
    ) {
        self.update(|h| {
            h.running = false;
            h.last_outcome = Some(outcome.as_str().to_owned());
            h.last_failed = outcome.is_failure();
            h.last_line = Some(line.to_owned());
            h.last_run_end = Some(ended);
            if outcome.is_success() {
                h.last_success = Some(ended);
            }
            h.quarantined = quarantined;
            h.consecutive_failures = consecutive_failures;
        });
    }
}

#[cfg(test)]
mod tests;
