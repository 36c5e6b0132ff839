//! What a renderer reads of a run's progress: the [`Phase`]s and their [`Stage`]s, the
//! apply's [`Tally`], and a [`Snapshot`] of every figure at one moment. Plain values: no
//! atomics, clock or I/O here (the handle that fills them is [`super::Progress`]).

use crate::plan::ActionKind;
use std::time::Duration;

/// The phases of a run, in the order they begin (the HR read and the Okta listing run at
/// the same time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the HR store.
    Hr,
    /// Listing Okta's users.
    Okta,
    /// Guards, linked users, the planner, limits.
    Planning,
    /// Applying the plan.
    Applying,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 4] = [Self::Hr, Self::Okta, Self::Planning, Self::Applying];

    /// This phase's place in [`Phase::ALL`] (and in [`Snapshot::phases`]).
    pub fn index(self) -> usize {
        match self {
            Self::Hr => 0,
            Self::Okta => 1,
            Self::Planning => 2,
            Self::Applying => 3,
        }
    }
}

/// Where one phase of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    /// Not begun (or not part of this run: a dry run never applies).
    #[default]
    Pending,
    /// Under way.
    Running,
    /// Ended successfully.
    Finished,
    /// Ended with an error (the run reports which).
    Failed,
}

impl Stage {
    /// The stage [`Stage::as_u8`] stored as `v`; pending for anything else.
    pub(super) fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Running,
            2 => Self::Finished,
            3 => Self::Failed,
            _ => Self::Pending,
        }
    }

    /// The stage as the handle's atomics store it.
    pub(super) fn as_u8(self) -> u8 {
        match self {
            Self::Pending => 0,
            Self::Running => 1,
            Self::Finished => 2,
            Self::Failed => 3,
        }
    }

    /// True once the phase has ended, well or not.
    pub fn is_over(self) -> bool {
        matches!(self, Self::Finished | Self::Failed)
    }
}

/// What the apply has done so far: applied actions by kind, then failed and skipped ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Users created.
    pub created: u64,
    /// Profiles updated.
    pub updated: u64,
    /// Users activated.
    pub activated: u64,
    /// Users unsuspended.
    pub unsuspended: u64,
    /// Users deactivated.
    pub deactivated: u64,
    /// Users suspended.
    pub suspended: u64,
    /// Actions Okta refused (or that could not be sent).
    pub failed: u64,
    /// Actions not sent (shutdown, an earlier fatal error, quarantine).
    pub skipped: u64,
}

impl Tally {
    /// Actions finished, whatever their outcome.
    pub fn done(&self) -> u64 {
        self.labelled()
            .iter()
            .fold(0u64, |sum, (_, n)| sum.saturating_add(*n))
    }

    /// `(label, count)` for every outcome, in the order lines show them.
    pub fn labelled(&self) -> [(&'static str, u64); 8] {
        [
            ("created", self.created),
            ("updated", self.updated),
            ("activated", self.activated),
            ("unsuspended", self.unsuspended),
            ("deactivated", self.deactivated),
            ("suspended", self.suspended),
            ("failed", self.failed),
            ("skipped", self.skipped),
        ]
    }
}

/// How one action ended, as far as progress cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// Okta applied it.
    Applied(ActionKind),
    /// Okta refused it, or it could not be sent.
    Failed,
    /// It was not sent.
    Skipped,
}

/// One phase at one moment: its stage, and when it began and ended (time since the handle
/// was made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhaseState {
    /// Where it stands.
    pub stage: Stage,
    /// When it began.
    pub began: Option<Duration>,
    /// When it ended (well or not).
    pub ended: Option<Duration>,
}

/// Every figure at one moment (each read on its own: a total may be a step ahead of a count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// When it was taken (time since the handle was made).
    pub at: Duration,
    /// Each phase, in [`Phase::ALL`]'s order.
    pub phases: [PhaseState; 4],
    /// Valid HR records read (known when the read ends).
    pub records: u64,
    /// HR records the source refused.
    pub rejected: u64,
    /// Okta listing pages read so far (both listings: everyone, then the deactivated).
    pub pages: u64,
    /// Distinct Okta users read so far.
    pub users: u64,
    /// Actions planned (known when planning ends).
    pub planned: u64,
    /// Actions the apply will work through.
    pub total: u64,
    /// What the apply has done so far.
    pub tally: Tally,
}

impl Snapshot {
    /// Where `phase` stands.
    pub fn stage(&self, phase: Phase) -> Stage {
        self.phases[phase.index()].stage
    }

    /// How long `phase` has run: to its end if it ended, else to [`Snapshot::at`]; zero
    /// before it began.
    pub fn elapsed(&self, phase: Phase) -> Duration {
        let state = &self.phases[phase.index()];
        match state.began {
            Some(began) => state.ended.unwrap_or(self.at).saturating_sub(began),
            None => Duration::ZERO,
        }
    }
}
