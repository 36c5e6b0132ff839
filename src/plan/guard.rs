//! Safety guards. Before planning, the snapshot guard refuses an empty snapshot, one that
//! shrank below `min_snapshot_ratio` of the last good one, or one with too many rejected
//! records: an HR outage never deactivates anyone. After planning, the plan limits hold back
//! every deactivation and suspension (creates and updates still go) when there are more than
//! `max_deactivations_per_run` or `max_deactivation_percent` of managed users, unless the
//! caller approved at least that many. Pure; no I/O.

use super::{Finding, FindingKind, Plan, Reason};
use crate::config::{MappingConfig, SafetyConfig};
use crate::mapping::{FieldRef, MappingContext, Rendered};
use crate::source::Snapshot;
use serde::Serialize;
use std::fmt;

/// Why a snapshot is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GuardError {
    /// The snapshot has no employees at all.
    #[error(
        "the HR snapshot is empty ({rejected} records rejected); refusing to plan so that an HR outage never deactivates anyone"
    )]
    Empty {
        /// How many records were rejected.
        rejected: usize,
    },
    /// The snapshot shrank too much compared with the last good one.
    #[error(
        "the HR snapshot has {employees} employees, fewer than {ratio} × the last good run's {last_good}; refusing to plan (check the HR source's permissions and filters, or lower safety.min_snapshot_ratio)"
    )]
    Shrank {
        /// Employees now.
        employees: usize,
        /// Employees in the last good snapshot.
        last_good: usize,
        /// The configured ratio.
        ratio: f64,
    },
    /// Too many records were rejected.
    #[error(
        "{rejected} of {total} HR records ({percent:.1} %) were rejected, more than safety.max_rejected_percent = {max} %; refusing to plan (see the rejected records)"
    )]
    TooManyRejected {
        /// Rejected records.
        rejected: usize,
        /// Valid plus rejected records.
        total: usize,
        /// Rejected share in percent.
        percent: f64,
        /// The configured limit.
        max: f64,
    },
}

/// Why no run can plan from a snapshot at all (an error, not a safety block: the HR export or
/// the mapping must be fixed).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "no HR record gives a login: mapping.login = {template:?}{missing}; every new hire would be skipped. Fix the column or field name in the HR export, or the login template in [mapping]"
)]
pub struct NoLogin {
    /// The login template as written.
    pub template: String,
    /// `" reads email, which no record has"`, or empty when the fields exist but render empty.
    pub missing: String,
}

/// Checks that at least one employee's record renders the `login` template (without the
/// fallbacks: a login from a fallback for everyone is a broken feed too). Stops at the first
/// record that does, so a healthy snapshot costs one render.
pub fn check_logins(snapshot: &Snapshot, mapping: &MappingConfig) -> Result<(), NoLogin> {
    let Some(login) = mapping.attributes.get("login") else {
        return Ok(());
    };
    if snapshot.employees.is_empty() {
        return Ok(());
    }
    let renders = |e: &crate::model::Employee| {
        matches!(
            login.template.render(&MappingContext::alone(e)),
            Ok(Rendered::Value(_))
        )
    };
    if snapshot.employees.iter().any(renders) {
        return Ok(());
    }
    let absent: Vec<String> = login
        .template
        .fields()
        .filter_map(|f| match f {
            FieldRef::Own(name) => Some(name.as_str()),
            _ => None,
        })
        .filter(|name| snapshot.employees.iter().all(|e| e.field(name).is_none()))
        .map(str::to_owned)
        .collect();
    let missing = if absent.is_empty() {
        String::new()
    } else {
        format!(" reads {}, which no record has", absent.join(", "))
    };
    Err(NoLogin {
        template: login.template.source().to_owned(),
        missing,
    })
}

/// Checks a snapshot before planning. `last_good` is the employee count of the last run that
/// passed this guard, if any.
pub fn check_snapshot(
    snapshot: &Snapshot,
    last_good: Option<usize>,
    safety: &SafetyConfig,
) -> Result<(), GuardError> {
    let employees = snapshot.employees.len();
    let rejected = snapshot.rejected_records();
    if employees == 0 {
        return Err(GuardError::Empty { rejected });
    }
    if let Some(last_good) = last_good
        && (employees as f64) < safety.min_snapshot_ratio * last_good as f64
    {
        return Err(GuardError::Shrank {
            employees,
            last_good,
            ratio: safety.min_snapshot_ratio,
        });
    }
    let total = employees + rejected;
    let percent = rejected as f64 * 100.0 / total as f64;
    if percent > safety.max_rejected_percent {
        return Err(GuardError::TooManyRejected {
            rejected,
            total,
            percent,
            max: safety.max_rejected_percent,
        });
    }
    Ok(())
}

/// The destructive part of a plan was held back by a plan limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocked {
    /// Deactivations and suspensions planned.
    pub destructive: usize,
    /// How many a run may do (the smaller of the two limits).
    pub allowed: usize,
    /// `safety.max_deactivations_per_run`.
    pub max_per_run: u32,
    /// `safety.max_deactivation_percent`.
    pub max_percent: f64,
    /// Managed Okta users the percentage applies to.
    pub managed_users: usize,
    /// The approval given, if any (smaller than `destructive`).
    pub approved: Option<u32>,
}

impl Blocked {
    /// The command that approves this plan once.
    pub fn approve_command(&self) -> String {
        format!("hrsync sync --allow-deactivations {}", self.destructive)
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} deactivations/suspensions planned, more than the {} allowed (the smaller of {} per run and {} % of {} managed users)",
            self.destructive, self.allowed, self.max_per_run, self.max_percent, self.managed_users
        )?;
        if let Some(n) = self.approved {
            write!(f, " and the approval for {n}")?;
        }
        write!(f, "; to approve once: {}", self.approve_command())
    }
}

/// Applies the plan limits: when the destructive actions exceed them (and the approval does
/// not cover them all), moves every deactivation/suspension into `HeldBack` findings.
pub fn limit_plan(
    mut plan: Plan,
    safety: &SafetyConfig,
    approved_deactivations: Option<u32>,
) -> (Plan, Option<Blocked>) {
    let destructive = plan
        .actions
        .iter()
        .filter(|a| a.action.is_destructive())
        .count();
    let by_percent =
        (safety.max_deactivation_percent / 100.0 * plan.managed_users as f64).floor() as usize;
    let allowed = (safety.max_deactivations_per_run as usize).min(by_percent);
    let approved_ok = approved_deactivations.is_some_and(|n| n as usize >= destructive);
    if destructive == 0 || destructive <= allowed || approved_ok {
        return (plan, None);
    }
    let blocked = Blocked {
        destructive,
        allowed,
        max_per_run: safety.max_deactivations_per_run,
        max_percent: safety.max_deactivation_percent,
        managed_users: plan.managed_users,
        approved: approved_deactivations,
    };
    let (held, kept): (Vec<_>, Vec<_>) = plan
        .actions
        .into_iter()
        .partition(|a| a.action.is_destructive());
    plan.actions = kept;
    for a in held {
        plan.findings.push(Finding {
            kind: FindingKind::HeldBack,
            detail: format!(
                "{} of Okta user {} ({}) held back: {blocked}",
                a.action.kind(),
                a.okta_id.as_ref().map(|id| id.as_str()).unwrap_or("?"),
                a.reason.code(),
            ),
            employee_id: a.employee_id,
            okta_id: a.okta_id,
            reason: Reason::HeldBackByLimit,
        });
    }
    (plan, Some(blocked))
}

#[cfg(test)]
#[path = "guard_tests.rs"]
mod tests;
