//! The read half of a run: record its start, read HR, Okta's users (a full pass or an
//! incremental read, `reads`) and its user schema at once, stop on a mapping the schema
//! cannot hold, guard the snapshot, recover linked users missing from the listing, plan (on
//! an incremental pass, with every create's login checked first, `creates`), save the users
//! read to the cache, quarantine, limit and resolve approvals (`approvals`); or, when nothing
//! changed since a run that found nothing to do, settle on what it found (`settled`).
//! Generic over [`OktaRead`]: nothing here can write to Okta.

use super::finish::Done;
use super::settled::{self, Settled};
use super::{RunRequest, SyncDeps, SyncError};
use crate::journal::{RunCounts, RunEnd, RunId, RunMode, RunStart, RunStatus};
use crate::okta::OktaRead;
use crate::plan::{self, Plan};
use crate::source::HrSource;
use chrono::{DateTime, Utc};
use tracing::Instrument;

/// A run after reading and planning, before any write.
pub(super) struct Prepared {
    pub(super) run_id: RunId,
    pub(super) requests_before: u64,
    pub(super) stage: Stage,
    /// The run's span (`run_id`, trigger), for the write half's logs.
    pub(super) span: tracing::Span,
}

/// How far a run got before writing.
pub(super) enum Stage {
    /// Nothing to apply: the snapshot guard refused the snapshot.
    Done(Done),
    /// A plan (limited, approvals resolved) and what recording its links needs.
    Planned(Planned),
}

/// A plan ready to apply.
pub(super) struct Planned {
    pub(super) done: Done,
    pub(super) known_links: std::sync::Arc<std::collections::HashSet<crate::journal::LinkFact>>,
    /// A full pass's listed links, being recorded on a blocking thread while the run plans
    /// and applies ([`super::beside::record_links_later`]); the write half awaits it.
    pub(super) links_task:
        Option<tokio::task::JoinHandle<Result<usize, crate::journal::JournalError>>>,
    /// The users read (and what updating the cache after apply needs).
    pub(super) read: Box<super::reads::UsersRead>,
}

/// Records a run that could not complete as failed and returns its error.
pub(super) fn fail_run<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    run_id: RunId,
    requests_before: u64,
    err: SyncError,
) -> SyncError {
    let end = RunEnd {
        ended_at: Utc::now(),
        status: if err.is_fatal_auth() {
            RunStatus::Fatal
        } else {
            RunStatus::Failed
        },
        counts: RunCounts::default(),
        okta_requests: deps.okta.requests_made().saturating_sub(requests_before),
        error: Some(crate::errors::describe(&err)),
    };
    if let Err(journal_err) = deps.journal.finish_run(run_id, &end) {
        tracing::error!(run_id = %run_id, "cannot record the failed run: {}", crate::errors::describe(&journal_err));
    }
    err
}

/// Everything a run does before it writes: records its start, reads HR and Okta at once,
/// guards the snapshot, recovers linked users missing from the listing, plans, applies the
/// quarantine and the plan limits and resolves approvals.
pub(super) async fn prepare<S: HrSource, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    now: DateTime<Utc>,
) -> Result<Prepared, SyncError> {
    let requests_before = deps.okta.requests_made();
    deps.okta.begin_run();
    let mode = if request.dry_run {
        RunMode::DryRun
    } else {
        RunMode::Sync
    };
    // Begin before reading, so a crash or kill while reading leaves an interrupted run.
    let run_id = deps.journal.begin_run(&RunStart {
        started_at: now,
        mode,
        trigger: request.trigger.clone(),
        snapshot_employees: 0,
        snapshot_rejected: 0,
        epoch: request.fence.as_ref().map(crate::ha::Fence::epoch),
    })?;
    // Every log line of the run carries its id (and each action's its own span, see apply).
    let span = tracing::info_span!("run", run_id = run_id.0, trigger = %request.trigger, dry_run = request.dry_run);
    let stage = read_and_plan(deps, request, now, run_id, requests_before)
        .instrument(span.clone())
        .await
        .inspect_err(|_| request.progress.abandon())?;
    Ok(Prepared {
        run_id,
        requests_before,
        stage,
        span,
    })
}

/// [`prepare`] once the run is recorded.
async fn read_and_plan<S: HrSource, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    now: DateTime<Utc>,
    run_id: RunId,
    requests_before: u64,
) -> Result<Stage, SyncError> {
    let progress = &request.progress;
    let fail = |err: SyncError| fail_run(deps, run_id, requests_before, err);
    let previous =
        settled::previous(&deps.journal, run_id, request, now).map_err(|e| fail(e.into()))?;
    let may_settle = settled::may_settle(request);
    // The HR read's size reaches the Okta read as soon as it is known, or the source's
    // estimate before it (a first run splits its listing only for an org large enough).
    let (size_tx, size_rx) = tokio::sync::oneshot::channel();
    let hr = async {
        progress.hr_started();
        let snapshot = deps.source.fetch().await;
        if let Ok(s) = &snapshot {
            let _ = size_tx.send(s.employees.len());
        }
        match &snapshot {
            Ok(s) => progress.hr_finished(s.employees.len(), s.rejected_records()),
            Err(_) => progress.hr_failed(),
        }
        let digest = match &snapshot {
            Ok(s) if may_settle => Some(settled::snapshot_digest(s)),
            _ => None,
        };
        (snapshot, digest)
    };
    let okta = async {
        progress.okta_started();
        let read = super::reads::read_users(deps, request, now, previous.is_some(), async {
            match deps.source.expected_records().await {
                Some(n) => Some(n),
                None => size_rx.await.ok(),
            }
        })
        .await;
        match &read {
            Ok(r) => progress.okta_finished(r.listed),
            Err(_) => progress.okta_failed(),
        }
        read
    };
    // The link table is read beside the rest (a few hundred thousand rows in a big org),
    // unless the run may settle (then only if it plans).
    let links = async {
        if previous.is_some() {
            None
        } else {
            Some(
                deps.journal
                    .off_thread("reading the link table", |j| j.known_links())
                    .await,
            )
        }
    };
    let ((snapshot, hr_digest), read, schema, known_links) =
        tokio::join!(hr, okta, super::schema::read(&deps.okta), links);
    if let Ok(s) = &snapshot {
        deps.journal
            .record_snapshot_size(run_id, s.employees.len(), s.rejected_records())
            .map_err(|e| fail(e.into()))?;
    }
    let snapshot = snapshot.map_err(|e| fail(e.into()))?;
    let mut read = read.map_err(fail)?;
    deps.journal
        .record_read(run_id, read.pass, read.listed)
        .map_err(|e| fail(e.into()))?;
    // Before anything else decides: a mapped attribute Okta lacks stops the run unwritten.
    let schema = schema.map_err(|e| fail(e.into()))?;
    progress.planning_started();
    let policy = super::schema::typed_policy(&deps.policy, &schema)
        .map_err(|e| fail(SyncError::Schema(e)))?;

    let policy_digest = settled::policy_digest(&policy);
    let last_good = deps
        .journal
        .last_good_snapshot()
        .map_err(|e| fail(e.into()))?;
    let guarded = plan::guard::check_snapshot(&snapshot, last_good, &deps.policy.safety);
    if let Some(prev) = &previous
        && read.deferred
        && guarded.is_ok()
        && hr_digest.as_ref() == Some(&prev.hr)
        && prev.policy == policy_digest
        && settled::pass_may_settle(read.pass)
    {
        let stage =
            super::beside::settle(deps, run_id, prev, &read, snapshot, now).map_err(fail)?;
        progress.planning_finished(0);
        return Ok(stage);
    }
    read.load_deferred(&deps.journal)
        .await
        .map_err(|e| fail(e.into()))?;
    plan::guard::check_logins(&snapshot, &deps.policy.mapping)
        .map_err(|e| fail(SyncError::Unusable(e)))?;
    let pending_activations = plan::forecast::pending_activations(&snapshot, &deps.policy, now);
    if let Err(guard) = guarded {
        super::beside::finish_write(deps, read.writing.take())
            .await
            .map_err(fail)?;
        super::cache::save_read(&deps.journal, &read).map_err(fail)?;
        let plan = Plan {
            at: now,
            actions: vec![],
            findings: vec![],
            next_wakeup: None,
            managed_users: 0,
        };
        let done = Done {
            plan,
            blocked: Some(guard.to_string()),
            apply: None,
            snapshot_employees: snapshot.employees.len(),
            rejected: snapshot.rejected,
            pending_activations,
            pass: read.pass,
            users_read: read.listed,
            inputs: None,
            settle: None,
            settled: false,
        };
        progress.planning_finished(0);
        return Ok(Stage::Done(done));
    }

    let known_links = match known_links {
        Some(links) => links,
        None => {
            deps.journal
                .off_thread("reading the link table", |j| j.known_links())
                .await
        }
    }
    .map_err(|e| fail(e.into()))?;
    let known_links = std::sync::Arc::new(known_links);
    let mut links_task = None;
    let base = loop {
        let users = std::sync::Arc::make_mut(&mut read.users);
        let before = users.len();
        crate::linked::recover_missing(&deps.okta, &deps.journal, &known_links, &snapshot, users)
            .await
            .map_err(|e| fail(SyncError::Linked(Box::new(e))))?;
        let recovered = users.split_off(before);
        read.add(recovered);
        if links_task.is_none() && !request.dry_run {
            links_task = super::beside::record_links_later(deps, &known_links, &read, now);
        }
        match vouch(deps, request, &snapshot, &policy, now, &mut read)
            .await
            .map_err(|e| fail(e.into()))?
        {
            Ok(base) => break base,
            Err(why) => {
                super::beside::finish_write(deps, read.writing.take())
                    .await
                    .map_err(fail)?;
                let keep = std::mem::take(&mut read.keep);
                // Creates the look-ups cannot vouch for: the plain listing, always current.
                read = super::reads::full(
                    deps,
                    keep,
                    now,
                    !request.dry_run,
                    super::reads::Split::None,
                    &why,
                    &request.progress,
                )
                .await
                .map_err(fail)?;
                deps.journal
                    .record_read(run_id, read.pass, read.listed)
                    .map_err(|e| fail(e.into()))?;
            }
        }
    };
    super::beside::finish_write(deps, read.writing.take())
        .await
        .map_err(fail)?;
    super::cache::save_read(&deps.journal, &read).map_err(fail)?;
    let streaks = deps.journal.failure_streaks().map_err(|e| fail(e.into()))?;
    let full_plan = || {
        let mut full = base.clone();
        plan::quarantine::quarantine(&mut full, &streaks, deps.policy.quarantine_after);
        full
    };
    let initial_load = !deps
        .journal
        .has_finished_a_run()
        .map_err(|e| fail(e.into()))?;
    let (planned, held) =
        super::approvals::limit(deps, request, run_id, now, full_plan, initial_load)
            .map_err(|e| fail(e.into()))?;
    let blocked = (!held.is_empty()).then(|| held.join("; "));
    deps.journal
        .record_findings(run_id, &planned.findings)
        .map_err(|e| fail(e.into()))?;
    if !request.dry_run {
        deps.journal
            .set_last_good_snapshot(snapshot.employees.len(), now)
            .map_err(|e| fail(e.into()))?;
    }
    let settle = match hr_digest {
        Some(hr) if blocked.is_none() && !read.added && may_settle => {
            Settled::of_plan(&planned, hr, policy_digest, pending_activations)
        }
        _ => None,
    };
    let done = Done {
        plan: planned,
        blocked,
        apply: None,
        snapshot_employees: snapshot.employees.len(),
        rejected: snapshot.rejected.clone(),
        pending_activations,
        pass: read.pass,
        users_read: read.listed,
        inputs: Some(super::RunInputs {
            snapshot: std::sync::Arc::new(snapshot),
            users: std::sync::Arc::clone(&read.users),
            at: now,
            applied: None,
        }),
        settle,
        settled: false,
    };
    progress.planning_finished(done.plan.actions.len());
    Ok(Stage::Planned(Planned {
        done,
        known_links,
        links_task,
        read: Box::new(read),
    }))
}

/// The plan (restricted to `request.only`) from the users read. Unless they are the plain
/// listing's (always current), every login a create would take is read from Okta first and the plan made again with the
/// users found (`creates`); `Err(why)` when the run must list every user instead.
async fn vouch<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    snapshot: &crate::source::Snapshot,
    policy: &plan::Policy,
    now: DateTime<Utc>,
    read: &mut super::reads::UsersRead,
) -> Result<Result<Plan, String>, crate::okta::Error> {
    use super::creates::{Checked, MAX_ROUNDS, check};
    let mut checked = std::collections::BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        let started = std::time::Instant::now();
        let mut base = plan::plan_pass(snapshot, &read.users, policy, now, read.pass);
        tracing::debug!(
            actions = base.actions.len(),
            ms = started.elapsed().as_millis(),
            "planned"
        );
        base.restrict_to(&request.only);
        if read.fresh {
            return Ok(Ok(base));
        }
        match check(&deps.okta, &base, &mut checked).await? {
            Checked::Clear => return Ok(Ok(base)),
            Checked::Found(users) => read.add(users),
            Checked::ListAll(why) => return Ok(Err(why)),
        }
    }
    Ok(Err(format!(
        "checking the creates' logins kept finding Okta users the cache lacked ({MAX_ROUNDS} rounds)"
    )))
}
