//! The progress log for a stderr that is not a terminal (CI jobs, pipes, `ssh` without a tty):
//! one line when each phase begins and ends, a line for every phase under way each interval
//! (10 s by default), and an apply line each time another 5 % of the actions is done.
//!
//! [`PlainLog`] only decides which lines to write and what they say, from snapshots and the
//! times they were taken (passed in, so tests drive it with a made-up clock); the caller
//! writes them. Must not read the clock, print or block.

use super::figures;
use super::timeline::{Phase, Timeline, Transition};
use crate::progress::{Snapshot, Stage};
use std::time::Duration;

/// An apply line is written each time this many more percent of the actions are done.
pub const STEP_PERCENT: u64 = 5;

/// Which progress lines to write, and when.
#[derive(Debug, Clone)]
pub struct PlainLog {
    interval: Duration,
    timeline: Timeline,
    /// When the last line was written.
    last_line: Duration,
    /// The [`STEP_PERCENT`] step of the last apply line (0 before any).
    last_step: u64,
}

impl PlainLog {
    /// A log writing a status line for the phases under way every `interval` without
    /// another line.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            timeline: Timeline::default(),
            last_line: Duration::ZERO,
            last_step: 0,
        }
    }

    /// The lines to write for `snap`, taken at `now` (time since rendering began; never
    /// earlier than the previous call's): phases begun and ended, then an apply line at a
    /// new 5 % step, then, when `interval` has passed without a line, one per phase under way.
    pub fn lines(&mut self, snap: &Snapshot, now: Duration) -> Vec<String> {
        let mut lines = Vec::new();
        for transition in self.timeline.observe(snap, now) {
            lines.push(match transition {
                Transition::Began(phase) => figures::began(phase, snap),
                Transition::Ended(phase) => {
                    figures::ended(phase, snap, self.timeline.elapsed(phase, now))
                }
            });
        }
        if snap.applying == Stage::Running {
            let step = figures::percent(snap.tally.done(), snap.total) / STEP_PERCENT;
            if step > self.last_step {
                self.last_step = step;
                lines.push(self.running(Phase::Applying, snap, now));
            }
        }
        if lines.is_empty() && now.saturating_sub(self.last_line) >= self.interval {
            lines.extend(
                Phase::ALL
                    .into_iter()
                    .filter(|p| p.stage(snap) == Stage::Running)
                    .map(|p| self.running(p, snap, now)),
            );
        }
        if !lines.is_empty() {
            self.last_line = now;
        }
        lines
    }

    fn running(&self, phase: Phase, snap: &Snapshot, now: Duration) -> String {
        figures::running(phase, snap, self.timeline.elapsed(phase, now))
    }
}

#[cfg(test)]
mod tests;
