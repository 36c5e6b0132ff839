//! Which phase beginnings and ends a renderer has already shown: fed snapshots, it answers
//! the phases that began or ended since the last one, each exactly once. Pure: the times
//! are the snapshot's own, so tests drive it with made-up ones. Must not read the clock or
//! print.

use crate::progress::{Phase, Snapshot, Stage};

/// A phase that began or ended between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The phase was seen under way (or already over) for the first time.
    Began(Phase),
    /// The phase was seen over for the first time.
    Ended(Phase),
}

/// The beginnings and ends shown so far.
#[derive(Debug, Default, Clone)]
pub struct Timeline {
    began: [bool; 4],
    ended: [bool; 4],
}

impl Timeline {
    /// What `snap` shows begun or ended for the first time, in phase order, each phase's
    /// beginning before its end (a phase that began and ended between two snapshots yields
    /// both).
    pub fn observe(&mut self, snap: &Snapshot) -> Vec<Transition> {
        let mut seen = Vec::new();
        for phase in Phase::ALL {
            let stage = snap.stage(phase);
            let i = phase.index();
            if stage != Stage::Pending && !self.began[i] {
                self.began[i] = true;
                seen.push(Transition::Began(phase));
            }
            if stage.is_over() && !self.ended[i] {
                self.ended[i] = true;
                seen.push(Transition::Ended(phase));
            }
        }
        seen
    }
}
