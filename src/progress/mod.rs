//! How far a run has got, as counters a renderer can read at any time: the HR read (records),
//! the Okta listing (pages, users so far), planning (actions planned) and the apply (actions
//! done out of the total, by kind and outcome).
//!
//! The pipeline reports into a [`Progress`] handle (`sync`, `okta::OktaRead::list_users_with`,
//! `apply`); the CLI's renderers (`cli::progress`) read [`Progress::snapshot`] on a timer.
//! Reporting is a few relaxed atomic operations: it never blocks, allocates, reads the clock
//! or does I/O, and a disabled handle (the default) does nothing at all. This module must not
//! render, print or know about terminals.

use crate::plan::ActionKind;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

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
    fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Running,
            2 => Self::Finished,
            3 => Self::Failed,
            _ => Self::Pending,
        }
    }

    fn as_u8(self) -> u8 {
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

/// Every figure at one moment (each read on its own: a total may be a step ahead of a count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Reading the HR store.
    pub hr: Stage,
    /// Valid records read (known when the read ends).
    pub records: u64,
    /// Records the source refused.
    pub rejected: u64,
    /// Listing Okta's users.
    pub okta: Stage,
    /// Listing pages read so far (both listings: everyone, then the deactivated).
    pub pages: u64,
    /// Distinct users read so far.
    pub users: u64,
    /// Guarding, recovering linked users, planning, limiting.
    pub planning: Stage,
    /// Actions planned (known when planning ends).
    pub planned: u64,
    /// Applying the plan.
    pub applying: Stage,
    /// Actions the apply will work through.
    pub total: u64,
    /// What the apply has done so far.
    pub tally: Tally,
}

#[derive(Debug, Default)]
struct Counters {
    hr: AtomicU8,
    records: AtomicU64,
    rejected: AtomicU64,
    okta: AtomicU8,
    pages: AtomicU64,
    users: AtomicU64,
    planning: AtomicU8,
    planned: AtomicU64,
    applying: AtomicU8,
    total: AtomicU64,
    /// [`Tally`]'s fields, in its order.
    tally: [AtomicU64; 8],
}

/// A run's progress: a cheap, clonable handle shared by the pipeline (which reports) and a
/// renderer (which reads). [`Progress::default`] is disabled: it records nothing and every
/// snapshot is empty.
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<Arc<Counters>>);

impl Progress {
    /// A handle that records.
    pub fn enabled() -> Self {
        Self(Some(Arc::default()))
    }

    /// True when this handle records (a renderer has something to show).
    pub fn is_enabled(&self) -> bool {
        self.0.is_some()
    }

    fn with(&self, f: impl FnOnce(&Counters)) {
        if let Some(c) = &self.0 {
            f(c);
        }
    }

    fn stage(slot: &AtomicU8, stage: Stage) {
        slot.store(stage.as_u8(), Ordering::Relaxed);
    }

    /// The HR read has begun.
    pub fn hr_started(&self) {
        self.with(|c| Self::stage(&c.hr, Stage::Running));
    }

    /// The HR read ended with `records` valid records and `rejected` refused ones.
    pub fn hr_finished(&self, records: usize, rejected: usize) {
        self.with(|c| {
            c.records.store(records as u64, Ordering::Relaxed);
            c.rejected.store(rejected as u64, Ordering::Relaxed);
            Self::stage(&c.hr, Stage::Finished);
        });
    }

    /// The HR read failed.
    pub fn hr_failed(&self) {
        self.with(|c| Self::stage(&c.hr, Stage::Failed));
    }

    /// The Okta listing has begun.
    pub fn okta_started(&self) {
        self.with(|c| Self::stage(&c.okta, Stage::Running));
    }

    /// One more listing page was read; `users` distinct users are known so far.
    pub fn okta_page(&self, users: usize) {
        self.with(|c| {
            c.pages.fetch_add(1, Ordering::Relaxed);
            c.users.store(users as u64, Ordering::Relaxed);
        });
    }

    /// The Okta listing ended with `users` distinct users.
    pub fn okta_finished(&self, users: usize) {
        self.with(|c| {
            c.users.store(users as u64, Ordering::Relaxed);
            Self::stage(&c.okta, Stage::Finished);
        });
    }

    /// The Okta listing failed.
    pub fn okta_failed(&self) {
        self.with(|c| Self::stage(&c.okta, Stage::Failed));
    }

    /// Planning (guards, linked users, the planner, limits) has begun.
    pub fn planning_started(&self) {
        self.with(|c| Self::stage(&c.planning, Stage::Running));
    }

    /// Planning ended with `actions` actions to apply.
    pub fn planning_finished(&self, actions: usize) {
        self.with(|c| {
            c.planned.store(actions as u64, Ordering::Relaxed);
            Self::stage(&c.planning, Stage::Finished);
        });
    }

    /// The run stopped with an error: every phase still running is marked failed (phases
    /// that never began stay pending).
    pub fn abandon(&self) {
        self.with(|c| {
            for slot in [&c.hr, &c.okta, &c.planning, &c.applying] {
                let _ = slot.compare_exchange(
                    Stage::Running.as_u8(),
                    Stage::Failed.as_u8(),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
        });
    }

    /// The apply of `total` actions has begun.
    pub fn applying_started(&self, total: usize) {
        self.with(|c| {
            c.total.store(total as u64, Ordering::Relaxed);
            Self::stage(&c.applying, Stage::Running);
        });
    }

    /// One action has finished.
    pub fn action_finished(&self, how: Finished) {
        let slot = match how {
            Finished::Applied(ActionKind::Create) => 0,
            Finished::Applied(ActionKind::Update) => 1,
            Finished::Applied(ActionKind::Activate) => 2,
            Finished::Applied(ActionKind::Unsuspend) => 3,
            Finished::Applied(ActionKind::Deactivate) => 4,
            Finished::Applied(ActionKind::Suspend) => 5,
            Finished::Failed => 6,
            Finished::Skipped => 7,
        };
        self.with(|c| {
            c.tally[slot].fetch_add(1, Ordering::Relaxed);
        });
    }

    /// The apply has ended (`ok` false: it stopped with an error, such as the journal's).
    pub fn applying_finished(&self, ok: bool) {
        let stage = if ok { Stage::Finished } else { Stage::Failed };
        self.with(|c| Self::stage(&c.applying, stage));
    }

    /// Every figure now; all zero and pending for a disabled handle.
    pub fn snapshot(&self) -> Snapshot {
        let Some(c) = &self.0 else {
            return Snapshot::default();
        };
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let stage = |a: &AtomicU8| Stage::from_u8(a.load(Ordering::Relaxed));
        let t = |i: usize| get(&c.tally[i]);
        Snapshot {
            hr: stage(&c.hr),
            records: get(&c.records),
            rejected: get(&c.rejected),
            okta: stage(&c.okta),
            pages: get(&c.pages),
            users: get(&c.users),
            planning: stage(&c.planning),
            planned: get(&c.planned),
            applying: stage(&c.applying),
            total: get(&c.total),
            tally: Tally {
                created: t(0),
                updated: t(1),
                activated: t(2),
                unsuspended: t(3),
                deactivated: t(4),
                suspended: t(5),
                failed: t(6),
                skipped: t(7),
            },
        }
    }
}

#[cfg(test)]
mod tests;
