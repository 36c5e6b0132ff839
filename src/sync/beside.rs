//! What a run writes to the journal beside its plan rather than in it: a full pass's listed
//! links on a blocking thread while it plans (awaited before the run ends; its cache is
//! written while it lists, `cache::Refiller`, and awaited here), and the
//! record of a run that settles (`settled`) instead of planning. Writes only the journal;
//! decides nothing.

use super::finish::Done;
use super::prepare::Stage;
use super::settled::Settled;
use super::{SyncDeps, SyncError};
use crate::journal::RunId;
use crate::okta::OktaRead;
use crate::plan;
use chrono::{DateTime, Utc};

/// A run that settles on the last run's state (`settled`): its read saved (the watermark),
/// the same findings recorded, the snapshot size kept as the last good one; no plan made.
pub(super) fn settle<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    run_id: RunId,
    prev: &Settled,
    read: &super::reads::UsersRead,
    snapshot: crate::source::Snapshot,
    now: DateTime<Utc>,
) -> Result<Stage, SyncError> {
    tracing::info!(run_id = %run_id, since = %prev.at, "nothing changed since the last run: no plan made");
    super::cache::save_read(&deps.journal, read)?;
    let plan = prev.plan_at(now);
    deps.journal.record_findings(run_id, &plan.findings)?;
    deps.journal
        .set_last_good_snapshot(snapshot.employees.len(), now)?;
    let settle = Settled {
        at: now,
        ..prev.clone()
    };
    Ok(Stage::Done(Done {
        plan,
        blocked: None,
        apply: None,
        snapshot_employees: snapshot.employees.len(),
        rejected: snapshot.rejected,
        pending_activations: prev.pending_activations,
        pass: read.pass,
        users_read: read.listed,
        settle: Some(settle),
        settled: true,
        // Nothing was planned: the console keeps the digest of the run that planned.
        inputs: None,
    }))
}

/// A full pass's links (every anchored user listed), recorded on a blocking thread while the
/// run goes on: the first run of an org records hundreds of thousands. `None` for an
/// incremental read (its few links are recorded after apply). The users added to the read
/// later (`read.changed`) and the run's creates are recorded after apply.
pub(super) fn record_links_later<S, D>(
    deps: &SyncDeps<S, D>,
    known: &std::sync::Arc<std::collections::HashSet<crate::journal::LinkFact>>,
    read: &super::reads::UsersRead,
    now: DateTime<Utc>,
) -> Option<tokio::task::JoinHandle<Result<usize, crate::journal::JournalError>>> {
    if read.pass != plan::Pass::Full {
        return None;
    }
    let (journal, known) = (deps.journal.clone(), std::sync::Arc::clone(known));
    let users = std::sync::Arc::clone(&read.users);
    let anchor = deps.policy.anchor_attribute.clone();
    Some(tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let recorded = crate::linked::record(&journal, &known, &users, &anchor, None, now);
        tracing::debug!(
            ms = started.elapsed().as_millis(),
            added = ?recorded.as_ref().ok(),
            "the listed links were recorded"
        );
        recorded
    }))
}

/// Waits for a full pass's listing to be written to the cache ([`super::cache::Refiller`]).
pub(super) async fn finish_write<S, D>(
    deps: &SyncDeps<S, D>,
    writing: Option<super::cache::Writing>,
) -> Result<(), SyncError> {
    let Some(task) = writing else {
        return Ok(());
    };
    deps.journal.joined("writing the Okta cache", task).await?;
    Ok(())
}
