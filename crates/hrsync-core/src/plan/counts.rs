//! Per-kind counts of a plan, for summaries, metrics and tests. Pure.

use super::{Action, FindingKind, Plan};
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

impl Plan {
    /// Counts actions and findings by kind.
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts::default();
        for a in &self.actions {
            match a.action {
                Action::Create { .. } => c.create += 1,
                Action::Update { .. } => c.update += 1,
                Action::Activate => c.activate += 1,
                Action::Deactivate => c.deactivate += 1,
                Action::Suspend => c.suspend += 1,
                Action::Unsuspend => c.unsuspend += 1,
            }
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
