//! A run's plan limited (relinks, login renames, deactivations and creates past their
//! limits are held; the initial load is exempt from the create limit) and the approvals of
//! held plans resolved: an approved plan that matches exactly what this run holds
//! is applied whole; stale approvals are closed; a new held plan is recorded with the command
//! that approves it. Writes only the journal's approval rows; never Okta.

use super::{RunRequest, SyncDeps};
use crate::journal::{JournalError, RunId};
use crate::plan::Plan;
use crate::plan::approval::{self, Approvals};
use chrono::{DateTime, Utc};

/// The plan `full_plan` makes, limited as the policy and the request's approvals say, and
/// why actions were held (empty when none were). `full_plan` is called again, with every
/// approval, when the held plan was approved by `hrsync approve`.
pub(super) fn limit<S, D>(
    deps: &SyncDeps<S, D>,
    request: &RunRequest,
    run_id: RunId,
    now: DateTime<Utc>,
    full_plan: impl Fn() -> Plan,
    initial_load: bool,
) -> Result<(Plan, Vec<String>), JournalError> {
    let approvals = Approvals {
        deactivations: request.approved_deactivations,
        creates: request.approved_creates,
        relinks: request.approved_relinks,
        login_changes: request.approved_login_changes,
    };
    let (mut planned, mut held) =
        approval::limit_all(full_plan(), &deps.policy, initial_load, approvals);
    if let Some(id) = approval::held_plan_id(&planned) {
        let open = deps.journal.open_approvals()?;
        if open.contains(&id) && !request.dry_run {
            tracing::info!(run_id = %run_id, plan_id = id.as_str(), "applying the approved plan");
            (planned, held) =
                approval::limit_all(full_plan(), &deps.policy, initial_load, Approvals::ALL);
            deps.journal.close_approval(&id, true, run_id, now)?;
        } else {
            deps.journal
                .record_held_plan(&id, run_id, &approval::held_summary(&planned), now)?;
            for stale in open.iter().filter(|o| **o != id && !request.dry_run) {
                deps.journal.close_approval(stale, false, run_id, now)?;
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
        for stale in deps.journal.open_approvals()? {
            tracing::info!(
                plan_id = stale.as_str(),
                "nothing is held any more: the approval is stale"
            );
            deps.journal.close_approval(&stale, false, run_id, now)?;
        }
    }
    Ok((planned, held))
}
