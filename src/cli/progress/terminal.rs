//! The progress display for a terminal: a spinner per phase as it begins (reading HR and
//! listing Okta side by side, the listing with its pages and users so far, then planning),
//! each left as a one-line summary when it ends, then the apply bar with the counts by
//! outcome, the rate and the ETA. Drawn on stderr with indicatif, from the same snapshots and
//! words as the plain log ([`super::figures`]). Must not be used off a terminal (indicatif
//! would draw nothing) and must not print to stdout.

use super::figures;
use super::timeline::{Timeline, Transition};
use crate::progress::{Phase, Snapshot, Stage};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Spinners and the apply bar on stderr.
pub struct Terminal {
    multi: MultiProgress,
    timeline: Timeline,
    /// The bars drawn so far, in [`Phase::ALL`]'s order (`None`: the phase has not begun).
    bars: [Option<ProgressBar>; 4],
    /// Log lines are written above this display (until it is dropped).
    logs_above: bool,
}

impl Default for Terminal {
    /// A display on stderr; log lines are written above it until it is dropped.
    fn default() -> Self {
        let mut display = Self::drawing_on(ProgressDrawTarget::stderr());
        crate::telemetry::log_above(Some(display.multi.clone()));
        display.logs_above = true;
        display
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if self.logs_above {
            crate::telemetry::log_above(None);
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Terminal {
    /// A display drawing on `target`, leaving log lines alone.
    pub fn drawing_on(target: ProgressDrawTarget) -> Self {
        Self {
            multi: MultiProgress::with_draw_target(target),
            timeline: Timeline::default(),
            bars: Default::default(),
            logs_above: false,
        }
    }

    /// Redraws from `snap`.
    pub fn frame(&mut self, snap: &Snapshot) {
        for transition in self.timeline.observe(snap) {
            match transition {
                Transition::Began(phase) => {
                    let bar = match phase {
                        Phase::Applying => ProgressBar::new(snap.total).with_style(style(
                            "{spinner:.green} applying [{bar:30.cyan/blue}] {msg}",
                        )),
                        _ => ProgressBar::new_spinner().with_style(style("{spinner:.green} {msg}")),
                    };
                    bar.set_message(figures::began(phase, snap));
                    self.bars[phase.index()] = Some(self.multi.add(bar));
                }
                Transition::Ended(phase) => {
                    if let Some(bar) = &self.bars[phase.index()] {
                        let mark = if snap.stage(phase) == Stage::Failed {
                            "✗"
                        } else {
                            "✓"
                        };
                        bar.set_style(style("{msg}"));
                        bar.finish_with_message(format!(
                            "{mark} {}",
                            figures::ended(phase, snap, snap.elapsed(phase))
                        ));
                    }
                }
            }
        }
        for phase in Phase::ALL {
            if snap.stage(phase) != Stage::Running {
                continue;
            }
            let Some(bar) = &self.bars[phase.index()] else {
                continue;
            };
            let elapsed = snap.elapsed(phase);
            match phase {
                Phase::Applying => {
                    bar.set_length(snap.total);
                    bar.set_position(snap.tally.done());
                    bar.set_message(figures::apply_figures(snap, elapsed));
                }
                _ => {
                    bar.set_message(figures::running(phase, snap, elapsed));
                    bar.tick();
                }
            }
        }
    }

    /// The run is over: a last frame, and any phase still drawn is left as it stands.
    pub fn finish(&mut self, snap: &Snapshot) {
        self.frame(snap);
        for bar in self.bars.iter().flatten() {
            if !bar.is_finished() {
                bar.abandon();
            }
        }
    }
}

#[cfg(test)]
mod tests;
