//! One run of the pipeline: fetch the HR snapshot and the Okta users concurrently, guard the
//! snapshot, plan, limit, apply (unless dry run) and record it all in the journal.
//!
//! `run_once` (write handle) is shared by the CLI, the daemon and the tests; `plan_once`
//! (read handle) by `plan` and `sync --dry-run`. Both plan from Okta's users as read for
//! this run — every user (a full pass) or the users changed since the last read merged into
//! the journal's cache (`reads`) — so a failed or interrupted run is repaired by the next one.
//! The read half is in `prepare`, the user schema's part of it in `schema`, the record of
//! the end in `finish`; a run after one that found nothing to do, with nothing changed since,
//! records the same without planning (`settled`).

use crate::apply::{self, ApplyOptions, ApplyReport};
use crate::journal::{Journal, JournalError, RunCounts, RunId, RunStatus};
use crate::model::EmployeeId;
use crate::okta::{self, OktaRead, OktaWrite};
use crate::plan::{self, Plan, Policy};
use crate::progress::Progress;
use crate::source::{HrSource, Rejected, SourceError};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use tokio::sync::watch;
use tracing::Instrument;

mod approvals;
mod beside;
mod cache;
mod creates;
mod finish;
mod prepare;
pub mod reads;
pub mod schema;
mod settled;
pub mod summary;
pub mod wiring;

use finish::{finish, streak_updates};
use prepare::{Planned, Prepared, Stage, fail_run, prepare};

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
    /// How Okta's users are read: incremental reads, the overlap, the full pass's period.
    pub reads: reads::ReadSettings,
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
            reads: self.reads,
        }
    }
}

/// What kind of run, and its options.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Plan only (`plan`, `sync --dry-run`): nothing is written to Okta.
    pub dry_run: bool,
    /// A full pass over Okta's users whatever the cache (`sync --full`).
    pub full: bool,
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
    /// Where the run reports how far it has got (phases, pages, actions done); the default
    /// handle is disabled (the daemon, tests, benchmarks).
    pub progress: Progress,
    /// The leader lease's fence the run works under (instances sharing a PostgreSQL
    /// journal): its intents are recorded under its epoch and its writes sent only while it
    /// holds. `None` for a single instance.
    pub fence: Option<crate::ha::Fence>,
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
    /// How the run read Okta's users: a full pass or an incremental read.
    pub pass: plan::Pass,
    /// How many users it listed from Okta (every user on a full pass; the changed ones on an
    /// incremental read).
    pub users_read: usize,
    /// What it planned from (none when the snapshot guard refused the snapshot or the run
    /// settled without planning), shared read-only with the daemon's console.
    pub inputs: Option<RunInputs>,
    /// Whether the run settled: nothing changed since the last run, which found nothing to
    /// do, so it recorded the same findings without reading the Okta cache or planning
    /// (`settled`).
    pub settled: bool,
}

/// The HR snapshot and the Okta users a run planned from, and the instant it planned for.
/// Cheap to clone (shared); nobody changes them after the plan.
#[derive(Debug, Clone)]
pub struct RunInputs {
    /// The HR snapshot.
    pub snapshot: std::sync::Arc<crate::source::Snapshot>,
    /// Okta's users as the plan saw them (before apply).
    pub users: std::sync::Arc<Vec<crate::model::OktaUser>>,
    /// The instant the run planned for.
    pub at: DateTime<Utc>,
    /// What apply changed in `users`: the users Okta answered to creates and updates, and
    /// the statuses lifecycle calls reached (`None` when nothing was applied). Whoever wants
    /// Okta as the run left it applies this to a copy ([`RunInputs::users_after`]).
    pub applied: Option<std::sync::Arc<crate::journal::CacheUpdate>>,
}

impl RunInputs {
    /// Okta's users as the run left them: `users` with `applied` merged in (a copy; costs
    /// one pass over the users, so not for the run's own path).
    pub fn users_after(&self) -> Vec<crate::model::OktaUser> {
        let mut users = self.users.as_ref().clone();
        let Some(update) = &self.applied else {
            return users;
        };
        let mut at: std::collections::HashMap<crate::model::OktaUserId, usize> = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect();
        for user in &update.upserts {
            match at.get(&user.id) {
                Some(i) => {
                    if let Some(slot) = users.get_mut(*i) {
                        *slot = user.clone();
                    }
                }
                None => {
                    at.insert(user.id.clone(), users.len());
                    users.push(user.clone());
                }
            }
        }
        users.retain(|u| !update.removals.contains(&u.id));
        users
    }
}

/// Why a run could not complete at all. Each is recorded in the journal before it is returned.
///
/// Each variant says where the run stopped and keeps the cause as its `source()`; the text
/// with every cause is [`crate::errors::describe`] (what the journal records) or `{:#}`.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The HR store could not be read: nothing was changed.
    #[error("HR source")]
    Source(#[from] SourceError),
    /// Okta could not be read, or a fatal error stopped the run.
    #[error("Okta")]
    Okta(#[from] okta::Error),
    /// The journal could not be written.
    #[error("journal")]
    Journal(#[from] JournalError),
    /// The HR snapshot cannot be planned from at all (no record gives a login).
    #[error("HR snapshot")]
    Unusable(#[source] plan::guard::NoLogin),
    /// The mapping writes attributes Okta's user schema lacks: nothing was written.
    #[error("Okta user schema")]
    Schema(#[source] crate::mapping::typed::MissingAttributes),
    /// Linked users missing from the listing could not be read, or too many are missing.
    #[error("linked users")]
    Linked(#[source] Box<crate::linked::RecoverError>),
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

/// Runs the pipeline once, planning as of `now`: reads, plans and applies through the write
/// handle. A `request.dry_run` is [`plan_once`].
pub async fn run_once<S: HrSource, D: OktaWrite>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    now: DateTime<Utc>,
) -> Result<RunReport, SyncError> {
    if request.dry_run {
        return plan_once(deps, request, now).await;
    }
    let prepared = prepare(deps, request, now).await?;
    let Prepared {
        run_id,
        requests_before,
        stage,
        span,
    } = prepared;
    let fail = |err: SyncError| fail_run(deps, run_id, requests_before, err);
    let planned = match stage {
        Stage::Done(done) => {
            return span.in_scope(|| finish(deps, run_id, request, done, requests_before));
        }
        Stage::Planned(planned) => planned,
    };
    let Planned {
        mut done,
        known_links,
        links_task,
        read,
    } = planned;
    let report = if done.plan.is_empty() {
        None
    } else {
        let options = ApplyOptions {
            concurrency: deps.concurrency,
            shutdown: request.shutdown.clone(),
            anchor_attribute: deps.policy.anchor_attribute.clone(),
            fence: request.fence.clone(),
        };
        let progress = &request.progress;
        progress.applying_started(done.plan.actions.len());
        if let Some(fence) = &request.fence {
            deps.okta
                .set_write_gate(Some(std::sync::Arc::new(fence.clone())));
        }
        let applied = apply::apply(
            &done.plan,
            &deps.okta,
            &deps.journal,
            run_id,
            &options,
            progress,
        )
        .instrument(span.clone())
        .await;
        if request.fence.is_some() {
            deps.okta.set_write_gate(None);
        }
        progress.applying_finished(applied.is_ok());
        let report = applied.map_err(|apply::ApplyError::Journal(e)| fail(e.into()))?;
        if let Some(fatal) = &report.fatal {
            tracing::error!(run_id = %run_id, "run stopped: {fatal}");
        }
        Some(report)
    };
    if let Some(report) = &report {
        let conflicts = anchor_conflicts(report, &deps.policy.anchor_attribute);
        if !conflicts.is_empty() {
            if let Err(e) = deps.journal.record_findings(run_id, &conflicts) {
                tracing::warn!(run_id = %run_id, "cannot record this run's anchor conflicts: {e}");
            }
            done.plan.findings.extend(conflicts);
        }
    }
    if let Some(report) = &report
        && let Err(e) = deps
            .journal
            .update_failure_streaks(&streak_updates(report), now)
    {
        tracing::warn!(run_id = %run_id, "cannot record this run's failure streaks: {e}");
    }
    // What apply changed in Okta, once: for the cache and for the console's inputs.
    let answered = report
        .as_ref()
        .map(|r| cache::answers_update(r, &read.users, &read.keep));
    if let (Some((update, gone)), Some(header)) = (&answered, &read.header) {
        let mut header = header.clone();
        if *gone {
            header.full_pass_wanted =
                Some("a user hrsync wrote to was gone from Okta (deleted by hand?)".to_owned());
        }
        if let Err(e) = deps.journal.update_okta_cache(&header, update) {
            tracing::warn!(run_id = %run_id, "cannot record this run's answers in the Okta cache: {e}; the next run is a full pass");
            if let Err(e) = deps.journal.clear_okta_cache() {
                tracing::warn!(run_id = %run_id, "cannot drop the Okta cache either: {e}");
            }
        }
    }
    // An incremental run's unchanged users had their links recorded when they were read; a
    // full pass's listed users are being recorded (`links_task`), those added since are in
    // `changed`.
    let listed = match (read.pass, &links_task) {
        (plan::Pass::Full, None) => read.users.as_slice(),
        _ => read.changed.as_slice(),
    };
    if let Some(task) = links_task
        && let Err(e) = deps.journal.joined("recording the links", task).await
    {
        tracing::warn!(run_id = %run_id, "cannot record the links of this run: {e}");
        done.settle = None;
    }
    if let Err(e) = crate::linked::record(
        &deps.journal,
        &known_links,
        listed,
        &deps.policy.anchor_attribute,
        report.as_ref(),
        now,
    ) {
        tracing::warn!(run_id = %run_id, "cannot record the links of this run: {e}");
        done.settle = None;
    }
    if let (Some((update, _)), Some(inputs)) = (answered, done.inputs.as_mut()) {
        inputs.applied = Some(std::sync::Arc::new(update));
    }
    done.apply = report;
    span.in_scope(|| finish(deps, run_id, request, done, requests_before))
}

/// The conflict findings for creates Okta refused because another user already holds the
/// employee's value of the unique anchor attribute.
fn anchor_conflicts(report: &ApplyReport, anchor: &str) -> Vec<plan::Finding> {
    report
        .anchor_conflicts
        .iter()
        .map(|id| plan::Finding {
            kind: plan::FindingKind::Conflict,
            employee_id: Some(id.clone()),
            okta_id: None,
            reason: plan::Reason::DuplicateAnchor,
            detail: format!(
                "employee {id}: Okta refused to create an account because another Okta user already holds {anchor} = {id} (a unique attribute); no account is created, under this login or another: find that user (search profile.{anchor} eq \"{id}\"), and deactivate or relink the extra account"
            ),
        })
        .collect()
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
        span,
    } = prepare(deps, &request, now).await?;
    let done = match stage {
        Stage::Done(done) | Stage::Planned(Planned { done, .. }) => done,
    };
    span.in_scope(|| finish(deps, run_id, &request, done, requests_before))
}
