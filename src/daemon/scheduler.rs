//! When the next run is due: pure schedule arithmetic with no I/O, no sleeping and no clock
//! reading (every instant is a parameter), so it is tested exhaustively beside the code.
//!
//! The next run is the earliest of: an immediate request (startup, a reload that should retry
//! at once), the next unconsumed cron tick of `schedule.cron` in `schedule.timezone`, the last
//! run's `next_wakeup`, the back-off retry after a failed run, and a debounced external
//! trigger. While quarantined (after a `Fatal` run) only the retry at the back-off ceiling and
//! a successful reload start a run. Ticks that passed while a run was in flight are skipped and
//! counted, never run back to back.

use super::runner::{RunStatus, RunSummary, Trigger};
use crate::config::ScheduleConfig;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::time::Duration;

/// Most missed ticks counted after one run (an every-second cron and a day-long run would
/// otherwise make counting itself slow).
const MISSED_TICKS_CAP: u64 = 100_000;

/// The scheduler's state.
#[derive(Debug, Clone)]
pub struct Scheduler {
    /// The cron schedule.
    cron: cron::Schedule,
    /// Zone the cron schedule is evaluated in.
    tz: Tz,
    /// Back-off ceiling (at least one second).
    max_backoff: Duration,
    /// Window in which several external triggers make one run.
    debounce: Duration,
    /// The earliest cron tick no run has served yet.
    next_cron: Option<DateTime<Utc>>,
    /// A run to start at once, and why.
    immediate: Option<Trigger>,
    /// The latest run's wake-up instant.
    wakeup: Option<DateTime<Utc>>,
    /// When the next retry after failures is due.
    retry_at: Option<DateTime<Utc>>,
    /// When the first not-yet-served external trigger arrived.
    trigger_first: Option<DateTime<Utc>>,
    /// External triggers merged into the pending one.
    triggers_merged: u64,
    /// Failed or fatal runs in a row.
    consecutive_failures: u32,
    /// Whether the last failure was fatal and no run has succeeded since.
    quarantined: bool,
    /// Shortest time between two runs that serve external triggers.
    min_trigger_interval: Duration,
    /// When the last run that served external triggers started.
    last_trigger_run: Option<DateTime<Utc>>,
}

/// What the daemon should know about a finished run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    /// Cron ticks that passed during the run and were skipped.
    pub missed_ticks: u64,
    /// The back-off before the retry, when the run failed.
    pub backoff: Option<Duration>,
    /// Whether this run put the daemon into quarantine.
    pub entered_quarantine: bool,
    /// Whether this run took the daemon out of quarantine.
    pub left_quarantine: bool,
    /// A `next_wakeup` the run reported that was not after its start (ignored, or the daemon
    /// would run in a loop).
    pub stale_wakeup: Option<DateTime<Utc>>,
    /// External triggers served by this run.
    pub triggers_served: u64,
}

impl Scheduler {
    /// A scheduler at `now`, with a startup run due at once.
    pub fn new(schedule: &ScheduleConfig, debounce: Duration, now: DateTime<Utc>) -> Self {
        let mut s = Self {
            cron: schedule.cron.schedule().clone(),
            tz: schedule.timezone,
            max_backoff: schedule.max_backoff.max(Duration::from_secs(1)),
            debounce,
            next_cron: None,
            immediate: Some(Trigger::Startup),
            wakeup: None,
            retry_at: None,
            trigger_first: None,
            triggers_merged: 0,
            consecutive_failures: 0,
            quarantined: false,
            min_trigger_interval: Duration::ZERO,
            last_trigger_run: None,
        };
        s.next_cron = s.cron_after(now);
        s
    }

    /// Runs served for external triggers start at least `interval` apart: a burst or a replay
    /// of webhooks makes one run per interval at most.
    pub fn with_min_trigger_interval(mut self, interval: Duration) -> Self {
        self.min_trigger_interval = interval;
        self
    }

    /// The first cron tick strictly after `t`.
    fn cron_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron
            .after(&t.with_timezone(&self.tz))
            .next()
            .map(|d| d.with_timezone(&Utc))
    }

    /// The next run: when, and why. `None` when nothing is scheduled (a cron expression with
    /// no future tick and nothing else pending).
    pub fn next_due(&self) -> Option<(DateTime<Utc>, Trigger)> {
        if let Some(t) = self.immediate {
            return Some((DateTime::<Utc>::MIN_UTC, t));
        }
        if self.quarantined {
            return self.retry_at.map(|t| (t, Trigger::Retry));
        }
        // An external trigger waits for the debounce window, for the minimum interval since the
        // last run it caused, and for the back-off while runs are failing (a webhook never
        // hammers a failing HR store or Okta).
        let trigger_due = self.trigger_first.map(|t| {
            let mut due = t + self.debounce;
            if let Some(last) = self.last_trigger_run
                && let Ok(gap) = chrono::Duration::from_std(self.min_trigger_interval)
            {
                due = due.max(last + gap);
            }
            if self.consecutive_failures > 0
                && let Some(retry) = self.retry_at
            {
                due = due.max(retry);
            }
            due
        });
        [
            (self.next_cron, Trigger::Cron),
            (self.wakeup, Trigger::Wakeup),
            (self.retry_at, Trigger::Retry),
            (trigger_due, Trigger::External),
        ]
        .into_iter()
        .filter_map(|(at, why)| at.map(|at| (at, why)))
        .min_by_key(|&(at, why)| (at, why))
    }

    /// An external trigger arrived at `now` (webhook, operator). Triggers within the debounce
    /// window of the first pending one are merged into one run.
    pub fn on_trigger(&mut self, now: DateTime<Utc>) {
        if self.trigger_first.is_none() {
            self.trigger_first = Some(now);
        }
        self.triggers_merged += 1;
    }

    /// The configuration was reloaded successfully: if runs were failing, retry at once
    /// rather than wait for the back-off (the reload may be the fix).
    pub fn on_reload_ok(&mut self) {
        if self.quarantined || self.consecutive_failures > 0 {
            self.immediate = Some(Trigger::Reload);
        }
    }

    /// A reload changed `[schedule]` at `now`: the cron expression, zone and back-off ceiling
    /// are replaced and the next cron tick is recomputed from `now`. Pending wake-ups,
    /// retries and triggers stay as they are.
    pub fn reschedule(&mut self, schedule: &ScheduleConfig, now: DateTime<Utc>) {
        self.cron = schedule.cron.schedule().clone();
        self.tz = schedule.timezone;
        self.max_backoff = schedule.max_backoff.max(Duration::from_secs(1));
        self.next_cron = self.cron_after(now);
    }

    /// This instance took the leader lease at `now` after waiting as a standby: run at once
    /// (the previous leader may have stopped mid-run). Cron ticks that passed while it was a
    /// standby were the leader's; they are not missed ticks of this instance.
    pub fn on_takeover(&mut self, now: DateTime<Utc>) {
        self.immediate = Some(Trigger::Takeover);
        self.next_cron = self.cron_after(now);
    }

    /// Records a run that started at `start` and ended at `end`.
    pub fn record_run(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        summary: &RunSummary,
    ) -> RunRecord {
        self.immediate = None;
        let mut triggers_served = 0;
        if self.trigger_first.is_some_and(|t| t <= start) {
            // The run read fresh data after these triggers arrived: they are served.
            self.trigger_first = None;
            triggers_served = std::mem::take(&mut self.triggers_merged);
            self.last_trigger_run = Some(start);
        }
        let missed_ticks = self.skip_ticks(start, end);

        let mut stale_wakeup = None;
        match summary.next_wakeup {
            Some(w) if w > start => self.wakeup = Some(w),
            Some(w) => {
                stale_wakeup = Some(w);
                self.wakeup = None;
            }
            // A failed run usually never got to plan; keep the last plan's wake-up if it is
            // still ahead.
            None if summary.outcome.is_failure() => self.wakeup = self.wakeup.filter(|&w| w > end),
            None => self.wakeup = None,
        }

        let was_quarantined = self.quarantined;
        let mut backoff = None;
        match &summary.outcome {
            RunStatus::Fatal => {
                self.consecutive_failures = self.consecutive_failures.saturating_add(1);
                self.quarantined = true;
                backoff = Some(self.max_backoff);
            }
            RunStatus::Failed => {
                self.consecutive_failures = self.consecutive_failures.saturating_add(1);
                backoff = Some(if self.quarantined {
                    self.max_backoff
                } else {
                    backoff_delay(self.consecutive_failures, self.max_backoff)
                });
            }
            _ => {
                self.consecutive_failures = 0;
                self.quarantined = false;
            }
        }
        self.retry_at = backoff.and_then(|d| chrono::Duration::from_std(d).ok().map(|d| end + d));
        RunRecord {
            missed_ticks,
            backoff,
            entered_quarantine: self.quarantined && !was_quarantined,
            left_quarantine: was_quarantined && !self.quarantined,
            stale_wakeup,
            triggers_served,
        }
    }

    /// Advances the cron cursor past `end`, returning how many ticks were skipped: every tick
    /// up to `end`, except the one (if any) that was due when the run started and that the
    /// run served.
    fn skip_ticks(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) -> u64 {
        let Some(first) = self.next_cron else {
            return 0;
        };
        let mut passed = 0u64;
        if first <= end {
            passed = 1;
            let mut it = self.cron.after(&first.with_timezone(&self.tz));
            while passed < MISSED_TICKS_CAP {
                match it.next() {
                    Some(t) if t.with_timezone(&Utc) <= end => passed += 1,
                    _ => break,
                }
            }
        }
        self.next_cron = self.cron_after(end);
        let served = u64::from(first <= start);
        passed.saturating_sub(served)
    }

    /// Whether the daemon is quarantined.
    pub fn quarantined(&self) -> bool {
        self.quarantined
    }

    /// Failed or fatal runs in a row.
    pub fn consecutive_failures(&self) -> u32 {
        self.consecutive_failures
    }
}

/// The next `n` cron ticks after `now`, in the schedule's zone (for `hrsync check`, so a
/// wrong expression, weekday numbering or zone shows before the daemon runs).
pub fn upcoming(schedule: &ScheduleConfig, now: DateTime<Utc>, n: usize) -> Vec<DateTime<Tz>> {
    schedule
        .cron
        .after(&now.with_timezone(&schedule.timezone))
        .take(n)
        .collect()
}

/// The back-off after `failures` failed runs in a row: 1, 2, 4 … seconds, at most `max`.
pub fn backoff_delay(failures: u32, max: Duration) -> Duration {
    let exp = failures.saturating_sub(1);
    1u64.checked_shl(exp)
        .filter(|&s| s <= max.as_secs())
        .map(Duration::from_secs)
        .unwrap_or(max)
}

#[cfg(test)]
mod tests;
