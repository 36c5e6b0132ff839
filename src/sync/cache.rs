//! The Okta cache's side of a run: what a run read is saved (a full pass refills the cache
//! page by page as it lists, [`Refiller`]; an incremental read updates the users it listed;
//! listings are merged into it by [`crate::okta::merge_newer`], the later `lastUpdated`
//! winning), and the answers of hrsync's own writes are turned into the cache's changes.
//! Writes only the journal's cache; decides nothing about users.

use super::SyncError;
use super::reads::UsersRead;
use crate::journal::{CacheHeader, CacheUpdate, Journal, JournalError};
use crate::model::{OktaUser, OktaUserId, UserStatus};
use crate::plan::Action;
use std::collections::{BTreeSet, HashMap};

/// Reduces a user to the attributes the planner reads.
pub(super) fn reduce(mut user: OktaUser, keep: &BTreeSet<String>) -> OktaUser {
    user.profile.retain(|k| keep.contains(k));
    user
}

/// Saves what a run read to the cache, after a full pass's listing was written by its
/// refill ([`Refiller`]; await [`UsersRead::writing`] first): the users read by id or login
/// since (a full pass) or the users listed and those read since (an incremental read), and
/// the header. Nothing for dry runs.
pub(super) fn save_read(journal: &Journal, read: &UsersRead) -> Result<(), SyncError> {
    let Some(header) = &read.header else {
        return Ok(());
    };
    journal.update_okta_cache(
        header,
        &CacheUpdate {
            upserts: read.changed.clone(),
            removals: Vec::new(),
        },
    )?;
    Ok(())
}

/// A full pass's write of its listing to the cache, on a blocking thread.
pub(super) type Writing = tokio::task::JoinHandle<Result<(), JournalError>>;

/// About the most users one transaction writes: the pages that arrived while the last was
/// written go together, up to this many.
const ROWS_PER_WRITE: usize = 2_000;

/// A full pass's listing on its way into the cache (a journal refill, see
/// [`crate::journal::CacheRefill`]): each page, as it is read, goes to a blocking thread that
/// writes it while the listing goes on, so the write hides in the time the listing waits on
/// Okta; [`Refiller::finish`] hands over the header and the thread drops the users the
/// listing did not return and writes it. Without a header (the listing failed) the cache
/// stays marked as wanting a full pass.
pub(super) struct Refiller {
    pages: tokio::sync::mpsc::UnboundedSender<Refill>,
    task: Writing,
}

/// What the listing sends the writing thread.
enum Refill {
    /// A page, as read (reduced).
    Page(Vec<OktaUser>),
    /// The listing is complete: finish the refill with this header.
    Finish(CacheHeader),
}

impl Refiller {
    /// Begins the refill on a blocking thread.
    pub(super) fn start(journal: &Journal) -> Self {
        let (pages, mut received) = tokio::sync::mpsc::unbounded_channel();
        let journal = journal.clone();
        let task = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let mut refill = journal.begin_okta_cache_refill()?;
            loop {
                let Some(first) = received.blocking_recv() else {
                    tracing::debug!(
                        written = refill.written(),
                        "the listing ended unfinished: the cache waits for a full pass"
                    );
                    return Ok(());
                };
                let mut batch = Vec::new();
                let mut header = None;
                let mut next = Some(first);
                while let Some(message) = next.take() {
                    match message {
                        Refill::Page(mut page) => batch.append(&mut page),
                        Refill::Finish(h) => {
                            header = Some(h);
                            break;
                        }
                    }
                    if batch.len() < ROWS_PER_WRITE {
                        next = received.try_recv().ok();
                    }
                }
                journal.refill_okta_cache(&mut refill, &batch)?;
                if let Some(header) = header {
                    let written = refill.written();
                    journal.finish_okta_cache_refill(refill, &header)?;
                    tracing::debug!(
                        written,
                        ms = started.elapsed().as_millis(),
                        "the listing was written to the Okta cache"
                    );
                    return Ok(());
                }
            }
        });
        Self { pages, task }
    }

    /// What the listing hands each page to (a copy of the page goes to the thread).
    pub(super) fn sink(&self) -> impl Fn(&[OktaUser]) + Send + Sync + use<> {
        let pages = self.pages.clone();
        move |page: &[OktaUser]| {
            // A thread that stopped on an error reports it when awaited.
            let _ = pages.send(Refill::Page(page.to_vec()));
        }
    }

    /// The listing is complete: the thread finishes the refill with `header`; await it.
    pub(super) fn finish(self, header: CacheHeader) -> Writing {
        let _ = self.pages.send(Refill::Finish(header));
        self.task
    }

    /// The listing failed: the thread ends (the cache stays marked) before this returns, so
    /// no write of this run outlives it.
    pub(super) async fn abandon(self) {
        drop(self.pages);
        if let Ok(Err(e)) = self.task.await {
            tracing::debug!(
                "the Okta cache's refill had failed: {}",
                crate::errors::describe(&e)
            );
        }
    }
}

/// The cache's changes from a run's own writes: each create and update answer (the user as
/// Okta answered, reduced), each lifecycle change (the cached user with its new status, and
/// a `lastUpdated` a millisecond later so the index's older copy does not replace it), and
/// the users Okta said were gone (dropped; the next run is a full pass). Says whether any
/// was gone.
pub(super) fn answers_update(
    report: &crate::apply::ApplyReport,
    users: &[OktaUser],
    keep: &BTreeSet<String>,
) -> (CacheUpdate, bool) {
    use crate::apply::Outcome;
    let by_id: HashMap<&OktaUserId, &OktaUser> = users.iter().map(|u| (&u.id, u)).collect();
    let mut update = CacheUpdate::default();
    let mut gone = false;
    for user in &report.answers {
        update.upserts.push(reduce(user.clone(), keep));
    }
    for o in &report.outcomes {
        let Some(id) = &o.action.okta_id else {
            continue;
        };
        match &o.outcome {
            Outcome::Applied { .. } => {
                let status = match o.action.action {
                    Action::Activate => UserStatus::Provisioned,
                    Action::Deactivate => UserStatus::Deprovisioned,
                    Action::Suspend => UserStatus::Suspended,
                    Action::Unsuspend => UserStatus::Active,
                    Action::Create { .. } | Action::Update { .. } => continue,
                };
                let answered = update.upserts.iter_mut().find(|u| &u.id == id);
                let mut user = match answered {
                    Some(u) => u.clone(),
                    None => match by_id.get(id) {
                        Some(u) => reduce((*u).clone(), keep),
                        None => continue,
                    },
                };
                user.status = status;
                user.transitioning_to_status = None;
                user.last_updated = user
                    .last_updated
                    .and_then(|t| t.checked_add_signed(chrono::Duration::milliseconds(1)));
                update.upserts.retain(|u| &u.id != id);
                update.upserts.push(user);
            }
            Outcome::Failed {
                code: Some(code), ..
            } if code == "E0000007" => {
                update.removals.push(id.clone());
                gone = true;
            }
            _ => {}
        }
    }
    (update, gone)
}

#[cfg(test)]
mod tests;
