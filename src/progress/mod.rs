//! How far a run has got, as counters a renderer can read at any time: the HR read (records),
//! the Okta listing (pages, users so far), planning (actions planned) and the apply (actions
//! done out of the total, by kind and outcome).
//!
//! The pipeline reports into a [`Progress`] handle (`sync`, `okta::OktaRead::list_users_with`,
//! `apply`); the CLI's renderers (`cli::progress`) read [`Progress::snapshot`] on a timer and
//! are woken when a phase begins or ends. Reporting is a few relaxed atomic operations: it
//! never blocks, allocates or does I/O, and reads the monotonic clock only when a phase
//! begins or ends (never per action); a disabled handle (the default) does nothing at all.
//! This module must not render, print or know about terminals.

mod snapshot;

pub use snapshot::{Finished, Phase, PhaseState, Snapshot, Stage, Tally};

use crate::plan::ActionKind;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Counters {
    origin: Instant,
    /// Each phase's [`Stage`], in [`Phase::ALL`]'s order.
    stages: [AtomicU8; 4],
    /// When each phase began and ended: nanoseconds since `origin`, plus one (0: not yet).
    began: [AtomicU64; 4],
    ended: [AtomicU64; 4],
    records: AtomicU64,
    rejected: AtomicU64,
    pages: AtomicU64,
    users: AtomicU64,
    planned: AtomicU64,
    total: AtomicU64,
    /// [`Tally`]'s fields, in its order.
    tally: [AtomicU64; 8],
    /// Pokes the renderer when a phase begins or ends (never blocks: one pending poke is enough).
    wake: Option<mpsc::SyncSender<()>>,
}

impl Counters {
    fn new(wake: Option<mpsc::SyncSender<()>>) -> Self {
        Self {
            origin: Instant::now(),
            stages: Default::default(),
            began: Default::default(),
            ended: Default::default(),
            records: AtomicU64::default(),
            rejected: AtomicU64::default(),
            pages: AtomicU64::default(),
            users: AtomicU64::default(),
            planned: AtomicU64::default(),
            total: AtomicU64::default(),
            tally: Default::default(),
            wake,
        }
    }

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    /// Moves `phase` to `stage`, noting when, and pokes the renderer.
    fn set(&self, phase: Phase, stage: Stage) {
        let i = phase.index();
        let at = u64::try_from(self.now().as_nanos())
            .unwrap_or(u64::MAX - 1)
            .saturating_add(1);
        let slot = if stage.is_over() {
            &self.ended[i]
        } else {
            &self.began[i]
        };
        let _ = slot.compare_exchange(0, at, Ordering::Relaxed, Ordering::Relaxed);
        if stage.is_over() {
            // A phase that ends without having been seen to begin began when it ended.
            let _ = self.began[i].compare_exchange(0, at, Ordering::Relaxed, Ordering::Relaxed);
        }
        self.stages[i].store(stage.as_u8(), Ordering::Release);
        if let Some(wake) = &self.wake {
            let _ = wake.try_send(());
        }
    }
}

/// A run's progress: a cheap, clonable handle shared by the pipeline (which reports) and a
/// renderer (which reads). [`Progress::default`] is disabled: it records nothing and every
/// snapshot is empty.
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<Arc<Counters>>);

impl Progress {
    /// A handle that records.
    pub fn enabled() -> Self {
        Self(Some(Arc::new(Counters::new(None))))
    }

    /// A handle that records and pokes the returned receiver whenever a phase begins or ends
    /// (at most one poke waits; the sender never blocks), so a renderer can show it at once.
    pub fn watched() -> (Self, mpsc::Receiver<()>) {
        let (tx, rx) = mpsc::sync_channel(1);
        (Self(Some(Arc::new(Counters::new(Some(tx))))), rx)
    }

    /// Another sender of a [`Progress::watched`] handle's pokes (for its renderer's owner to
    /// wake it); `None` for other handles.
    pub fn waker(&self) -> Option<mpsc::SyncSender<()>> {
        self.0.as_ref().and_then(|c| c.wake.clone())
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

    /// The HR read has begun.
    pub fn hr_started(&self) {
        self.with(|c| c.set(Phase::Hr, Stage::Running));
    }

    /// The HR read ended with `records` valid records and `rejected` refused ones.
    pub fn hr_finished(&self, records: usize, rejected: usize) {
        self.with(|c| {
            c.records.store(records as u64, Ordering::Relaxed);
            c.rejected.store(rejected as u64, Ordering::Relaxed);
            c.set(Phase::Hr, Stage::Finished);
        });
    }

    /// The HR read failed.
    pub fn hr_failed(&self) {
        self.with(|c| c.set(Phase::Hr, Stage::Failed));
    }

    /// The Okta listing has begun.
    pub fn okta_started(&self) {
        self.with(|c| c.set(Phase::Okta, Stage::Running));
    }

    /// One more listing page was read, with `users` users on it (listings read side by side
    /// all add to one count; the end of the listing sets the exact number of distinct users).
    pub fn okta_page(&self, users: usize) {
        self.with(|c| {
            c.pages.fetch_add(1, Ordering::Relaxed);
            c.users.fetch_add(users as u64, Ordering::Relaxed);
        });
    }

    /// The Okta listing ended with `users` distinct users.
    pub fn okta_finished(&self, users: usize) {
        self.with(|c| {
            c.users.store(users as u64, Ordering::Relaxed);
            c.set(Phase::Okta, Stage::Finished);
        });
    }

    /// The Okta listing failed.
    pub fn okta_failed(&self) {
        self.with(|c| c.set(Phase::Okta, Stage::Failed));
    }

    /// Planning (guards, linked users, the planner, limits) has begun.
    pub fn planning_started(&self) {
        self.with(|c| c.set(Phase::Planning, Stage::Running));
    }

    /// Planning ended with `actions` actions to apply.
    pub fn planning_finished(&self, actions: usize) {
        self.with(|c| {
            c.planned.store(actions as u64, Ordering::Relaxed);
            c.set(Phase::Planning, Stage::Finished);
        });
    }

    /// The apply of `total` actions has begun.
    pub fn applying_started(&self, total: usize) {
        self.with(|c| {
            c.total.store(total as u64, Ordering::Relaxed);
            c.set(Phase::Applying, Stage::Running);
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
        self.with(|c| c.set(Phase::Applying, stage));
    }

    /// The run stopped with an error: every phase still running is marked failed (phases
    /// that never began stay pending).
    pub fn abandon(&self) {
        self.with(|c| {
            for phase in Phase::ALL {
                if Stage::from_u8(c.stages[phase.index()].load(Ordering::Acquire)) == Stage::Running
                {
                    c.set(phase, Stage::Failed);
                }
            }
        });
    }

    /// Every figure now; all zero and pending for a disabled handle.
    pub fn snapshot(&self) -> Snapshot {
        let Some(c) = &self.0 else {
            return Snapshot::default();
        };
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let time = |a: &AtomicU64| match get(a) {
            0 => None,
            n => Some(Duration::from_nanos(n - 1)),
        };
        // Stages first: a phase seen over has its figures in place.
        let phases = std::array::from_fn(|i| PhaseState {
            stage: Stage::from_u8(c.stages[i].load(Ordering::Acquire)),
            began: time(&c.began[i]),
            ended: time(&c.ended[i]),
        });
        let t = |i: usize| get(&c.tally[i]);
        Snapshot {
            at: c.now(),
            phases,
            records: get(&c.records),
            rejected: get(&c.rejected),
            pages: get(&c.pages),
            users: get(&c.users),
            planned: get(&c.planned),
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
