//! The end of a run: its counts, status and report, recorded in the journal; and what its
//! outcomes mean for the quarantine streaks.

use super::{RunReport, RunRequest, SyncDeps, SyncError};
use crate::apply::ApplyReport;
use crate::journal::{RunCounts, RunEnd, RunId, RunStatus};
use crate::okta::OktaRead;
use crate::plan::{self, Plan};
use crate::source::Rejected;
use chrono::Utc;

/// What a run produced, before it is recorded.
pub(super) struct Done {
    pub(super) plan: Plan,
    pub(super) blocked: Option<String>,
    pub(super) apply: Option<ApplyReport>,
    pub(super) snapshot_employees: usize,
    pub(super) rejected: Vec<Rejected>,
    pub(super) pending_activations: usize,
    pub(super) pass: crate::plan::Pass,
    pub(super) users_read: usize,
    pub(super) inputs: Option<super::RunInputs>,
    /// What the next run may settle on if this one ends with no changes (`settled`).
    pub(super) settle: Option<super::settled::Settled>,
    /// Whether the run settled on the last run's state (no plan made).
    pub(super) settled: bool,
}

/// Records the end of the run and builds its report.
pub(super) fn finish<S, D: OktaRead>(
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
        pass,
        users_read,
        inputs,
        settle,
        settled,
    } = done;
    let counts = counts(&plan, apply.as_ref());
    let deposed = apply.as_ref().and_then(|a| a.deposed.clone());
    let status = if deposed.is_some() {
        RunStatus::Deposed
    } else if apply.as_ref().is_some_and(|a| a.fatal.is_some()) {
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
    let error = deposed
        .clone()
        .or_else(|| {
            apply
                .as_ref()
                .and_then(|a| a.fatal.as_ref().map(ToString::to_string))
        })
        .or(blocked.clone());
    let end = RunEnd {
        ended_at: Utc::now(),
        status,
        counts: counts.clone(),
        okta_requests,
        error,
    };
    match deps.journal.finish_run(run_id, &end) {
        // The new leader already marked this run interrupted when it took over.
        Err(crate::journal::JournalError::RunAlreadyFinished(_)) if deposed.is_some() => {}
        result => result?,
    }
    if let Some(state) = settle.filter(|_| status == RunStatus::NoChanges) {
        record_settled(deps, run_id, &state);
    }
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
        pass,
        users_read,
        inputs,
        settled,
    })
}

/// Records what the next run may settle on; a failure only costs the next run its shortcut.
fn record_settled<S, D>(deps: &SyncDeps<S, D>, run_id: RunId, state: &super::settled::Settled) {
    let written = serde_json::to_string(state)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            deps.journal
                .record_settled(run_id, &text)
                .map_err(|e| crate::errors::describe(&e))
        });
    if let Err(e) = written {
        tracing::warn!(run_id = %run_id, "cannot record this run's settled state ({e}); the next run plans");
    }
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
                    crate::apply::Outcome::Applied { .. } => c.add(o.action.action.kind()),
                    crate::apply::Outcome::Failed { .. } => c.failed += 1,
                    crate::apply::Outcome::Skipped { .. } => c.skipped += 1,
                }
            }
        }
        None => plan.actions.iter().for_each(|a| c.add(a.action.kind())),
    }
    c
}

/// What each outcome of an applied run means for its action's quarantine streak: a success
/// ends it, a permanent failure grows it; transient failures and skips leave it as it is.
pub(super) fn streak_updates(report: &ApplyReport) -> Vec<crate::journal::StreakUpdate> {
    use crate::apply::Outcome;
    use crate::journal::StreakUpdate;
    use plan::quarantine::{fingerprint, subject};
    report
        .outcomes
        .iter()
        .filter_map(|o| {
            let subject = subject(&o.action)?.to_owned();
            let kind = o.action.action.kind().to_string();
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
