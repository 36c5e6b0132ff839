//! When each phase of a run was seen to begin and end, on the renderer's clock: a renderer
//! feeds it snapshots with the time it took them and gets the phases that began or ended
//! since the last one. Pure: the caller passes the time (a [`Duration`] since rendering
//! began), so tests drive it with a made-up clock. Must not read the clock or print.

use crate::progress::{Snapshot, Stage};
use std::time::Duration;

/// The phases of a run, in the order they begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the HR store.
    Hr,
    /// Listing Okta's users (at the same time as the HR read).
    Okta,
    /// Guards, linked users, the planner, limits.
    Planning,
    /// Applying the plan.
    Applying,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 4] = [Self::Hr, Self::Okta, Self::Planning, Self::Applying];

    /// This phase's stage in `snap`.
    pub fn stage(self, snap: &Snapshot) -> Stage {
        match self {
            Self::Hr => snap.hr,
            Self::Okta => snap.okta,
            Self::Planning => snap.planning,
            Self::Applying => snap.applying,
        }
    }

    /// This phase's place in [`Phase::ALL`].
    pub fn index(self) -> usize {
        match self {
            Self::Hr => 0,
            Self::Okta => 1,
            Self::Planning => 2,
            Self::Applying => 3,
        }
    }
}

/// A phase that began or ended between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The phase was seen under way (or already over) for the first time.
    Began(Phase),
    /// The phase was seen over for the first time.
    Ended(Phase),
}

/// The times phases were seen to begin and end.
#[derive(Debug, Default, Clone)]
pub struct Timeline {
    began: [Option<Duration>; 4],
    ended: [Option<Duration>; 4],
}

impl Timeline {
    /// Notes what `snap`, taken at `now`, shows begun or ended for the first time, and returns
    /// it in phase order, each phase's beginning before its end. A phase that began and
    /// ended between two snapshots yields both, with no time between them.
    pub fn observe(&mut self, snap: &Snapshot, now: Duration) -> Vec<Transition> {
        let mut seen = Vec::new();
        for phase in Phase::ALL {
            let stage = phase.stage(snap);
            let i = phase.index();
            if stage != Stage::Pending && self.began[i].is_none() {
                self.began[i] = Some(now);
                seen.push(Transition::Began(phase));
            }
            if stage.is_over() && self.ended[i].is_none() {
                self.ended[i] = Some(now);
                seen.push(Transition::Ended(phase));
            }
        }
        seen
    }

    /// How long `phase` has run: to its end if it ended, else to `now`; zero before it began.
    pub fn elapsed(&self, phase: Phase, now: Duration) -> Duration {
        let i = phase.index();
        match self.began[i] {
            Some(began) => self.ended[i].unwrap_or(now).saturating_sub(began),
            None => Duration::ZERO,
        }
    }
}
