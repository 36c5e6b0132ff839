//! Per-kind counts of a plan, for summaries, metrics and tests. Pure.

use super::{ActionKind, FindingKind, Plan};
use serde::Serialize;

/// How many actions and findings of each kind a plan holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanCounts {
    /// Users to create.
    pub create: usize,
    /// Profile updates.
    pub update: usize,
    /// Activations (new starters and rehires).
    pub activate: usize,
    /// Deactivations.
    pub deactivate: usize,
    /// Suspensions.
    pub suspend: usize,
    /// Unsuspensions.
    pub unsuspend: usize,
    /// Conflict findings.
    pub conflicts: usize,
    /// Skip findings.
    pub skips: usize,
    /// Orphan findings (reported only).
    pub orphans: usize,
    /// Destructive actions held back by a plan limit.
    pub held_back: usize,
}

impl PlanCounts {
    /// Counts one action of `kind`.
    pub fn add(&mut self, kind: ActionKind) {
        match kind {
            ActionKind::Create => self.create += 1,
            ActionKind::Update => self.update += 1,
            ActionKind::Activate => self.activate += 1,
            ActionKind::Deactivate => self.deactivate += 1,
            ActionKind::Suspend => self.suspend += 1,
            ActionKind::Unsuspend => self.unsuspend += 1,
        }
    }
}

impl Plan {
    /// Counts actions and findings by kind.
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts::default();
        for a in &self.actions {
            c.add(a.action.kind());
        }
        for f in &self.findings {
            match f.kind {
                FindingKind::Conflict => c.conflicts += 1,
                FindingKind::Skip => c.skips += 1,
                FindingKind::Orphan => c.orphans += 1,
                FindingKind::HeldBack => c.held_back += 1,
                FindingKind::Notice => {}
            }
        }
        c
    }
}

impl std::fmt::Display for PlanCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} create, {} update, {} activate, {} unsuspend, {} deactivate, {} suspend; {} conflicts, {} skips, {} orphans, {} held back",
            self.create,
            self.update,
            self.activate,
            self.unsuspend,
            self.deactivate,
            self.suspend,
            self.conflicts,
            self.skips,
            self.orphans,
            self.held_back
        )
    }
}
