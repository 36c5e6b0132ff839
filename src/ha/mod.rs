//! Active/standby: instances sharing a PostgreSQL journal elect one leader through the
//! journal's lease row (see `journal::pg::lease`), and only the leader writes to Okta.
//!
//! - [`Leadership`]: this instance's view of the lease (the [`Role`] it publishes, the epoch
//!   it holds, how long it may still write) and the write gate the Okta client and apply
//!   consult before every write;
//! - [`keeper`]: the task that takes, renews and gives up the lease;
//! - [`Session`]: a process's share in it, from the first attempt to the release.
//!
//! The safety argument, in short: an action's intent is recorded only under an unexpired
//! lease of the run's epoch (checked by PostgreSQL in the same transaction), and the Okta call
//! is sent only while the local, monotonic write window of that epoch is open. The window
//! closes at three quarters of the lease after the renewal that opened it was *sent*, so it
//! closes before the server-side expiry (which counts from when the server *received* it): a
//! leader that cannot renew stops writing before a standby can take over. Okta itself cannot
//! check fencing tokens, so the remaining overlap (a request already on the wire when the
//! window closes) is covered by Okta's own guards: a duplicate login or unique anchor is
//! refused, and every run re-plans from live data.
//!
//! This module makes no Okta calls and plans nothing.

pub mod keeper;
mod leadership;
mod session;

pub use leadership::{Fence, Leadership, NotLeading, Role};
pub use session::Session;

/// This process's default lease holder name: `<hostname>/<pid>`.
pub fn default_holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_owned());
    format!("{host}/{}", std::process::id())
}
