//! The same-run follow-up for attributes that name a manager's Okta id (`{manager.okta_id}`):
//! when the manager is created in this run, the id exists only once the create has answered.
//! Rather than leave those attributes to the next run, `sync` re-plans against the users it
//! already has plus the ones it just created (no new Okta reads) and keeps only these updates.
//! Pure: no I/O, no clock.

use super::{Action, Plan, PlannedAction, Policy, plan};
use crate::mapping::FieldRef;
use crate::model::{EmployeeId, OktaUser};
use crate::source::Snapshot;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Mapped attributes whose template reads the manager's Okta id.
pub fn manager_id_attributes(policy: &Policy) -> BTreeSet<String> {
    policy
        .mapping
        .attributes
        .iter()
        .filter(|(_, m)| {
            m.template
                .fields()
                .any(|f| matches!(f, FieldRef::ManagerOktaId))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The updates that set manager-id attributes of employees whose manager was created in this
/// run (`created_employees`), given the users before the run plus the users created.
pub fn manager_id_follow_up(
    snapshot: &Snapshot,
    users_after: &[OktaUser],
    created_employees: &BTreeSet<EmployeeId>,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Vec<PlannedAction> {
    let attrs = manager_id_attributes(policy);
    if attrs.is_empty() || created_employees.is_empty() {
        return Vec::new();
    }
    let reports: BTreeSet<&EmployeeId> = snapshot
        .employees
        .iter()
        .filter(|e| {
            e.manager_id
                .as_ref()
                .is_some_and(|m| created_employees.contains(m))
        })
        .map(|e| &e.id)
        .collect();
    if reports.is_empty() {
        return Vec::new();
    }
    let Plan { actions, .. } = plan(snapshot, users_after, policy, now);
    actions
        .into_iter()
        .filter(|a| {
            a.employee_id
                .as_ref()
                .is_some_and(|id| reports.contains(id))
        })
        .filter_map(|mut a| match &mut a.action {
            Action::Update { changes } => {
                changes.retain(|attr, _| attrs.contains(attr));
                (!changes.is_empty()).then_some(a)
            }
            _ => None,
        })
        .collect()
}
