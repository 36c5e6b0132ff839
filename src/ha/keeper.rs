//! The lease keeper: a task that takes the leader lease when it is free or expired, renews it
//! every third of the lease while it holds it, and gives it up on a clean stop, publishing
//! each change through [`Leadership`].
//!
//! It works on its own journal connection (so a queue of action records never delays a
//! renewal) and off the async threads (journal calls block). A renewal that fails or answers
//! late changes nothing by itself: the write window opened by the last good renewal closes on
//! time, so a leader cut off from the database stops writing before its lease can expire.
//! Taking the lease marks the runs a previous leader left `running` as interrupted (that
//! leader can no longer record anything). It must not decide anything about runs.

use super::Leadership;
use crate::journal::{Journal, JournalError, Lease};
use std::sync::Arc;
use tokio::sync::watch;
use tokio::time::Instant;

/// Runs the keeper until `stop` turns true, then releases the lease if it holds it.
/// `journal` must be a PostgreSQL journal (one with [`Journal::leases`]).
pub async fn keep(leadership: Arc<Leadership>, journal: Journal, mut stop: watch::Receiver<bool>) {
    let period = leadership.ttl() / 3;
    loop {
        tick(&leadership, &journal).await;
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            () = tokio::time::sleep(period) => {}
        }
    }
    if let Some(epoch) = leadership.held_epoch() {
        let holder = leadership.holder().to_owned();
        let released = journal
            .off_thread("the lease keeper", move |j| {
                leases(j)?.release(&holder, epoch)?;
                Ok(())
            })
            .await;
        leadership.standby(None);
        match released {
            Ok(()) => tracing::info!(epoch, "released the leader lease"),
            Err(e) => tracing::warn!(
                epoch,
                "could not release the leader lease; a standby takes over when it expires: {}",
                crate::errors::describe(&e)
            ),
        }
    }
}

/// One step: renew what is held, else try to take the lease.
pub async fn tick(leadership: &Arc<Leadership>, journal: &Journal) {
    let holder = leadership.holder().to_owned();
    let ttl = leadership.ttl();
    let sent = Instant::now();
    match leadership.held_epoch() {
        Some(epoch) => {
            let renewed = journal
                .off_thread("the lease keeper", {
                    let holder = holder.clone();
                    move |j| leases(j)?.renew(&holder, epoch, ttl)
                })
                .await;
            match renewed {
                Ok(true) => leadership.granted(epoch, sent),
                Ok(false) => {
                    tracing::error!(
                        epoch,
                        "lost the leader lease (it expired before it could be renewed); writing nothing more"
                    );
                    leadership.standby(current(journal).await);
                }
                Err(e) => {
                    let open = leadership.epoch_at(Instant::now()).is_some();
                    tracing::warn!(
                        epoch,
                        still_writing = open,
                        "cannot renew the leader lease: {}",
                        crate::errors::describe(&e)
                    );
                    if !open {
                        leadership.standby(None);
                    }
                }
            }
        }
        None => {
            let taken = journal
                .off_thread("the lease keeper", move |j| {
                    let Some(lease) = leases(j)?.acquire(&holder, ttl)? else {
                        return Ok(Err(leases(j)?.current()?));
                    };
                    let interrupted = j.mark_interrupted_runs()?;
                    Ok(Ok((lease, interrupted)))
                })
                .await;
            match taken {
                Ok(Ok((lease, interrupted))) => {
                    tracing::info!(
                        epoch = lease.epoch,
                        holder = %lease.holder,
                        interrupted_runs = interrupted,
                        "took the leader lease"
                    );
                    leadership.granted(lease.epoch, sent);
                }
                Ok(Err(other)) => leadership.standby(other.map(|l| (l.holder, l.epoch))),
                Err(e) => {
                    tracing::warn!(
                        "cannot read the leader lease: {}",
                        crate::errors::describe(&e)
                    );
                    leadership.standby(None);
                }
            }
        }
    }
}

/// Who holds the lease now, if it can be read.
async fn current(journal: &Journal) -> Option<(String, i64)> {
    journal
        .off_thread("the lease keeper", |j| leases(j)?.current())
        .await
        .ok()
        .flatten()
        .map(|l: Lease| (l.holder, l.epoch))
}

fn leases(journal: &Journal) -> Result<crate::journal::Leases<'_>, JournalError> {
    journal.leases().ok_or(JournalError::NotLeader { epoch: 0 })
}

#[cfg(test)]
mod tests;
