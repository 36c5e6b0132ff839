//! Groups a wave of actions into per-user chains that keep plan order.

use crate::plan::PlannedAction;
use std::collections::HashMap;

/// Splits `actions` into chains: all actions on one Okta user (or, for a create, one
/// employee) in their plan order. Chains are ordered by their first action.
/// Each action keeps its index in the plan.
pub(super) fn chains(actions: Vec<(usize, &PlannedAction)>) -> Vec<Vec<(usize, &PlannedAction)>> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Vec<(usize, &PlannedAction)>> = Vec::new();
    for (position, action) in actions {
        let key = match (&action.okta_id, &action.employee_id) {
            (Some(id), _) => format!("okta:{id}"),
            (None, Some(emp)) => format!("emp:{emp}"),
            (None, None) => format!("anon:{}", out.len()),
        };
        match index.get(&key) {
            Some(&i) => out[i].push((position, action)),
            None => {
                index.insert(key, out.len());
                out.push(vec![(position, action)]);
            }
        }
    }
    out
}
