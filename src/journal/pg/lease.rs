//! The leader lease of a shared (PostgreSQL) journal: one row with the holder, an epoch that
//! only grows, and an expiry in the **server's** clock (so hosts' clocks do not matter).
//!
//! - [`PgJournal::acquire_lease`] takes the lease when it is free or expired, with the next
//!   epoch, in one statement (two standbys racing: exactly one wins);
//! - [`PgJournal::renew_lease`] extends it only for the same holder and epoch while it has
//!   not expired: a lease that lapsed is lost, never silently revived;
//! - [`PgJournal::record_intent_fenced`] records an action intent only if the epoch still
//!   holds an unexpired lease, in the same transaction (the row is locked `FOR SHARE`, so a
//!   takeover waits for the intent to commit): a deposed leader cannot record, hence cannot
//!   start, a new Okta write.
//!
//! It must not: use session advisory locks (lost silently behind poolers and on reconnects),
//! or trust a client clock.

use super::write::ensure_run_exists;
use super::{PgJournal, db_error};
use crate::journal::records::format_instant;
use crate::journal::write::changes_json;
use crate::journal::{ActionId, JournalError, RunId};
use crate::plan::PlannedAction;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// A lease as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Who holds it (a process's own name: host, pid and a random part).
    pub holder: String,
    /// The fencing token: every takeover makes it one larger.
    pub epoch: i64,
    /// When it lapses unless renewed (the server's clock).
    pub expires_at: DateTime<Utc>,
}

fn millis(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX)
}

fn lease_from(row: &postgres::Row, t: &crate::db::DbTarget) -> Result<Lease, JournalError> {
    Ok(Lease {
        holder: row.try_get(0).map_err(db_error(t))?,
        epoch: row.try_get(1).map_err(db_error(t))?,
        expires_at: row.try_get(2).map_err(db_error(t))?,
    })
}

impl PgJournal {
    /// Takes the lease for `holder` for `ttl` when nobody holds an unexpired one; `None`
    /// when someone does.
    pub(in crate::journal) fn acquire_lease(
        &self,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<Lease>, JournalError> {
        let (holder, ms) = (holder.to_owned(), millis(ttl));
        self.call(move |c, t| {
            let row = c
                .query_opt(
                    "INSERT INTO leader_lease AS l (id, holder, epoch, expires_at)
                     VALUES (1, $1, 1, now() + $2::bigint * interval '1 millisecond')
                     ON CONFLICT (id) DO UPDATE
                        SET holder = excluded.holder, epoch = l.epoch + 1,
                            expires_at = excluded.expires_at
                      WHERE l.expires_at <= now()
                     RETURNING holder, epoch, expires_at",
                    &[&holder, &ms],
                )
                .map_err(db_error(t))?;
            row.map(|r| lease_from(&r, t)).transpose()
        })
    }

    /// Extends the lease by `ttl` from now if `holder` still holds `epoch` unexpired; `false`
    /// when it was lost (expired, or taken over).
    pub(in crate::journal) fn renew_lease(
        &self,
        holder: &str,
        epoch: i64,
        ttl: Duration,
    ) -> Result<bool, JournalError> {
        let (holder, ms) = (holder.to_owned(), millis(ttl));
        self.call(move |c, t| {
            let n = c
                .execute(
                    "UPDATE leader_lease SET expires_at = now() + $3::bigint * interval '1 millisecond'
                      WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > now()",
                    &[&holder, &epoch, &ms],
                )
                .map_err(db_error(t))?;
            Ok(n == 1)
        })
    }

    /// Gives the lease up at once (a clean stop), if `holder` still holds `epoch`.
    pub(in crate::journal) fn release_lease(
        &self,
        holder: &str,
        epoch: i64,
    ) -> Result<(), JournalError> {
        let holder = holder.to_owned();
        self.call(move |c, t| {
            c.execute(
                "UPDATE leader_lease SET expires_at = now()
                  WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > now()",
                &[&holder, &epoch],
            )
            .map_err(db_error(t))?;
            Ok(())
        })
    }

    /// The lease row, if any (expired or not).
    pub(in crate::journal) fn lease(&self) -> Result<Option<Lease>, JournalError> {
        self.call(move |c, t| {
            let row = c
                .query_opt(
                    "SELECT holder, epoch, expires_at FROM leader_lease WHERE id = 1",
                    &[],
                )
                .map_err(db_error(t))?;
            row.map(|r| lease_from(&r, t)).transpose()
        })
    }

    /// [`PgJournal::record_intent`] under `epoch`: refused with [`JournalError::NotLeader`]
    /// unless `epoch` holds an unexpired lease, checked in the same transaction.
    pub(in crate::journal) fn record_intent_fenced(
        &self,
        run: RunId,
        action: &PlannedAction,
        epoch: i64,
    ) -> Result<ActionId, JournalError> {
        let changes = changes_json(&action.action)?;
        let employee = action.employee_id.as_ref().map(|e| e.as_str().to_owned());
        let okta = action.okta_id.as_ref().map(|o| o.as_str().to_owned());
        let login = action.login.clone();
        let kind = action.action.kind().as_str();
        let reason = action.reason.code();
        self.call(move |c, t| {
            let mut tx = c.transaction().map_err(db_error(t))?;
            let held = tx
                .query_opt(
                    "SELECT 1 FROM leader_lease
                      WHERE id = 1 AND epoch = $1 AND expires_at > now() FOR SHARE",
                    &[&epoch],
                )
                .map_err(db_error(t))?;
            if held.is_none() {
                return Err(JournalError::NotLeader { epoch });
            }
            ensure_run_exists(&mut tx, t, run)?;
            let row = tx
                .query_one(
                    "INSERT INTO actions (run_id, intended_at, employee_id, okta_id, login,
                                          kind, reason, changes, epoch)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        &run.0,
                        &format_instant(Utc::now()),
                        &employee,
                        &okta,
                        &login,
                        &kind,
                        &reason,
                        &changes,
                        &epoch,
                    ],
                )
                .map_err(db_error(t))?;
            let id = ActionId(row.try_get(0).map_err(db_error(t))?);
            tx.commit().map_err(db_error(t))?;
            Ok(id)
        })
    }
}

#[cfg(test)]
mod tests;

/// The leader lease of a shared journal ([`crate::journal::Journal::leases`]).
#[derive(Debug, Clone, Copy)]
pub struct Leases<'j>(pub(in crate::journal) &'j PgJournal);

impl Leases<'_> {
    /// Takes the lease for `holder` for `ttl` when it is free or expired (with the next
    /// epoch); `None` while another holder's lease runs.
    pub fn acquire(&self, holder: &str, ttl: Duration) -> Result<Option<Lease>, JournalError> {
        self.0.acquire_lease(holder, ttl)
    }

    /// Extends `holder`'s lease of `epoch` by `ttl` from now; `false` when it was lost.
    pub fn renew(&self, holder: &str, epoch: i64, ttl: Duration) -> Result<bool, JournalError> {
        self.0.renew_lease(holder, epoch, ttl)
    }

    /// Gives the lease up (a clean stop lets a standby take over at once).
    pub fn release(&self, holder: &str, epoch: i64) -> Result<(), JournalError> {
        self.0.release_lease(holder, epoch)
    }

    /// The lease as the journal holds it (expired or not).
    pub fn current(&self) -> Result<Option<Lease>, JournalError> {
        self.0.lease()
    }

    /// Records an action intent under `epoch`, refused ([`JournalError::NotLeader`]) unless
    /// that epoch holds an unexpired lease, checked in the same transaction.
    pub fn record_intent(
        &self,
        run: RunId,
        action: &PlannedAction,
        epoch: i64,
    ) -> Result<ActionId, JournalError> {
        self.0.record_intent_fenced(run, action, epoch)
    }
}
