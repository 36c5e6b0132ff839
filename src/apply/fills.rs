//! Executing the plan's references ([`IdRef`]): a report's create or update that names the
//! Okta id of a manager created in the same run runs after that create (one level later) and
//! gets the id from its answer. Mechanical: the plan says which attribute takes which id;
//! here it is only looked up. A reference whose create did not succeed is left out (the next
//! run plans the attribute against the real user), and an update left with nothing to send is
//! skipped with that reason.

use crate::model::{EmployeeId, OktaUserId};
use crate::plan::{Action, Change, IdRef, PlannedAction};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

/// The Okta ids answered by this run's creates, by employee.
#[derive(Debug, Default)]
pub(super) struct CreatedIds(Mutex<HashMap<EmployeeId, OktaUserId>>);

impl CreatedIds {
    /// Remembers the id a create answered.
    pub(super) fn insert(&self, employee: EmployeeId, id: OktaUserId) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(employee, id);
    }

    fn get(&self, employee: &EmployeeId) -> Option<OktaUserId> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(employee)
            .cloned()
    }
}

/// Each chain's level: 0 when none of its actions has a reference, else one more than the
/// level of the chain that creates the referenced employee. The planner orders creates so
/// that a reference always points at an earlier chain.
pub(super) fn levels(chains: &[Vec<(usize, &PlannedAction)>]) -> Vec<usize> {
    let mut create_level: HashMap<&EmployeeId, usize> = HashMap::new();
    let mut out = Vec::with_capacity(chains.len());
    for chain in chains {
        let level = chain
            .iter()
            .flat_map(|(_, a)| a.fills.values())
            .map(|r| create_level.get(&r.created_for).map_or(1, |l| l + 1))
            .max()
            .unwrap_or(0);
        for (_, a) in chain {
            if let (Action::Create { .. }, Some(e)) = (&a.action, &a.employee_id) {
                create_level.insert(e, level);
            }
        }
        out.push(level);
    }
    out
}

/// The action as it is sent: references filled with the ids answered so far, or `Err` with
/// the reason to skip an update whose every change was a reference that cannot be filled.
pub(super) fn resolve<'a>(
    action: &'a PlannedAction,
    created: &CreatedIds,
) -> Result<Cow<'a, PlannedAction>, String> {
    if action.fills.is_empty() {
        return Ok(Cow::Borrowed(action));
    }
    let mut resolved = action.clone();
    let fills = std::mem::take(&mut resolved.fills);
    let mut missing = Vec::new();
    for (attribute, reference) in &fills {
        match created.get(&reference.created_for) {
            Some(id) => set(&mut resolved.action, attribute, reference, &id),
            None => missing.push(format!("{attribute} ({})", reference.created_for)),
        }
    }
    if let Action::Update { changes } = &resolved.action
        && changes.is_empty()
    {
        return Err(format!(
            "not sent: the create of the manager it names did not succeed in this run: {}; the next run plans it again",
            missing.join(", ")
        ));
    }
    Ok(Cow::Owned(resolved))
}

fn set(action: &mut Action, attribute: &str, reference: &IdRef, id: &OktaUserId) {
    let value = serde_json::Value::String(reference.value(id.as_str()));
    match action {
        Action::Create { profile, .. } => {
            profile.insert(attribute.to_owned(), value);
        }
        Action::Update { changes } => {
            changes.insert(
                attribute.to_owned(),
                Change {
                    old: reference.old.clone(),
                    new: Some(value),
                },
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
