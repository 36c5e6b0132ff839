//! The Okta cache's side of a run: what a run read is saved (a full pass replaces the cache,
//! an incremental read updates the users it listed; listings are merged into it by
//! [`crate::okta::merge_newer`], the later `lastUpdated` winning), and the answers of
//! hrsync's own writes are turned into the
//! cache's changes. Writes only the journal's cache; decides nothing about users.

use super::SyncError;
use super::reads::UsersRead;
use crate::journal::{CacheUpdate, Journal};
use crate::model::{OktaUser, OktaUserId, UserStatus};
use crate::plan::{Action, Pass};
use std::collections::{BTreeSet, HashMap};

/// Reduces a user to the attributes the planner reads.
pub(super) fn reduce(mut user: OktaUser, keep: &BTreeSet<String>) -> OktaUser {
    user.profile.retain(|k| keep.contains(k));
    user
}

/// Saves what a run read to the cache: a full pass replaces it (unless `replaced`: its
/// listing is written already, see [`replace_later`]), an incremental read updates the users
/// it listed; both then add the users read by id or login since. Nothing for dry runs.
pub(super) fn save_read(
    journal: &Journal,
    read: &UsersRead,
    replaced: bool,
) -> Result<(), SyncError> {
    let Some(header) = &read.header else {
        return Ok(());
    };
    match read.pass {
        Pass::Full if !replaced => journal.replace_okta_cache(header, &read.users)?,
        Pass::Full | Pass::Incremental => journal.update_okta_cache(
            header,
            &CacheUpdate {
                upserts: read.changed.clone(),
                removals: Vec::new(),
            },
        )?,
    }
    Ok(())
}

/// A full pass's listing, written to the cache on a blocking thread while the run goes on
/// (the write is most of a full pass's journal time; the thread shares the users and
/// serializes them as it writes). `None` for an incremental read or a dry run. Await it
/// before [`save_read`] with `replaced = true`.
pub(super) fn replace_later(
    journal: &Journal,
    read: &UsersRead,
) -> Option<tokio::task::JoinHandle<Result<(), crate::journal::JournalError>>> {
    let (Pass::Full, Some(header)) = (read.pass, &read.header) else {
        return None;
    };
    let (journal, header) = (journal.clone(), header.clone());
    let users = std::sync::Arc::clone(&read.users);
    Some(tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let written = journal.replace_okta_cache(&header, &users);
        tracing::debug!(
            users = users.len(),
            ms = started.elapsed().as_millis(),
            ok = written.is_ok(),
            "the Okta cache was replaced"
        );
        written
    }))
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
