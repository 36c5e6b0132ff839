//! A scripted fake runner that records when it ran, and helpers to build schedules.

use chrono::{DateTime, TimeZone, Utc};
use hrsync::config::ScheduleConfig;
use hrsync::daemon::{
    Clock, RunStatus, RunSummary, Runner, RunnerError, Shutdown, Trigger, VirtualClock,
};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// One scripted run: it performs `actions` actions of `action_time` each, checking the shutdown
/// signal between them, then reports `summary`.
#[derive(Clone)]
pub struct Step {
    pub actions: u32,
    pub action_time: Duration,
    pub summary: RunSummary,
    /// Panic instead of returning.
    pub panics: bool,
}

impl Step {
    pub fn quick(outcome: RunStatus) -> Self {
        Self::taking(Duration::ZERO, outcome)
    }

    pub fn taking(time: Duration, outcome: RunStatus) -> Self {
        Self {
            actions: 1,
            action_time: time,
            summary: RunSummary::new(outcome, "fake run"),
            panics: false,
        }
    }

    /// A run that fails in a way retrying cannot fix soon, saying why.
    pub fn fatal(reason: &str) -> Self {
        let mut step = Self::quick(RunStatus::Fatal);
        step.summary.line = reason.to_owned();
        step
    }

    pub fn waking_at(mut self, at: DateTime<Utc>) -> Self {
        self.summary.next_wakeup = Some(at);
        self
    }
}

/// A runner that follows a script (then repeats `default`), recording each run.
pub struct FakeRunner<C> {
    pub clock: C,
    script: Mutex<VecDeque<Step>>,
    default: Step,
    /// (start, trigger) of every run.
    pub runs: Mutex<Vec<(DateTime<Utc>, Trigger)>>,
    /// Actions completed, over all runs.
    pub actions_done: AtomicUsize,
    in_flight: AtomicUsize,
    /// Most runs ever in flight at once.
    pub max_in_flight: AtomicUsize,
    reload_results: Mutex<VecDeque<Result<hrsync::daemon::Reloaded, String>>>,
    /// Instants of reload calls.
    pub reloads: Mutex<Vec<DateTime<Utc>>>,
    /// What the startup checks answer, in order (then `Ok`).
    pub check_results: Mutex<VecDeque<Result<(), String>>>,
    /// Instants of startup checks.
    pub checks: Mutex<Vec<DateTime<Utc>>>,
}

impl<C: Clock> FakeRunner<C> {
    pub fn new(clock: C, script: Vec<Step>, default: Step) -> Self {
        Self {
            clock,
            script: Mutex::new(script.into()),
            default,
            runs: Mutex::default(),
            actions_done: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            reload_results: Mutex::default(),
            reloads: Mutex::default(),
            check_results: Mutex::default(),
            checks: Mutex::default(),
        }
    }

    pub fn with_reloads(self, results: Vec<Result<(), String>>) -> Self {
        *self.reload_results.lock().unwrap() = results
            .into_iter()
            .map(|r| r.map(|()| hrsync::daemon::Reloaded::default()))
            .collect();
        self
    }

    /// Reloads answer these daemon settings, in order (then unchanged ones).
    pub fn with_reloaded(self, settings: Vec<hrsync::daemon::Reloaded>) -> Self {
        *self.reload_results.lock().unwrap() = settings.into_iter().map(Ok).collect();
        self
    }

    /// The startup check fails with `reasons`, in order, then passes.
    pub fn with_failing_checks(self, reasons: &[&str]) -> Self {
        *self.check_results.lock().unwrap() =
            reasons.iter().map(|r| Err((*r).to_owned())).collect();
        self
    }

    pub fn run_starts(&self) -> Vec<DateTime<Utc>> {
        self.runs.lock().unwrap().iter().map(|r| r.0).collect()
    }

    /// Run starts as whole seconds after `t0`.
    pub fn start_offsets(&self, t0: DateTime<Utc>) -> Vec<i64> {
        self.run_starts()
            .iter()
            .map(|s| (*s - t0).num_seconds())
            .collect()
    }

    pub fn triggers(&self) -> Vec<Trigger> {
        self.runs.lock().unwrap().iter().map(|r| r.1).collect()
    }

    pub fn run_count(&self) -> usize {
        self.runs.lock().unwrap().len()
    }
}

impl<C: Clock> Runner for FakeRunner<C> {
    async fn check(&self) -> Result<(), RunnerError> {
        self.checks.lock().unwrap().push(self.clock.now());
        self.check_results
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Ok(()))
            .map_err(RunnerError::from)
    }

    async fn run(&self, trigger: Trigger, shutdown: Shutdown) -> RunSummary {
        self.runs.lock().unwrap().push((self.clock.now(), trigger));
        let now_in_flight = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight
            .fetch_max(now_in_flight, Ordering::SeqCst);
        let step = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| self.default.clone());
        let mut summary = step.summary.clone();
        for _ in 0..step.actions {
            if shutdown.is_requested() {
                summary.line = "stopped by shutdown".into();
                break;
            }
            tokio::time::sleep(step.action_time).await;
            self.actions_done.fetch_add(1, Ordering::SeqCst);
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        assert!(!step.panics, "the fake run panics as scripted");
        summary
    }

    async fn reload(&self) -> Result<hrsync::daemon::Reloaded, RunnerError> {
        self.reloads.lock().unwrap().push(self.clock.now());
        self.reload_results
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Ok(hrsync::daemon::Reloaded::default()))
            .map_err(RunnerError::from)
    }
}

pub fn schedule(expr: &str, tz: chrono_tz::Tz, max_backoff_secs: u64) -> ScheduleConfig {
    ScheduleConfig {
        cron: expr.parse().unwrap(),
        timezone: tz,
        max_backoff: Duration::from_secs(max_backoff_secs),
        shutdown_timeout: Duration::from_secs(5),
    }
}

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// A virtual clock reading `start`; call inside a paused runtime.
pub fn clock_at(start: DateTime<Utc>) -> VirtualClock {
    VirtualClock::starting_at(start)
}

/// Sleeps (virtually) until the wall clock reads `at`.
pub async fn sleep_until(clock: &impl Clock, at: DateTime<Utc>) {
    tokio::time::sleep((at - clock.now()).to_std().unwrap_or(Duration::ZERO)).await;
}
