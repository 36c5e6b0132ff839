//! The progress log for a stderr that is not a terminal (CI jobs, pipes, `ssh` without a tty):
//! one line when each phase begins and ends, a line for every phase under way each interval
//! (10 s by default), and an apply line each time another 5 % of the actions is done.
//!
//! [`PlainLog`] only decides which lines to write and what they say, from snapshots and the
//! times in them (so tests drive it with made-up ones); the caller writes them. Must not read
//! the clock, print or block.

use super::figures;
use super::timeline::{Timeline, Transition};
use crate::progress::{Phase, Snapshot, Stage};
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

    /// The lines to write for `snap` (taken no earlier than the previous one): phases begun
    /// and ended, then an apply line at a new 5 % step, then, when `interval` has passed
    /// without a line, one per phase under way.
    pub fn lines(&mut self, snap: &Snapshot) -> Vec<String> {
        let mut lines = Vec::new();
        for transition in self.timeline.observe(snap) {
            lines.push(match transition {
                Transition::Began(phase) => figures::began(phase, snap),
                Transition::Ended(phase) => figures::ended(phase, snap, snap.elapsed(phase)),
            });
        }
        let running = |phase: Phase| figures::running(phase, snap, snap.elapsed(phase));
        if snap.stage(Phase::Applying) == Stage::Running {
            let step = figures::percent(snap.tally.done(), snap.total) / STEP_PERCENT;
            if step > self.last_step {
                self.last_step = step;
                lines.push(running(Phase::Applying));
            }
        }
        if lines.is_empty() && snap.at.saturating_sub(self.last_line) >= self.interval {
            lines.extend(
                Phase::ALL
                    .into_iter()
                    .filter(|p| snap.stage(*p) == Stage::Running)
                    .map(running),
            );
        }
        if !lines.is_empty() {
            self.last_line = snap.at;
        }
        lines
    }
}

#[cfg(test)]
mod tests;
