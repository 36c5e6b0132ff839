//! This instance's view of the leader lease: the [`Role`] it publishes (for the daemon,
//! `/readyz`, `/metrics` and systemd), the epoch it holds and the monotonic instant until
//! which it may write. The [`keeper`](super::keeper) changes it; runs read it.
//!
//! It holds no I/O: every instant is passed in or read from tokio's monotonic clock.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// What this instance is, as the daemon and its endpoints see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// One instance on its own journal: it always leads (no lease).
    Single,
    /// It holds the lease with this epoch and runs syncs.
    Leader {
        /// The fencing token it holds.
        epoch: i64,
    },
    /// Another instance leads (or nobody yet): it runs nothing and waits to take over.
    Standby {
        /// The holder of the lease and its epoch, when known.
        leader: Option<(String, i64)>,
    },
}

impl Role {
    /// `single`, `leader` or `standby`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Leader { .. } => "leader",
            Self::Standby { .. } => "standby",
        }
    }

    /// Whether this instance may run syncs.
    pub fn may_run(&self) -> bool {
        !matches!(self, Self::Standby { .. })
    }

    /// The epoch this instance holds, or that the leader holds when it is a standby.
    pub fn epoch(&self) -> Option<i64> {
        match self {
            Self::Single => None,
            Self::Leader { epoch } => Some(*epoch),
            Self::Standby { leader } => leader.as_ref().map(|(_, e)| *e),
        }
    }

    /// One line for systemd's `STATUS=` and logs.
    pub fn describe(&self) -> String {
        match self {
            Self::Single => "single instance".to_owned(),
            Self::Leader { epoch } => format!("leader (lease epoch {epoch})"),
            Self::Standby {
                leader: Some((holder, epoch)),
            } => {
                format!("standby: {holder} leads (lease epoch {epoch})")
            }
            Self::Standby { leader: None } => "standby: waiting for the lease".to_owned(),
        }
    }
}

/// Why a write was refused by the gate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotLeading {
    /// The run's epoch is no longer the one this instance holds (it lost the lease, maybe
    /// took a new one since).
    #[error(
        "this instance no longer holds the leader lease of epoch {epoch}; it writes nothing more to Okta (the leader finishes the work)"
    )]
    Lost {
        /// The run's epoch.
        epoch: i64,
    },
    /// The lease was not renewed in time: the write window closed before the lease could
    /// expire at the journal.
    #[error(
        "the leader lease of epoch {epoch} was not renewed in time; stopped writing to Okta before it could expire"
    )]
    Lapsed {
        /// The run's epoch.
        epoch: i64,
    },
}

#[derive(Debug, Default)]
struct State {
    /// The epoch held and the end of its write window.
    held: Option<(i64, Instant)>,
}

/// The lease as this instance holds it. Shared (`Arc`) by the keeper, the runner, the Okta
/// client's write gate and apply.
#[derive(Debug)]
pub struct Leadership {
    holder: String,
    ttl: Duration,
    state: Mutex<State>,
    role: watch::Sender<Role>,
}

impl Leadership {
    /// A standby named `holder` with leases of `ttl`.
    pub fn new(holder: impl Into<String>, ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            holder: holder.into(),
            ttl,
            state: Mutex::new(State::default()),
            role: watch::Sender::new(Role::Standby { leader: None }),
        })
    }

    /// The holder name this instance writes into the lease.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// The lease duration.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// How long after a renewal was sent the write window stays open: three quarters of the
    /// lease (renewals come every third, so one lost renewal does not close it).
    pub fn write_window(&self) -> Duration {
        self.ttl.mul_f64(0.75)
    }

    /// The role as it changes.
    pub fn subscribe(&self) -> watch::Receiver<Role> {
        self.role.subscribe()
    }

    /// The current role.
    pub fn role(&self) -> Role {
        self.role.borrow().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The journal granted (or renewed) `epoch` in answer to a request sent at `sent`.
    pub fn granted(&self, epoch: i64, sent: Instant) {
        let until = sent + self.write_window();
        self.lock().held = Some((epoch, until));
        self.role.send_if_modified(|r| {
            let new = Role::Leader { epoch };
            let changed = *r != new;
            *r = new;
            changed
        });
    }

    /// The lease is not (or no longer) this instance's; `leader` is who holds it, if known.
    pub fn standby(&self, leader: Option<(String, i64)>) {
        self.lock().held = None;
        self.role.send_if_modified(|r| {
            let new = Role::Standby { leader };
            let changed = *r != new;
            *r = new;
            changed
        });
    }

    /// The epoch this instance believes it holds, write window open or not (the keeper
    /// renews it while the journal still has it unexpired).
    pub fn held_epoch(&self) -> Option<i64> {
        self.lock().held.map(|(epoch, _)| epoch)
    }

    /// The epoch held, if its write window is still open at `now`.
    pub fn epoch_at(&self, now: Instant) -> Option<i64> {
        self.lock()
            .held
            .and_then(|(epoch, until)| (now < until).then_some(epoch))
    }

    /// Whether a write of a run under `epoch` may be sent at `now`.
    pub fn check_at(&self, epoch: i64, now: Instant) -> Result<(), NotLeading> {
        match self.lock().held {
            Some((held, until)) if held == epoch && now < until => Ok(()),
            Some((held, _)) if held == epoch => Err(NotLeading::Lapsed { epoch }),
            _ => Err(NotLeading::Lost { epoch }),
        }
    }

    /// The fence a run starting now works under, or `None` when this instance does not lead
    /// (or its write window already closed).
    pub fn fence(self: &Arc<Self>) -> Option<Fence> {
        let epoch = self.epoch_at(Instant::now())?;
        Some(Fence {
            leadership: Arc::clone(self),
            epoch,
        })
    }
}

/// A run's right to write: the epoch it started under. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Fence {
    leadership: Arc<Leadership>,
    epoch: i64,
}

impl Fence {
    /// The epoch the run works under (the journal checks it with every intent).
    pub fn epoch(&self) -> i64 {
        self.epoch
    }

    /// Whether a write may be sent now.
    pub fn check(&self) -> Result<(), NotLeading> {
        self.leadership.check_at(self.epoch, Instant::now())
    }
}

/// The Okta client asks the fence before every write attempt, retries included.
impl crate::okta::WriteGate for Fence {
    fn may_write(&self) -> Result<(), String> {
        self.check().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests;
