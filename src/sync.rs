//! One run of the pipeline: fetch the HR snapshot and the Okta users concurrently, guard the
//! snapshot, plan, limit, apply (unless dry run) and record it all in the journal.
//!
//! `run_once` is shared by the CLI, the daemon and the tests. It plans from live data every
//! time (level-triggered), so a failed or interrupted run is repaired by the next one.

use crate::apply::{self, ApplyOptions, ApplyReport};
use crate::journal::{
    Journal, JournalError, RunCounts, RunEnd, RunId, RunMode, RunStart, RunStatus,
};
use crate::model::{EmployeeId, EmploymentStatus, Phase};
use crate::okta::{self, OktaRead, OktaWrite};
use crate::plan::approval::{self, Approvals};
use crate::plan::{self, Plan, Policy};
use crate::source::{HrSource, Rejected, SourceError};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use tokio::sync::watch;

/// What a run works with.
pub struct SyncDeps<S, D> {
    /// The HR store.
    pub source: S,
    /// The Okta org.
    pub okta: D,
    /// The audit journal.
    pub journal: Journal,
    /// The planner's policy (mapping, activation, termination, safety).
    pub policy: Policy,
    /// Most users worked on at once while applying.
    pub concurrency: usize,
}

impl<S, D> SyncDeps<S, D> {
    /// The same dependencies with a handle that can only read Okta ([`okta::ReadOnly`]).
    pub fn read_only(self) -> SyncDeps<S, okta::ReadOnly<D>> {
        SyncDeps {
            source: self.source,
            okta: okta::ReadOnly(self.okta),
            journal: self.journal,
            policy: self.policy,
            concurrency: self.concurrency,
        }
    }
}

/// What kind of run, and its options.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Plan only (`plan`, `sync --dry-run`): nothing is written to Okta.
    pub dry_run: bool,
    /// Restrict the run to these employees (`sync --only`); empty means everyone.
    pub only: BTreeSet<EmployeeId>,
    /// Approve up to this many deactivations/suspensions beyond the plan limits, once.
    pub approved_deactivations: Option<u32>,
    /// Approve up to this many creates beyond the create limit, once.
    pub approved_creates: Option<u32>,
    /// Approve up to this many relinks beyond `max_relinks_per_run`, once.
    pub approved_relinks: Option<u32>,
    /// Approve up to this many login renames beyond the login-change limit, once.
    pub approved_login_changes: Option<u32>,
    /// Why the run happens (`cli`, `cron`, `wakeup`, `webhook`), for the journal.
    pub trigger: String,
    /// Stops the run between actions when it turns `true`.
    pub shutdown: Option<watch::Receiver<bool>>,
    /// A progress bar advanced once per finished action (terminal runs only).
    pub progress: Option<indicatif::ProgressBar>,
}

/// What a run did.
#[derive(Debug)]
pub struct RunReport {
    /// The journal's id for this run.
    pub run_id: RunId,
    /// The overall result.
    pub status: RunStatus,
    /// The plan, after the plan limits moved held-back actions into findings.
    pub plan: Plan,
    /// Why the run was blocked by a guard, if it was.
    pub blocked: Option<String>,
    /// What apply did (none for a dry run or a blocked snapshot).
    pub apply: Option<ApplyReport>,
    /// Counts for the summary line and the journal.
    pub counts: RunCounts,
    /// Okta requests this run made.
    pub okta_requests: u64,
    /// Employees in the snapshot.
    pub snapshot_employees: usize,
    /// Records the source refused.
    pub rejected: Vec<Rejected>,
    /// Active employees in scope whose activation moment is still ahead.
    pub pending_activations: usize,
}

/// Why a run could not complete at all. Each is recorded in the journal before it is returned.
///
/// The message already contains the cause, so the cause is not also chained as the error's
/// `source()` (`{:#}` would print it twice).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The HR store could not be read: nothing was changed.
    #[error("HR source: {0}")]
    Source(SourceError),
    /// Okta could not be read, or a fatal error stopped the run.
    #[error("Okta: {0}")]
    Okta(okta::Error),
    /// The journal could not be written.
    #[error("journal: {0}")]
    Journal(JournalError),
    /// The HR snapshot cannot be planned from at all (no record gives a login).
    #[error("HR snapshot: {0}")]
    Unusable(plan::guard::NoLogin),
    /// Linked users missing from the listing could not be read, or too many are missing.
    #[error("{0}")]
    Linked(Box<crate::linked::RecoverError>),
}

impl From<SourceError> for SyncError {
    fn from(e: SourceError) -> Self {
        Self::Source(e)
    }
}

impl From<okta::Error> for SyncError {
    fn from(e: okta::Error) -> Self {
        Self::Okta(e)
    }
}

impl From<JournalError> for SyncError {
    fn from(e: JournalError) -> Self {
        Self::Journal(e)
    }
}

impl SyncError {
    /// True when the credentials or permissions are wrong (the daemon quarantines).
    pub fn is_fatal_auth(&self) -> bool {
        match self {
            Self::Okta(e) => e.is_fatal(),
            Self::Source(SourceError::Auth { .. }) => true,
            Self::Linked(e) => {
                matches!(&**e, crate::linked::RecoverError::Okta { source, .. } if source.is_fatal())
            }
            _ => false,
        }
    }
}

/// Runs the pipeline once, planning as of `now`: reads, plans, and (unless
/// `request.dry_run`) applies through the write handle.
pub async fn run_once<S: HrSource, D: OktaWrite>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    now: DateTime<Utc>,
) -> Result<RunReport, SyncError> {
    let prepared = prepare(deps, request, now).await?;
    let Prepared {
        run_id,
        requests_before,
        stage,
    } = prepared;
    let fail = |err: SyncError| fail_run(deps, run_id, requests_before, err);
    let planned = match stage {
        Stage::Done(done) => return finish(deps, run_id, request, done, requests_before),
        Stage::Planned(planned) => planned,
    };
    let Planned {
        mut done,
        users,
        known_links,
    } = planned;
    let report = if request.dry_run || done.plan.is_empty() {
        None
    } else {
        let options = ApplyOptions {
            concurrency: deps.concurrency,
            shutdown: request.shutdown.clone(),
        };
        let progress = request.progress.clone();
        if let Some(bar) = &progress {
            bar.set_length(done.plan.actions.len() as u64);
        }
        let tick = move |n: usize| {
            if let Some(bar) = &progress {
                bar.inc(n as u64);
            }
        };
        let report = apply::apply(
            &done.plan,
            &deps.okta,
            &deps.journal,
            run_id,
            &options,
            &tick,
        )
        .await
        .map_err(|apply::ApplyError::Journal(e)| fail(e.into()))?;
        if let Some(bar) = &request.progress {
            bar.finish_and_clear();
        }
        if let Some(fatal) = &report.fatal {
            tracing::error!(run_id = %run_id, "run stopped: {fatal}");
        }
        Some(report)
    };
    if let Some(report) = &report
        && let Err(e) = deps
            .journal
            .update_failure_streaks(&streak_updates(report), now)
    {
        tracing::warn!(run_id = %run_id, "cannot record this run's failure streaks: {e}");
    }
    if !request.dry_run
        && let Err(e) = crate::linked::record(
            &deps.journal,
            &known_links,
            &users,
            &deps.policy.anchor_attribute,
            report.as_ref(),
            now,
        )
    {
        tracing::warn!(run_id = %run_id, "cannot record the links of this run: {e}");
    }
    done.apply = report;
    finish(deps, run_id, request, done, requests_before)
}

/// Plans once as of `now` and records it as a dry run, through a handle that can only read
/// (`hrsync plan`, `sync --dry-run`): nothing here can write to Okta.
pub async fn plan_once<S: HrSource, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    now: DateTime<Utc>,
) -> Result<RunReport, SyncError> {
    let request = RunRequest {
        dry_run: true,
        ..request.clone()
    };
    let Prepared {
        run_id,
        requests_before,
        stage,
    } = prepare(deps, &request, now).await?;
    let done = match stage {
        Stage::Done(done) | Stage::Planned(Planned { done, .. }) => done,
    };
    finish(deps, run_id, &request, done, requests_before)
}

/// A run after reading and planning, before any write.
struct Prepared {
    run_id: RunId,
    requests_before: u64,
    stage: Stage,
}

/// How far a run got before writing.
enum Stage {
    /// Nothing to apply: the snapshot guard refused the snapshot.
    Done(Done),
    /// A plan (limited, approvals resolved) and what recording its links needs.
    Planned(Planned),
}

/// A plan ready to apply.
struct Planned {
    done: Done,
    users: Vec<crate::model::OktaUser>,
    known_links: std::collections::HashSet<crate::journal::LinkFact>,
}

/// Records a run that could not complete as failed and returns its error.
fn fail_run<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    run_id: RunId,
    requests_before: u64,
    err: SyncError,
) -> SyncError {
    let end = RunEnd {
        ended_at: Utc::now(),
        status: RunStatus::Failed,
        counts: RunCounts::default(),
        okta_requests: deps.okta.requests_made().saturating_sub(requests_before),
        error: Some(err.to_string()),
    };
    if let Err(journal_err) = deps.journal.finish_run(run_id, &end) {
        tracing::error!(run_id = %run_id, "cannot record the failed run: {journal_err}");
    }
    err
}

/// Everything a run does before it writes: records its start, reads HR and Okta at once,
/// guards the snapshot, recovers linked users missing from the listing, plans, applies the
/// quarantine and the plan limits and resolves approvals.
async fn prepare<S: HrSource, D: OktaRead>(
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
    })?;
    let (snapshot, users) = tokio::join!(deps.source.fetch(), deps.okta.list_users());
    let fail = |err: SyncError| fail_run(deps, run_id, requests_before, err);
    if let Ok(s) = &snapshot {
        deps.journal
            .record_snapshot_size(run_id, s.employees.len(), s.rejected_records())
            .map_err(|e| fail(e.into()))?;
    }
    let snapshot = snapshot.map_err(|e| fail(e.into()))?;
    let mut users = users.map_err(|e| fail(e.into()))?;

    plan::guard::check_logins(&snapshot, &deps.policy.mapping)
        .map_err(|e| fail(SyncError::Unusable(e)))?;
    let pending_activations = pending_activations(&snapshot, &deps.policy, now);
    let last_good = deps
        .journal
        .last_good_snapshot()
        .map_err(|e| fail(e.into()))?;
    if let Err(guard) = plan::guard::check_snapshot(&snapshot, last_good, &deps.policy.safety) {
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
        };
        return Ok(Prepared {
            run_id,
            requests_before,
            stage: Stage::Done(done),
        });
    }

    let known_links = deps.journal.known_links().map_err(|e| fail(e.into()))?;
    crate::linked::recover_missing(
        &deps.okta,
        &deps.journal,
        &known_links,
        &snapshot,
        &mut users,
    )
    .await
    .map_err(|e| fail(SyncError::Linked(Box::new(e))))?;
    let streaks = deps.journal.failure_streaks().map_err(|e| fail(e.into()))?;
    let full_plan = || {
        let mut full = plan::plan(&snapshot, &users, &deps.policy, now);
        full.restrict_to(&request.only);
        plan::quarantine::quarantine(&mut full, &streaks, deps.policy.quarantine_after);
        full
    };
    let initial_load = !deps
        .journal
        .has_finished_a_run()
        .map_err(|e| fail(e.into()))?;
    let approvals = Approvals {
        deactivations: request.approved_deactivations,
        creates: request.approved_creates,
        relinks: request.approved_relinks,
        login_changes: request.approved_login_changes,
    };
    let (mut planned, mut held) =
        approval::limit_all(full_plan(), &deps.policy, initial_load, approvals);
    if let Some(id) = approval::held_plan_id(&planned) {
        let open = deps.journal.open_approvals().map_err(|e| fail(e.into()))?;
        if open.contains(&id) && !request.dry_run {
            tracing::info!(run_id = %run_id, plan_id = id.as_str(), "applying the approved plan");
            (planned, held) =
                approval::limit_all(full_plan(), &deps.policy, initial_load, Approvals::ALL);
            deps.journal
                .close_approval(&id, true, run_id, now)
                .map_err(|e| fail(e.into()))?;
        } else {
            deps.journal
                .record_held_plan(&id, run_id, &approval::held_summary(&planned), now)
                .map_err(|e| fail(e.into()))?;
            for stale in open.iter().filter(|o| **o != id && !request.dry_run) {
                deps.journal
                    .close_approval(stale, false, run_id, now)
                    .map_err(|e| fail(e.into()))?;
                held.push(format!(
                    "the approval of plan {stale} is stale: this run holds other actions, so it was not used"
                ));
            }
            held.push(if open.contains(&id) {
                format!("plan {id} is approved: the next sync applies exactly these held actions")
            } else {
                format!(
                    "plan {id} ({}): approve exactly these held actions with `hrsync approve {id}`",
                    approval::held_summary(&planned)
                )
            });
        }
    } else if !request.dry_run {
        // Nothing is held any more: an approval still open approves nothing that exists.
        for stale in deps.journal.open_approvals().map_err(|e| fail(e.into()))? {
            tracing::info!(
                plan_id = stale.as_str(),
                "nothing is held any more: the approval is stale"
            );
            deps.journal
                .close_approval(&stale, false, run_id, now)
                .map_err(|e| fail(e.into()))?;
        }
    }
    let blocked = (!held.is_empty()).then(|| held.join("; "));
    deps.journal
        .record_findings(run_id, &planned.findings)
        .map_err(|e| fail(e.into()))?;
    if !request.dry_run {
        deps.journal
            .set_last_good_snapshot(snapshot.employees.len(), now)
            .map_err(|e| fail(e.into()))?;
    }
    let done = Done {
        plan: planned,
        blocked,
        apply: None,
        snapshot_employees: snapshot.employees.len(),
        rejected: snapshot.rejected,
        pending_activations,
    };
    Ok(Prepared {
        run_id,
        requests_before,
        stage: Stage::Planned(Planned {
            done,
            users,
            known_links,
        }),
    })
}

/// What a run produced, before it is recorded.
struct Done {
    plan: Plan,
    blocked: Option<String>,
    apply: Option<ApplyReport>,
    snapshot_employees: usize,
    rejected: Vec<Rejected>,
    pending_activations: usize,
}

/// Records the end of the run and builds its report.
fn finish<S, D: OktaRead>(
    deps: &SyncDeps<S, D>,
    run_id: RunId,
    request: &RunRequest,
    done: Done,
    requests_before: u64,
) -> Result<RunReport, SyncError> {
    let Done {
        plan,
        blocked,
        apply,
        snapshot_employees,
        rejected,
        pending_activations,
    } = done;
    let counts = counts(&plan, apply.as_ref());
    let status = if apply.as_ref().is_some_and(|a| a.fatal.is_some()) {
        RunStatus::Failed
    } else if apply
        .as_ref()
        .is_some_and(|a| a.failed() > 0 || a.skipped() > 0)
    {
        RunStatus::Partial
    } else if blocked.is_some() {
        RunStatus::Blocked
    } else if request.dry_run {
        RunStatus::DryRun
    } else if plan.is_empty() {
        RunStatus::NoChanges
    } else {
        RunStatus::Applied
    };
    let okta_requests = deps.okta.requests_made().saturating_sub(requests_before);
    let error = apply
        .as_ref()
        .and_then(|a| a.fatal.as_ref().map(ToString::to_string))
        .or(blocked.clone());
    deps.journal.finish_run(
        run_id,
        &RunEnd {
            ended_at: Utc::now(),
            status,
            counts: counts.clone(),
            okta_requests,
            error,
        },
    )?;
    if let Some(fatal) = apply.as_ref().and_then(|a| a.fatal.clone()) {
        return Err(SyncError::Okta(fatal));
    }
    Ok(RunReport {
        run_id,
        status,
        plan,
        blocked,
        apply,
        counts,
        okta_requests,
        snapshot_employees,
        rejected,
        pending_activations,
    })
}

/// Counts applied actions by kind (or planned ones for a dry run).
fn counts(plan: &Plan, apply: Option<&ApplyReport>) -> RunCounts {
    let mut c = RunCounts::default();
    let held_back = plan
        .findings
        .iter()
        .filter(|f| f.kind == plan::FindingKind::HeldBack)
        .count();
    c.held_back = held_back as u64;
    match apply {
        Some(report) => {
            for o in &report.outcomes {
                match &o.outcome {
                    crate::journal::Outcome::Applied { .. } => bump(&mut c, o.action.action.kind()),
                    crate::journal::Outcome::Failed { .. } => c.failed += 1,
                    crate::journal::Outcome::Skipped { .. } => c.skipped += 1,
                }
            }
        }
        None => plan
            .actions
            .iter()
            .for_each(|a| bump(&mut c, a.action.kind())),
    }
    c
}

fn bump(c: &mut RunCounts, kind: &str) {
    match kind {
        "create" => c.created += 1,
        "update" => c.updated += 1,
        "activate" => c.activated += 1,
        "deactivate" => c.deactivated += 1,
        "suspend" => c.suspended += 1,
        "unsuspend" => c.unsuspended += 1,
        _ => {}
    }
}

/// What each outcome of an applied run means for its action's quarantine streak: a success
/// ends it, a permanent failure grows it; transient failures and skips leave it as it is.
fn streak_updates(report: &ApplyReport) -> Vec<crate::journal::StreakUpdate> {
    use crate::journal::{Outcome, StreakUpdate};
    use plan::quarantine::{fingerprint, subject};
    report
        .outcomes
        .iter()
        .filter_map(|o| {
            let subject = subject(&o.action)?;
            let kind = o.action.action.kind().to_owned();
            match &o.outcome {
                Outcome::Applied { .. } => Some(StreakUpdate::Succeeded { subject, kind }),
                Outcome::Failed {
                    code,
                    message,
                    permanent: true,
                    ..
                } => Some(StreakUpdate::FailedPermanently {
                    subject,
                    kind,
                    fingerprint: fingerprint(&o.action),
                    error_code: code.clone(),
                    message: message.clone(),
                }),
                Outcome::Failed { .. } | Outcome::Skipped { .. } => None,
            }
        })
        .collect()
}

/// In-scope employees not terminated in HR whose start-date activation moment is after `now`.
fn pending_activations(
    snapshot: &crate::source::Snapshot,
    policy: &Policy,
    now: DateTime<Utc>,
) -> usize {
    snapshot
        .employees
        .iter()
        .filter(|e| e.status != EmploymentStatus::Phase(Phase::Terminated))
        .filter(|e| policy.scope.as_ref().is_none_or(|s| s.matches(e)))
        .filter_map(|e| {
            let tz = e.timezone.unwrap_or(policy.default_timezone);
            plan::timing::activation_moment(e.start_date, policy.activation.activate_at, tz)
        })
        .filter(|moment| *moment > now)
        .count()
}
