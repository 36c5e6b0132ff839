//! The daemon's Prometheus metrics: an explicit `prometheus-client` registry (no global
//! recorder, so several daemons in one test process do not mix), updated once per run from the
//! [`RunSummary`], rendered in the Prometheus text format 0.0.4 for `/metrics`.
//!
//! This module only counts; it does not decide anything from the numbers. The metrics of the
//! daemon's edges (HTTP connections, webhooks, the startup check) are in [`edge`].

pub mod edge;

use super::runner::{RunStatus, RunSummary};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// `Content-Type` of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Upper bounds (seconds) of the run-duration histogram buckets.
const DURATION_BUCKETS: [f64; 12] = [
    0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0,
];

/// Labels of `hrsync_runs_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RunLabels {
    /// The run outcome, e.g. `applied`.
    status: String,
}

/// Labels of `hrsync_actions_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabels {
    /// Action kind, e.g. `create`.
    kind: String,
    /// How it went, e.g. `ok`.
    outcome: String,
}

/// Labels of `hrsync_okta_requests_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// Route template.
    endpoint: String,
    /// HTTP status code.
    status: String,
}

/// Labels of `hrsync_okta_passes_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PassLabels {
    /// `full` or `incremental`.
    pass: String,
}

/// Labels of `hrsync_config_reloads_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    /// `ok` or `error`.
    result: String,
}

/// All metrics of the daemon.
#[derive(Debug)]
pub struct Metrics {
    /// The registry that renders them.
    registry: Registry,
    /// `hrsync_runs_total{status}`.
    runs: Family<RunLabels, Counter>,
    /// `hrsync_actions_total{kind,outcome}`.
    actions: Family<ActionLabels, Counter>,
    /// `hrsync_okta_requests_total{endpoint,status}`.
    okta_requests: Family<RequestLabels, Counter>,
    /// `hrsync_rate_limit_waits_total`.
    rate_limit_waits: Counter,
    /// `hrsync_run_duration_seconds`.
    run_duration: Histogram,
    /// `hrsync_last_success_timestamp_seconds`.
    last_success: Gauge<f64, AtomicU64>,
    /// `hrsync_pending_activations`.
    pending_activations: Gauge,
    /// `hrsync_quarantined_actions`.
    quarantined_actions: Gauge,
    /// `hrsync_snapshot_employees`.
    snapshot_employees: Gauge,
    /// `hrsync_blocked_runs_total`.
    blocked_runs: Counter,
    /// `hrsync_quarantined` (0 or 1).
    quarantined: Gauge,
    /// `hrsync_consecutive_failures`.
    consecutive_failures: Gauge,
    /// `hrsync_missed_ticks_total`.
    missed_ticks: Counter,
    /// `hrsync_config_reloads_total{result}`.
    reloads: Family<ReloadLabels, Counter>,
    /// `hrsync_leader` (0 or 1).
    leader: Gauge,
    /// `hrsync_leader_epoch`.
    leader_epoch: Gauge,
    /// `hrsync_okta_passes_total{pass}`.
    passes: Family<PassLabels, Counter>,
    /// `hrsync_okta_users_read`.
    users_read: Gauge,
    /// HTTP connections, webhooks, the startup check.
    edge: edge::EdgeMetrics,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered at zero.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let runs = Family::<RunLabels, Counter>::default();
        let actions = Family::<ActionLabels, Counter>::default();
        let okta_requests = Family::<RequestLabels, Counter>::default();
        let rate_limit_waits = Counter::default();
        let run_duration = Histogram::new(DURATION_BUCKETS);
        let last_success = Gauge::<f64, AtomicU64>::default();
        let pending_activations = Gauge::default();
        let quarantined_actions = Gauge::default();
        let snapshot_employees = Gauge::default();
        let blocked_runs = Counter::default();
        let quarantined = Gauge::default();
        let consecutive_failures = Gauge::default();
        let missed_ticks = Counter::default();
        let reloads = Family::<ReloadLabels, Counter>::default();
        let leader = Gauge::default();
        let leader_epoch = Gauge::default();
        leader.set(1);
        let passes = Family::<PassLabels, Counter>::default();
        let users_read = Gauge::default();

        let r = &mut registry;
        r.register("hrsync_runs", "Runs by outcome", runs.clone());
        r.register(
            "hrsync_actions",
            "Okta actions by kind and outcome",
            actions.clone(),
        );
        r.register(
            "hrsync_okta_requests",
            "Okta API requests by endpoint and HTTP status",
            okta_requests.clone(),
        );
        r.register(
            "hrsync_rate_limit_waits",
            "Waits for an Okta rate-limit window",
            rate_limit_waits.clone(),
        );
        r.register(
            "hrsync_run_duration_seconds",
            "Duration of runs",
            run_duration.clone(),
        );
        r.register(
            "hrsync_last_success_timestamp_seconds",
            "Unix time at which the last successful run ended",
            last_success.clone(),
        );
        r.register(
            "hrsync_pending_activations",
            "Users created and waiting for their activation moment",
            pending_activations.clone(),
        );
        r.register(
            "hrsync_quarantined_actions",
            "Actions the last run skipped because they failed with the same permanent Okta error run after run (hrsync retry lists them)",
            quarantined_actions.clone(),
        );
        r.register(
            "hrsync_snapshot_employees",
            "Employees in the last HR snapshot",
            snapshot_employees.clone(),
        );
        r.register(
            "hrsync_blocked_runs",
            "Runs a safety guard blocked",
            blocked_runs.clone(),
        );
        r.register(
            "hrsync_quarantined",
            "1 while a fatal error (e.g. rejected credentials) quarantines the daemon",
            quarantined.clone(),
        );
        r.register(
            "hrsync_consecutive_failures",
            "Failed runs in a row",
            consecutive_failures.clone(),
        );
        r.register(
            "hrsync_missed_ticks",
            "Cron ticks skipped because a run was still in flight",
            missed_ticks.clone(),
        );
        r.register(
            "hrsync_config_reloads",
            "Configuration reloads by result",
            reloads.clone(),
        );
        r.register(
            "hrsync_leader",
            "1 while this instance may run syncs (it holds the leader lease, or runs alone), 0 while a standby",
            leader.clone(),
        );
        r.register(
            "hrsync_leader_epoch",
            "The leader lease epoch this instance holds, or the leader's while a standby (0: no lease)",
            leader_epoch.clone(),
        );
        r.register(
            "hrsync_okta_passes",
            "Runs by how they read Okta's users: full (every user) or incremental (the changed ones)",
            passes.clone(),
        );
        r.register(
            "hrsync_okta_users_read",
            "Okta users the last run listed (every user on a full pass, the changed ones on an incremental read)",
            users_read.clone(),
        );
        let edge = edge::EdgeMetrics::default();
        edge.register(r);
        Self {
            registry,
            runs,
            actions,
            okta_requests,
            rate_limit_waits,
            run_duration,
            last_success,
            pending_activations,
            quarantined_actions,
            snapshot_employees,
            blocked_runs,
            quarantined,
            consecutive_failures,
            missed_ticks,
            reloads,
            leader,
            leader_epoch,
            passes,
            users_read,
            edge,
        }
    }

    /// Records this instance's role in the leader lease.
    pub fn set_role(&self, role: &crate::ha::Role) {
        self.leader.set(i64::from(role.may_run()));
        self.leader_epoch.set(role.epoch().unwrap_or(0));
    }

    /// The edge metrics (HTTP connections, webhooks, the startup check).
    pub fn edge(&self) -> &edge::EdgeMetrics {
        &self.edge
    }

    /// Counts a finished run that ended at `ended_unix` (seconds since the epoch).
    pub fn record_run(&self, summary: &RunSummary, duration: Duration, ended_unix: f64) {
        let status = summary.outcome.as_str().to_owned();
        self.runs.get_or_create(&RunLabels { status }).inc();
        for ((kind, outcome), n) in &summary.actions {
            let labels = ActionLabels {
                kind: kind.clone(),
                outcome: outcome.clone(),
            };
            self.actions.get_or_create(&labels).inc_by(*n);
        }
        for ((endpoint, status), n) in &summary.okta_requests {
            let labels = RequestLabels {
                endpoint: endpoint.clone(),
                status: status.to_string(),
            };
            self.okta_requests.get_or_create(&labels).inc_by(*n);
        }
        self.rate_limit_waits.inc_by(summary.rate_limit_waits);
        self.run_duration.observe(duration.as_secs_f64());
        if summary.outcome.is_success() {
            self.last_success.set(ended_unix);
        }
        if let Some(n) = summary.pending_activations {
            self.pending_activations.set(saturating_i64(n));
        }
        if let Some(n) = summary.quarantined_actions {
            self.quarantined_actions.set(saturating_i64(n));
        }
        if let Some(n) = summary.snapshot_employees {
            self.snapshot_employees.set(saturating_i64(n));
        }
        if summary.outcome == RunStatus::Blocked {
            self.blocked_runs.inc();
        }
        if let Some((pass, n)) = summary.okta_read {
            let pass = pass.to_owned();
            self.passes.get_or_create(&PassLabels { pass }).inc();
            self.users_read.set(saturating_i64(n));
        }
    }

    /// Sets the quarantine flag and the failure streak.
    pub fn set_health(&self, quarantined: bool, consecutive_failures: u32) {
        self.quarantined.set(i64::from(quarantined));
        self.consecutive_failures
            .set(i64::from(consecutive_failures));
    }

    /// Counts skipped cron ticks.
    pub fn add_missed_ticks(&self, n: u64) {
        self.missed_ticks.inc_by(n);
    }

    /// Counts a configuration reload.
    pub fn record_reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "error" }.to_owned();
        self.reloads.get_or_create(&ReloadLabels { result }).inc();
    }

    /// The metrics in the Prometheus text format 0.0.4.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail; an Err would only come from a broken encoder, and
        // then a partial page is still the most useful answer.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

/// `n` as an i64 gauge value, saturating.
fn saturating_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
