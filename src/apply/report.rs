//! What apply did: one outcome per action.

use super::Outcome;
use crate::okta;
use crate::plan::PlannedAction;
use serde::Serialize;

/// The outcome of one planned action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionOutcome {
    /// The action.
    #[serde(flatten)]
    pub action: PlannedAction,
    /// What happened.
    pub outcome: Outcome,
}

/// Everything apply did, in plan order.
#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    /// One entry per planned action.
    pub outcomes: Vec<ActionOutcome>,
    /// The fatal error that stopped the run, if any.
    pub fatal: Option<okta::Error>,
    /// True when a shutdown request stopped the run early.
    pub interrupted: bool,
    /// Why the run stopped writing because this instance lost the leader lease, if it did
    /// (the actions it did not start are skipped; the new leader's run does them).
    pub deposed: Option<String>,
    /// Employees whose create Okta refused because another user already holds their value of
    /// the (unique) anchor attribute: identity conflicts, never retried under another login.
    pub anchor_conflicts: Vec<crate::model::EmployeeId>,
    /// The users Okta answered to this run's creates and profile updates, as it answered them
    /// (the Okta cache takes them in).
    pub answers: Vec<crate::model::OktaUser>,
}

impl ApplyReport {
    /// Actions that reached Okta successfully.
    pub fn applied(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.outcome, Outcome::Applied { .. }))
            .count()
    }

    /// Actions that failed.
    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.outcome, Outcome::Failed { .. }))
            .count()
    }

    /// Actions not attempted.
    pub fn skipped(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.outcome, Outcome::Skipped { .. }))
            .count()
    }
}
