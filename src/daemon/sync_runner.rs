//! The daemon's [`Runner`] for the real pipeline: each run is `sync::run_once` with the
//! current configuration; SIGHUP re-reads and validates the configuration and swaps it in
//! between runs (an invalid one is refused and the old one stays).
//!
//! A reload hands `[schedule]` and `[server]` to the daemon, which applies them between runs;
//! `[journal]` and `[ha]` are fixed at start: a reload that changes them takes effect at the
//! next restart (and is logged as such).

use super::{RunSummary, Runner, RunnerError, Shutdown, Trigger};
use crate::apply::Outcome;
use crate::config::Config;
use crate::errors::describe;
use crate::journal::RunStatus;
use crate::okta::{CounterSnapshot, EndpointClass, OktaClient, counters};
use crate::source::AnySource;
use crate::sync::{RunRequest, SyncDeps, run_once};
use chrono::Utc;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Runs syncs for the daemon.
pub struct SyncRunner {
    config_path: PathBuf,
    current: RwLock<Arc<Loaded>>,
    /// The leader lease, when instances share a PostgreSQL journal: each run works under its
    /// fence.
    leadership: Option<Arc<crate::ha::Leadership>>,
    /// Where each run's digest goes for the web console, when it is on.
    console: Option<crate::console::Shared>,
}

struct Loaded {
    config: Config,
    deps: SyncDeps<AnySource, OktaClient>,
}

impl SyncRunner {
    /// The runner for a validated configuration loaded from `config_path`, and the
    /// dependencies built from it (see `cli::sync::exclusive_deps`).
    pub fn new(
        config_path: PathBuf,
        config: Config,
        deps: SyncDeps<AnySource, OktaClient>,
    ) -> Self {
        Self {
            config_path,
            current: RwLock::new(Arc::new(Loaded { config, deps })),
            leadership: None,
            console: None,
        }
    }

    /// After each run that planned, builds its digest for the web console on the blocking
    /// pool (the run has returned by then; one build at a time) and publishes it in `shared`.
    #[must_use]
    pub fn with_console(mut self, shared: crate::console::Shared) -> Self {
        self.console = Some(shared);
        self
    }

    /// Hands a finished run's inputs and plan to the console, if it is on.
    fn publish(&self, report: &crate::sync::RunReport, policy: &crate::plan::Policy) {
        let (Some(shared), Some(inputs)) = (&self.console, &report.inputs) else {
            return;
        };
        let inputs = inputs.clone();
        let plan = report.plan.clone();
        let policy = Arc::new(policy.clone());
        let run_id = report.run_id;
        shared.publish_later(move || crate::console::Latest::build(run_id, &inputs, plan, policy));
    }

    /// Runs under `leadership`'s fence: intents recorded under its epoch, writes sent only
    /// while it holds the lease.
    #[must_use]
    pub fn with_leadership(mut self, leadership: Arc<crate::ha::Leadership>) -> Self {
        self.leadership = Some(leadership);
        self
    }

    fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The configuration in force.
    pub fn config(&self) -> Config {
        self.current().config.clone()
    }
}

/// Why [`SyncRunner`]'s check or reload failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncRunnerError {
    /// Okta could not be reached, or refused the credentials.
    #[error("Okta connectivity check failed")]
    Okta(#[source] crate::okta::Error),
    /// The credentials read but cannot write users.
    #[error("the Okta credentials cannot write: {0}")]
    CannotWrite(String),
    /// The configuration file is invalid (every error, with file:line:col).
    #[error("{}", .0.report())]
    Config(crate::config::ConfigErrors),
    /// The new configuration's source or Okta client cannot be built.
    #[error("cannot set up the run with the new configuration: {0:#}")]
    Setup(anyhow::Error),
}

impl Runner for SyncRunner {
    async fn check(&self) -> Result<(), RunnerError> {
        let loaded = self.current();
        let report = crate::okta::check_access(
            &loaded.deps.okta,
            loaded.config.okta.service_account_login.as_deref(),
        )
        .await
        .map_err(SyncRunnerError::Okta)?;
        for warning in &report.warnings {
            tracing::warn!("{warning}");
        }
        if let crate::okta::WriteAccess::No(why) = &report.write {
            return Err(SyncRunnerError::CannotWrite(why.clone()).into());
        }
        Ok(())
    }

    async fn run(&self, trigger: Trigger, shutdown: Shutdown) -> RunSummary {
        let fence = match &self.leadership {
            None => None,
            Some(leadership) => match leadership.fence() {
                Some(fence) => Some(fence),
                None => {
                    let line = format!("not run: {}", leadership.role().describe());
                    tracing::warn!(trigger = %trigger, "{line}");
                    return RunSummary::new(RunStatus::Deposed, line);
                }
            },
        };
        let loaded = self.current();
        let before = loaded.deps.okta.counters();
        let request = RunRequest {
            trigger: trigger.as_str().to_owned(),
            shutdown: Some(shutdown.receiver()),
            fence,
            ..RunRequest::default()
        };
        let result = run_once(&loaded.deps, &request, Utc::now()).await;
        let after = loaded.deps.okta.counters();
        let mut summary = match result {
            Ok(report) => {
                self.publish(&report, &loaded.deps.policy);
                let outcome = report.status;
                let mut line = format!(
                    "run {} {}: {}",
                    report.run_id,
                    report.status.as_str(),
                    crate::sync::summary::summary_line(&report.counts, report.okta_requests)
                );
                if let Some(note) = crate::sync::summary::attention_note(&report.plan) {
                    line.push_str(&note);
                }
                if let Some(blocked) = &report.blocked {
                    line.push_str(&format!("; BLOCKED: {blocked}"));
                }
                let mut s = RunSummary::new(outcome, line);
                s.next_wakeup = report.plan.next_wakeup;
                s.snapshot_employees = Some(report.snapshot_employees);
                s.pending_activations = Some(report.pending_activations);
                s.okta_read = Some((report.pass.as_str(), report.users_read));
                s.quarantined_actions = Some(
                    report
                        .plan
                        .findings
                        .iter()
                        .filter(|f| f.reason == crate::plan::Reason::Quarantined)
                        .count(),
                );
                if let Some(apply) = &report.apply {
                    for o in &apply.outcomes {
                        let outcome = match o.outcome {
                            Outcome::Applied { .. } => "applied",
                            Outcome::Failed { .. } => "failed",
                            Outcome::Skipped { .. } => "skipped",
                        };
                        *s.actions
                            .entry((o.action.action.kind().to_string(), outcome.to_owned()))
                            .or_insert(0) += 1;
                    }
                }
                s
            }
            Err(err) if err.is_fatal_auth() => RunSummary::new(
                RunStatus::Fatal,
                format!(
                    "run failed (credentials or permissions): {}",
                    describe(&err)
                ),
            ),
            Err(err) => {
                RunSummary::new(RunStatus::Failed, format!("run failed: {}", describe(&err)))
            }
        };
        summary.okta_requests = request_delta(&before, &after);
        summary.rate_limit_waits = after.paced_waits.saturating_sub(before.paced_waits);
        if summary.outcome.is_failure() {
            tracing::error!(trigger = %trigger, "{}", summary.line);
        } else {
            tracing::info!(trigger = %trigger, "{}", summary.line);
        }
        summary
    }

    async fn reload(&self) -> Result<super::Reloaded, RunnerError> {
        let config =
            crate::config::Config::load(&self.config_path).map_err(SyncRunnerError::Config)?;
        let old = self.current();
        if old.config.journal.location() != config.journal.location() {
            tracing::warn!(
                journal = %old.config.journal.location(),
                "the new configuration moves [journal]; that takes effect at the next restart (the running daemon keeps its journal)"
            );
        }
        if old.config.ha.lease != config.ha.lease || old.config.ha.holder != config.ha.holder {
            tracing::warn!(
                "the new configuration changes [ha]; that takes effect at the next restart"
            );
        }
        let mut config = config;
        config.journal = old.config.journal.clone();
        config.ha = old.config.ha.clone();
        let reloaded = super::Reloaded {
            schedule: Some(config.schedule.clone()),
            server: Some(config.server.clone()),
        };
        let deps = crate::sync::wiring::deps_with(&config, old.deps.journal.clone())
            .map_err(SyncRunnerError::Setup)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(Loaded { config, deps });
        tracing::info!(path = %self.config_path.display(), "configuration reloaded");
        Ok(reloaded)
    }
}

/// Requests made between two counter snapshots, by (endpoint class, outcome).
fn request_delta(
    before: &CounterSnapshot,
    after: &CounterSnapshot,
) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for class in EndpointClass::ALL {
        for outcome in counters::RequestOutcome::ALL {
            let n = after
                .count(class, outcome)
                .saturating_sub(before.count(class, outcome));
            if n > 0 {
                out.insert((class.as_str().to_owned(), outcome.as_str().to_owned()), n);
            }
        }
    }
    out
}
