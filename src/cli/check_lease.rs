//! `hrsync check`'s line about the leader lease of a shared (PostgreSQL) journal: who holds
//! it, with which epoch and until when, so an operator sees which instance of an
//! active/standby pair is running syncs. Reads the lease row only; changes nothing.

use crate::config::Config;
use crate::journal::Journal;
use chrono::{DateTime, Utc};

/// `held by hrsync-a/812 (epoch 4) until 12:00:05 UTC`, `expired: …` or `never taken` for
/// a shared journal; `None` for an SQLite journal (one instance, no lease).
pub(super) fn leader_lease(c: &Config, now: DateTime<Utc>) -> Option<String> {
    c.journal.url.as_ref()?;
    let journal = match Journal::from_config_read_only(&c.journal) {
        Ok(j) => j,
        Err(e) => return Some(format!("unknown: {}", crate::errors::describe(&e))),
    };
    let current = journal.leases()?.current();
    Some(match current {
        Ok(None) => "never taken: no instance has run yet".to_owned(),
        Ok(Some(lease)) => {
            let until = lease.expires_at.format("%Y-%m-%d %H:%M:%S UTC");
            if lease.expires_at > now {
                format!(
                    "held by {} (epoch {}) until {until}: that instance runs the syncs",
                    lease.holder, lease.epoch
                )
            } else {
                format!(
                    "expired at {until} (last held by {}, epoch {}): the next instance to try takes it",
                    lease.holder, lease.epoch
                )
            }
        }
        Err(e) => format!("unknown: {}", crate::errors::describe(&e)),
    })
}
