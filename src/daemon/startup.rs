//! The startup check, retried until it passes: a daemon whose check fails (Okta rejects the
//! token, Okta unreachable) does not exit, which would make systemd restart it and hammer Okta
//! every `RestartSec`. It stays up with `/healthz` answering, `/readyz` 503 with the reason
//! and the failure count, `STATUS=` saying why it waits, and tries again after an exponential
//! back-off with jitter (at most the schedule's back-off ceiling). A reload during the wait
//! (the operator fixed the token file) retries at once; a shutdown ends the wait at once.
//!
//! It runs nothing else: the scheduling loop starts only once the check passed.

use super::Control;
use super::clock::Clock;
use super::driver::{reload_config, stop_requested};
use super::health::Health;
use super::metrics::Metrics;
use super::runner::Runner;
use super::scheduler::backoff_delay;
use super::systemd::{Notice, Notifier};
use rand::Rng;
use std::time::Duration;
use tokio::sync::watch;

/// What `/readyz` says while the first check is in progress.
pub const CHECKING: &str = "running the startup check";

/// What the wait needs from the daemon.
pub(super) struct StartupCheck<'a, R, C> {
    /// Whose check runs.
    pub runner: &'a R,
    /// Wall clock (for `next_check`).
    pub clock: &'a C,
    /// Reload requests.
    pub control: &'a Control,
    /// Turns true on shutdown.
    pub shutdown_rx: watch::Receiver<bool>,
    /// Readiness.
    pub health: &'a Health,
    /// Counters.
    pub metrics: &'a Metrics,
    /// systemd notices.
    pub notifier: &'a dyn Notifier,
    /// Back-off ceiling (the schedule's `max_backoff`).
    pub ceiling: Duration,
}

impl<R: Runner, C: Clock> StartupCheck<'_, R, C> {
    /// Runs the check until it passes (`true`) or shutdown is requested (`false`).
    pub async fn pass(mut self) -> bool {
        self.health
            .update(|h| h.waiting_for = Some(CHECKING.to_owned()));
        let mut failures = 0u32;
        loop {
            let mut stop = self.shutdown_rx.clone();
            let checked = tokio::select! {
                biased;
                () = stop_requested(&mut stop) => return self.stopped(),
                checked = self.runner.check() => checked,
            };
            let reason = match checked {
                Ok(()) => return self.passed(failures),
                Err(error) => super::runner::describe(&*error),
            };
            failures = failures.saturating_add(1);
            let delay = retry_delay(failures, self.ceiling, rand::rng().random_range(0.0..=1.0));
            self.failed(failures, &reason, delay);
            if !self.wait(delay).await {
                return self.stopped();
            }
        }
    }

    /// Records a failed check and says why the daemon waits.
    fn failed(&self, failures: u32, reason: &str, delay: Duration) {
        let next = chrono::Duration::from_std(delay)
            .ok()
            .and_then(|d| self.clock.now().checked_add_signed(d));
        self.health.update(|h| {
            h.waiting_for = Some(format!("startup check failed: {reason}"));
            h.startup_check_failures = failures;
            h.next_check = next;
        });
        self.metrics.edge().check_failed();
        let retry_s = delay.as_secs_f64();
        tracing::error!(
            failures,
            retry_s,
            "startup check failed; running nothing and retrying: {reason}"
        );
        self.notifier.notify(Notice::Status(format!(
            "waiting: startup check failed {failures} time(s), retrying in {retry_s:.0} s: {reason}"
        )));
    }

    /// Waits `delay`; a successful reload cuts it short. `false` on shutdown.
    async fn wait(&mut self, delay: Duration) -> bool {
        let until = tokio::time::sleep(delay);
        tokio::pin!(until);
        loop {
            let mut stop = self.shutdown_rx.clone();
            tokio::select! {
                biased;
                () = stop_requested(&mut stop) => return false,
                () = self.control.reload.notified() => {
                    if reload_config(self.runner, self.control, self.metrics, self.notifier).await == Some(true) {
                        tracing::info!("configuration reloaded; retrying the startup check now");
                        return true;
                    }
                }
                () = &mut until => return true,
            }
        }
    }

    /// The check passed: ready.
    fn passed(&self, failures: u32) -> bool {
        self.health.update(|h| {
            h.waiting_for = None;
            h.next_check = None;
        });
        self.metrics.edge().check_done();
        if failures > 0 {
            tracing::info!(failures, "startup check passed; scheduling runs");
            self.notifier.notify(Notice::Status(format!(
                "startup check passed after {failures} failure(s); scheduling runs"
            )));
        }
        true
    }

    /// Shutdown while checking or waiting.
    fn stopped(&self) -> bool {
        self.metrics.edge().check_done();
        false
    }
}

/// The wait after the `failures`-th failed check: the schedule's back-off (1, 2, 4 … s, at
/// most `ceiling`), of which the upper half is scaled by `unit` (0 to 1) as jitter.
pub fn retry_delay(failures: u32, ceiling: Duration, unit: f64) -> Duration {
    let full = backoff_delay(failures, ceiling.max(Duration::from_secs(1)));
    let half = full / 2;
    half + (full - half).mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests;
