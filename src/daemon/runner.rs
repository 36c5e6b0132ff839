//! The contract between the daemon and whatever it drives: the [`Runner`] trait, why a run
//! happens ([`Trigger`]), what it reports back ([`RunSummary`], [`RunStatus`]), and the
//! cooperative [`Shutdown`] signal a runner checks between actions.
//!
//! This module holds types only. It does not schedule, sleep, or know what a run does.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use tokio::sync::watch;

/// Why a runner's start-up check or reload failed: the runner's own error, causes kept (see
/// [`describe`]). Runners' errors carry no secret.
pub type RunnerError = Box<dyn std::error::Error + Send + Sync + 'static>;

pub use crate::errors::describe;

/// The work the daemon schedules. `sync::run_once` behind an adapter in production, a fake in
/// tests.
pub trait Runner: Send + Sync + 'static {
    /// Startup check (e.g. Okta connectivity and write access) that must pass before the
    /// first run. An `Err` (without secrets) makes the daemon wait and try again
    /// with back-off, `/readyz` answering 503 with the message (see [`super::startup`]).
    fn check(&self) -> impl Future<Output = Result<(), RunnerError>> + Send {
        async { Ok(()) }
    }

    /// One run. `trigger` says why; `shutdown` turns true when the daemon is asked to stop:
    /// the runner should then finish the action in flight, record it, and return.
    fn run(&self, trigger: Trigger, shutdown: Shutdown) -> impl Future<Output = RunSummary> + Send;

    /// Re-reads and validates the configuration (SIGHUP). Called only between runs. `Err`
    /// keeps the old configuration; the error (which must hold no secret) is logged. `Ok`
    /// carries the daemon's own sections of the new configuration, which the daemon applies
    /// before the next run.
    fn reload(&self) -> impl Future<Output = Result<Reloaded, RunnerError>> + Send;
}

/// The daemon's own settings from a reloaded configuration; `None` leaves that part as it is.
#[derive(Debug, Clone, Default)]
pub struct Reloaded {
    /// `[schedule]`: cron, zone, back-off ceiling, shutdown timeout.
    pub schedule: Option<crate::config::ScheduleConfig>,
    /// `[server]`: the HTTP endpoint's address and limits.
    pub server: Option<crate::config::ServerConfig>,
}

/// Why a run was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    /// The first run after the daemon started.
    Startup,
    /// A cron tick of `schedule.cron`.
    Cron,
    /// The previous run's `next_wakeup` instant (an activation or termination moment).
    Wakeup,
    /// A retry after failed runs (back-off, or the quarantine ceiling).
    Retry,
    /// An external request (webhook, operator), debounced.
    External,
    /// A successful configuration reload while runs were failing.
    Reload,
    /// This instance just took the leader lease over from another (or was a standby at
    /// start): it runs at once to finish what the previous leader left.
    Takeover,
}

impl Trigger {
    /// A stable lower-case name for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Startup => "startup",
            Self::Cron => "cron",
            Self::Wakeup => "wakeup",
            Self::Retry => "retry",
            Self::External => "external",
            Self::Reload => "reload",
            Self::Takeover => "takeover",
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a run ended, as the journal records it: [`RunStatus`]. `Failed` and `Fatal` are
/// failures: they start the back-off and make `/readyz` answer 503; `Fatal` also quarantines
/// the daemon. `Blocked` (a safety guard held the destructive part back) and `Partial` (some
/// per-user actions failed; the next run repairs them) are not failures: the daemon keeps its
/// normal schedule.
pub use crate::journal::RunStatus;

/// What one run reports to the daemon. The daemon measures the duration itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    /// How the run ended.
    pub outcome: RunStatus,
    /// The earliest future instant at which the plan changes by itself (a start date's
    /// activation moment, a termination moment); the daemon runs again then at the latest.
    pub next_wakeup: Option<DateTime<Utc>>,
    /// Actions by `(kind, outcome)`, e.g. `("create", "ok")`, `("deactivate", "failed")`.
    pub actions: BTreeMap<(String, String), u64>,
    /// Okta requests by `(endpoint class, status)`: the class names a group of routes
    /// (`list_users`, `lifecycle`, …), never a URL with ids in it; the status is an HTTP code
    /// or an outcome class (`success`, `rate_limited`, `server_error`, `transport`, …).
    pub okta_requests: BTreeMap<(String, String), u64>,
    /// How often the client waited for an Okta rate-limit window.
    pub rate_limit_waits: u64,
    /// Employees in the HR snapshot; `None` when the snapshot was not read.
    pub snapshot_employees: Option<usize>,
    /// Users created but not yet activated (waiting for their start date); `None` when unknown.
    pub pending_activations: Option<usize>,
    /// Actions the run skipped as quarantined (failing run after run); `None` when unknown.
    pub quarantined_actions: Option<usize>,
    /// How the run read Okta's users (`full` or `incremental`) and how many it listed;
    /// `None` when it did not get that far.
    pub okta_read: Option<(&'static str, usize)>,
    /// One-line human summary, used for systemd `STATUS=` and the run's log line.
    pub line: String,
}

impl RunSummary {
    /// A summary with this outcome and line and nothing else.
    pub fn new(outcome: RunStatus, line: impl Into<String>) -> Self {
        Self {
            outcome,
            next_wakeup: None,
            actions: BTreeMap::new(),
            okta_requests: BTreeMap::new(),
            rate_limit_waits: 0,
            snapshot_employees: None,
            pending_activations: None,
            quarantined_actions: None,
            okta_read: None,
            line: line.into(),
        }
    }
}

/// The shutdown signal as a runner sees it: cheap to clone, checked between actions.
#[derive(Debug, Clone)]
pub struct Shutdown {
    /// The daemon's shutdown channel.
    rx: watch::Receiver<bool>,
    /// Keeps the sender of a [`Shutdown::never`] signal alive so it never resolves.
    _never: Option<std::sync::Arc<watch::Sender<bool>>>,
}

impl Shutdown {
    /// Wraps the receiving end of the daemon's shutdown channel.
    pub(crate) fn new(rx: watch::Receiver<bool>) -> Self {
        Self { rx, _never: None }
    }

    /// A signal that never fires, for running a [`Runner`] outside the daemon (one-shot CLI,
    /// tests).
    pub fn never() -> Self {
        let (tx, rx) = watch::channel(false);
        Self {
            rx,
            _never: Some(std::sync::Arc::new(tx)),
        }
    }

    /// The underlying channel, for code that waits on a plain `watch::Receiver<bool>`.
    pub fn receiver(&self) -> watch::Receiver<bool> {
        self.rx.clone()
    }

    /// Whether shutdown has been requested: finish the action in flight and return.
    pub fn is_requested(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once shutdown is requested (or the daemon is gone).
    pub async fn requested(&mut self) {
        // An Err means the sender is dropped: the daemon is gone, which is a shutdown too.
        let _ = self.rx.wait_for(|stop| *stop).await;
    }
}

#[cfg(test)]
mod tests;
