//! The scheduling loop: sleeps until the [`Scheduler`] says a run is due, runs the
//! [`Runner`] (never two at once), records the result in the scheduler, metrics, health and
//! systemd status, handles reloads between runs, and stops on request, giving the run in
//! flight up to `shutdown_timeout` to finish the action it is on.
//!
//! It holds no schedule arithmetic of its own (that is [`Scheduler`]) and no I/O besides
//! calling the runner and the notifier.

use super::clock::{Clock, until};
use super::health::Health;
use super::metrics::Metrics;
use super::runner::{RunStatus, RunSummary, Runner, Shutdown, Trigger};
use super::scheduler::Scheduler;
use super::systemd::{Notice, Notifier};
use super::{Control, DaemonError};
use crate::ha::Role;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::watch;

/// Longest single sleep: the loop re-reads the wall clock at least this often, so a wall-clock
/// jump (NTP step, suspend) delays a due run by at most this much.
const MAX_NAP: Duration = Duration::from_secs(60);

/// Sleep far beyond any shutdown timeout; replaced by the real deadline on shutdown.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The loop's state.
pub(super) struct Driver<R, C> {
    /// What runs.
    pub runner: Arc<R>,
    /// Wall clock.
    pub clock: C,
    /// When runs are due.
    pub scheduler: Scheduler,
    /// Trigger and reload requests.
    pub control: Arc<Control>,
    /// Turns true on shutdown.
    pub shutdown_rx: watch::Receiver<bool>,
    /// Metrics to update.
    pub metrics: Arc<Metrics>,
    /// Health to update.
    pub health: Arc<Health>,
    /// systemd notices.
    pub notifier: Arc<dyn Notifier>,
    /// How long the run in flight may take to stop.
    pub shutdown_timeout: Duration,
    /// Whether `STOPPING=1` was sent.
    pub stopping_sent: bool,
    /// The leader lease's role, when instances share the journal.
    pub role: Option<watch::Receiver<Role>>,
    /// The role last acted on.
    pub last_role: Option<Role>,
    /// The HTTP endpoint (a reload may move it).
    pub endpoint: Arc<tokio::sync::Mutex<super::endpoint::Endpoint>>,
    /// The schedule in force.
    pub schedule: crate::config::ScheduleConfig,
}

impl<R: Runner, C: Clock> Driver<R, C> {
    /// Runs until shutdown.
    pub async fn run(mut self) -> Result<(), DaemonError> {
        // A reload taken while the startup check waited.
        self.apply_reloaded().await;
        loop {
            if *self.shutdown_rx.borrow() {
                self.send_stopping();
                tracing::info!("daemon stopped");
                return Ok(());
            }
            // A reload requested during a run is done before the next run starts.
            if self.control.reload_pending.load(Ordering::SeqCst) {
                self.reload().await;
                continue;
            }
            let mut role_rx = self.observe_role();
            if let Some(role) = role_rx.as_mut()
                && !role.borrow().may_run()
            {
                self.health.update(|h| h.next_run = None);
                let mut stop_rx = self.shutdown_rx.clone();
                tokio::select! {
                    biased;
                    () = stop_requested(&mut stop_rx) => {}
                    () = self.control.reload.notified() => self.reload().await,
                    changed = role.changed() => {
                        if changed.is_err() {
                            // Nothing can make this instance lead any more.
                            tracing::error!("the leader lease is no longer kept; this standby runs nothing until restarted");
                            stop_requested(&mut stop_rx).await;
                        }
                    }
                    () = self.control.trigger.notified() => {
                        tracing::debug!("standby: a run request is left to the leader");
                    }
                }
                continue;
            }
            let now = self.clock.now();
            let due = self.scheduler.next_due();
            self.health
                .update(|h| h.next_run = due.map(|(at, _)| at.max(now)));
            if let Some((at, why)) = due
                && at <= now
            {
                self.execute(why).await?;
                continue;
            }
            let nap = due.map_or(MAX_NAP, |(at, _)| until(now, at).min(MAX_NAP));
            let mut stop_rx = self.shutdown_rx.clone();
            tokio::select! {
                biased;
                () = stop_requested(&mut stop_rx) => {}
                () = self.control.reload.notified() => self.reload().await,
                () = self.control.trigger.notified() => {
                    tracing::debug!("external run request");
                    self.scheduler.on_trigger(self.clock.now());
                }
                // A leader that loses its lease between runs says so at once (health, metrics,
                // status), not at the end of its nap.
                () = role_changed(&mut role_rx) => {}
                () = tokio::time::sleep(nap) => {}
            }
        }
    }

    /// Acts on a change of role (health, metrics, systemd status, a takeover run) and returns
    /// a receiver to wait on, or `None` when this instance runs alone.
    fn observe_role(&mut self) -> Option<watch::Receiver<Role>> {
        let rx = self.role.as_mut()?;
        let role = rx.borrow_and_update().clone();
        let waiting = rx.clone();
        if self.last_role.as_ref() != Some(&role) {
            let was_standby = self.last_role.as_ref().is_some_and(|r| !r.may_run());
            self.health.update(|h| h.set_role(&role));
            self.metrics.set_role(&role);
            self.notifier.notify(Notice::Status(role.describe()));
            tracing::info!(
                role = role.as_str(),
                epoch = role.epoch(),
                "{}",
                role.describe()
            );
            if was_standby && role.may_run() {
                self.scheduler.on_takeover(self.clock.now());
            }
            self.last_role = Some(role);
        }
        Some(waiting)
    }

    /// Sends `STOPPING=1` once.
    fn send_stopping(&mut self) {
        if !self.stopping_sent {
            self.stopping_sent = true;
            self.notifier.notify(Notice::Stopping);
        }
    }

    /// Re-reads the configuration between runs, and applies its `[schedule]` and `[server]`.
    async fn reload(&mut self) {
        let done =
            reload_config(&*self.runner, &self.control, &self.metrics, &*self.notifier).await;
        if done == Some(true) {
            self.scheduler.on_reload_ok();
            self.apply_reloaded().await;
        }
    }

    /// Applies the daemon's settings of the last successful reload, if not yet done: a new
    /// schedule recomputes the next tick; a new `[server]` moves the endpoint (a failed bind
    /// keeps the old one serving).
    async fn apply_reloaded(&mut self) {
        let pending = self
            .control
            .reloaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let Some(reloaded) = pending else {
            return;
        };
        if let Some(schedule) = reloaded.schedule {
            let changed = schedule.cron.expr() != self.schedule.cron.expr()
                || schedule.timezone != self.schedule.timezone
                || schedule.max_backoff != self.schedule.max_backoff
                || schedule.shutdown_timeout != self.schedule.shutdown_timeout;
            if changed {
                let now = self.clock.now();
                self.scheduler.reschedule(&schedule, now);
                self.shutdown_timeout = schedule.shutdown_timeout;
                let next_run = self
                    .scheduler
                    .next_due()
                    .map(|(at, _)| at.max(now).to_rfc3339());
                tracing::info!(cron = %schedule.cron.expr(), timezone = %schedule.timezone,
                    next_run, "[schedule] changed by the reload; the next run is recomputed");
                self.schedule = schedule;
            }
        }
        if let Some(server) = reloaded.server {
            let mut endpoint = self.endpoint.lock().await;
            let before = endpoint.addr();
            match endpoint.apply(server.listen, (&server).into()).await {
                Ok(()) if endpoint.addr() != before => {
                    tracing::info!(listen = ?server.listen, "[server] changed by the reload; the endpoint moved");
                }
                Ok(()) => {}
                Err(error) => {
                    tracing::error!(listen = ?server.listen, %error,
                        "cannot serve on the reloaded [server] listen address; the previous endpoint keeps serving");
                    self.metrics.record_reload(false);
                }
            }
        }
    }

    /// One run, start to finish, and its bookkeeping.
    async fn execute(&mut self, trigger: Trigger) -> Result<(), DaemonError> {
        let start = self.clock.now();
        let started = tokio::time::Instant::now();
        self.health.update(|h| h.running = true);
        tracing::info!(%trigger, "run started");

        let runner = Arc::clone(&self.runner);
        let shutdown = Shutdown::new(self.shutdown_rx.clone());
        let mut task = tokio::spawn(async move { runner.run(trigger, shutdown).await });
        let deadline = tokio::time::sleep(FAR_FUTURE);
        tokio::pin!(deadline);
        let mut stopping = false;
        let mut stop_rx = self.shutdown_rx.clone();
        let joined = loop {
            tokio::select! {
                joined = &mut task => break joined,
                () = stop_requested(&mut stop_rx), if !stopping => {
                    stopping = true;
                    self.send_stopping();
                    tracing::info!(
                        timeout_s = self.shutdown_timeout.as_secs_f64(),
                        "shutdown requested; letting the run finish the action in flight"
                    );
                    deadline.as_mut().reset(tokio::time::Instant::now() + self.shutdown_timeout);
                }
                () = &mut deadline, if stopping => {
                    task.abort();
                    tracing::error!("the run did not stop within the shutdown timeout");
                    return Err(DaemonError::ShutdownTimeout(self.shutdown_timeout));
                }
                () = self.control.trigger.notified() => {
                    self.scheduler.on_trigger(self.clock.now());
                }
            }
        };
        let summary = joined.unwrap_or_else(|e| {
            let what = if e.is_panic() {
                "panicked"
            } else {
                "was cancelled"
            };
            tracing::error!("the run {what}");
            RunSummary::new(RunStatus::Failed, format!("the run {what}"))
        });
        self.finish(trigger, start, started.elapsed(), &summary);
        Ok(())
    }

    /// Records a finished run everywhere and logs it.
    fn finish(
        &mut self,
        trigger: Trigger,
        start: chrono::DateTime<chrono::Utc>,
        duration: Duration,
        summary: &RunSummary,
    ) {
        let end = self.clock.now();
        let rec = self.scheduler.record_run(start, end, summary);
        let quarantined = self.scheduler.quarantined();
        let failures = self.scheduler.consecutive_failures();
        let end_unix = end.timestamp_millis() as f64 / 1000.0;
        self.metrics.record_run(summary, duration, end_unix);
        self.metrics.add_missed_ticks(rec.missed_ticks);
        self.metrics.set_health(quarantined, failures);
        self.health
            .record_run(&summary.outcome, &summary.line, end, quarantined, failures);
        let status = match self.last_role.as_ref().filter(|r| **r != Role::Single) {
            Some(role) => format!("{}; {}", role.describe(), summary.line),
            None => summary.line.clone(),
        };
        self.notifier.notify(Notice::Status(status));

        let next = self
            .scheduler
            .next_due()
            .map(|(at, why)| (at.max(end), why));
        let next_run = next.map(|(at, _)| at.to_rfc3339());
        let next_trigger = next.map(|(_, why)| why.as_str());
        let duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        let outcome = summary.outcome.as_str();
        if summary.outcome.is_failure() {
            tracing::warn!(%trigger, outcome, duration_ms, consecutive_failures = failures,
                backoff_s = rec.backoff.map(|d| d.as_secs()), next_run, next_trigger,
                "{}", summary.line);
        } else {
            tracing::info!(%trigger, outcome, duration_ms, triggers = rec.triggers_served,
                next_run, next_trigger, "{}", summary.line);
        }
        if rec.missed_ticks > 0 {
            tracing::warn!(
                missed_ticks = rec.missed_ticks,
                "the run overran cron ticks; skipped them"
            );
        }
        if let Some(w) = rec.stale_wakeup {
            tracing::warn!(next_wakeup = %w, "ignored a wake-up that was not after the run start");
        }
        if rec.entered_quarantine {
            let reason = match summary.outcome {
                RunStatus::Fatal => summary.line.as_str(),
                _ => "",
            };
            tracing::error!(
                reason,
                retry_s = rec.backoff.map(|d| d.as_secs()),
                "quarantined: retrying only at the back-off ceiling until a run succeeds"
            );
        }
        if rec.left_quarantine {
            tracing::info!("left quarantine: the run succeeded");
        }
    }
}

/// Does a requested reload: `None` for a stale wake-up (the reload was already done), else
/// whether the new configuration was taken. Logged and counted either way.
pub(super) async fn reload_config<R: Runner>(
    runner: &R,
    control: &Control,
    metrics: &Metrics,
    notifier: &dyn Notifier,
) -> Option<bool> {
    if !control.reload_pending.swap(false, Ordering::SeqCst) {
        return None;
    }
    notifier.notify(Notice::Reloading);
    let taken = match runner.reload().await {
        Ok(reloaded) => {
            tracing::info!("configuration reloaded");
            metrics.record_reload(true);
            *control
                .reloaded
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(reloaded);
            true
        }
        Err(error) => {
            let error = super::runner::describe(&*error);
            tracing::error!(%error, "configuration reload failed; keeping the previous one");
            metrics.record_reload(false);
            false
        }
    };
    notifier.notify(Notice::Ready);
    Some(taken)
}

/// Resolves once shutdown is requested (or the sender is gone).
pub(super) async fn stop_requested(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Resolves when the shared role changes; never when this instance runs alone or the keeper
/// has gone (the nap then bounds the wait).
async fn role_changed(rx: &mut Option<watch::Receiver<Role>>) {
    let changed = match rx {
        Some(rx) => rx.changed().await.is_ok(),
        None => false,
    };
    if !changed {
        std::future::pending::<()>().await;
    }
}
