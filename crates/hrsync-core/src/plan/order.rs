//! Ordering and wake-up: creates first (managers before their reports, so a report's
//! reference to its manager's new id points at an earlier create), then updates, then
//! activations and unsuspensions, then the updates of reactivated users, then deactivations
//! and suspensions; ties broken by employee id, then Okta id. Also the plan's next wake-up
//! (earliest future activation / termination / creation-window instant). Pure.

use super::build::Builder;
use super::decide::employee_key;
use super::{Action, Plan, PlannedAction, Reason};
use foldhash::{HashMap, HashMapExt};

/// The execution phase of an action: lower phases run first, actions of one phase are
/// independent of each other.
pub fn phase(a: &PlannedAction) -> u8 {
    match (&a.action, a.reason) {
        (Action::Create { .. }, _) => 0,
        (Action::Update { .. }, Reason::Rehired | Reason::Relinked) => 3,
        (Action::Update { .. }, _) => 1,
        (Action::Activate | Action::Unsuspend, _) => 2,
        (Action::Deactivate | Action::Suspend, _) => 4,
    }
}

/// Sorts the actions, computes the wake-up and assembles the plan.
/// `awaiting_manager` are the linked employees whose manager has no Okta user yet (from
/// `decide`), for the references to managers created in this plan.
pub(super) fn finish(
    b: Builder<'_>,
    mut actions: Vec<PlannedAction>,
    awaiting_manager: &[usize],
) -> Plan {
    let depth = create_depths(&b, &actions);
    b.add_references(&mut actions, &depth, awaiting_manager);
    actions.sort_by(|x, y| {
        let dx = x
            .employee_id
            .as_ref()
            .and_then(|id| depth.get(id.as_str()))
            .copied()
            .unwrap_or(0);
        let dy = y
            .employee_id
            .as_ref()
            .and_then(|id| depth.get(id.as_str()))
            .copied()
            .unwrap_or(0);
        (phase(x), dx, employee_key(x), &x.okta_id).cmp(&(
            phase(y),
            dy,
            employee_key(y),
            &y.okta_id,
        ))
    });
    let mut findings = b.findings;
    findings.sort_by(|x, y| {
        (x.employee_id.is_none(), &x.employee_id, &x.okta_id).cmp(&(
            y.employee_id.is_none(),
            &y.employee_id,
            &y.okta_id,
        ))
    });
    let next_wakeup = b
        .facts
        .iter()
        .filter(|f| f.in_scope)
        .flat_map(|f| f.future_instants(b.now))
        .min();
    Plan {
        at: b.now,
        actions,
        findings,
        next_wakeup,
        managed_users: b.managed,
    }
}

/// For each created employee, how many of their managers (up the chain) are created in the
/// same run: creates are ordered by this depth so that managers exist first.
fn create_depths<'a>(b: &Builder<'a>, actions: &[PlannedAction]) -> HashMap<&'a str, usize> {
    let created: HashMap<&str, usize> = actions
        .iter()
        .filter(|a| matches!(a.action, Action::Create { .. }))
        .filter_map(|a| a.employee_id.as_ref())
        .filter_map(|id| b.by_id.get_key_value(id.as_str()))
        .map(|(k, i)| (*k, *i))
        .collect();
    let mut depth = HashMap::with_capacity(created.len());
    for (&id, &i) in &created {
        let mut d = 0;
        let mut cur = i;
        // Walk up the chain; a cycle cannot be longer than the number of creates.
        while d < created.len() {
            match b.manager_of(cur) {
                Some(m) if created.contains_key(b.emps[m].id.as_str()) && m != i => {
                    d += 1;
                    cur = m;
                }
                _ => break,
            }
        }
        depth.insert(id, d);
    }
    depth
}
