//! Safety guards before planning. The snapshot guard refuses an empty snapshot, one that
//! shrank below `min_snapshot_ratio` or grew past `max_snapshot_growth` of the last good one,
//! or one with too many rejected records: an HR outage never deactivates anyone. The login
//! check refuses a snapshot in which no record gives a login. The plan limits applied after
//! planning live in `limits` and are re-exported here. Pure; no I/O.

use crate::mapping::{FieldRef, MappingContext, Rendered};
use crate::policy::{GROWTH_GUARD_FROM, MappingConfig, SafetyConfig};
use crate::snapshot::Snapshot;

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
    /// The snapshot grew too much compared with the last good one.
    #[error(
        "the HR snapshot has {employees} employees, more than {ratio} × the last good run's {last_good}; refusing to plan (did the source start returning other people, e.g. another company, contractors or a changed filter? If the growth is real, raise safety.max_snapshot_growth for one run)"
    )]
    Grew {
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
    if let Some(last_good) = last_good
        && last_good >= GROWTH_GUARD_FROM
        && (employees as f64) > safety.max_snapshot_growth * last_good as f64
    {
        return Err(GuardError::Grew {
            employees,
            last_good,
            ratio: safety.max_snapshot_growth,
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

pub use super::limits::{
    Blocked, CreatesHeld, LoginsHeld, MIN_CREATES_ALLOWED, MIN_LOGIN_CHANGES_ALLOWED, RelinksHeld,
    limit_creates, limit_login_changes, limit_plan, limit_relinks,
};

#[cfg(test)]
mod tests;
