//! `sync --only`: a plan restricted to some employees. What is left refers to nothing outside
//! them: a reference to a create that is not kept is dropped (the attribute waits for a run
//! that creates that manager), and an update made only of such references goes. Pure.

use super::{Action, Plan};
use crate::model::EmployeeId;
use std::collections::BTreeSet;

impl Plan {
    /// Keeps only the actions and findings of `employees` (everything when it is empty).
    pub fn restrict_to(&mut self, employees: &BTreeSet<EmployeeId>) {
        if employees.is_empty() {
            return;
        }
        let kept = |id: Option<&EmployeeId>| id.is_some_and(|id| employees.contains(id));
        self.actions.retain(|a| kept(a.employee_id.as_ref()));
        self.findings.retain(|f| kept(f.employee_id.as_ref()));
        let created: BTreeSet<EmployeeId> = self
            .actions
            .iter()
            .filter(|a| matches!(a.action, Action::Create { .. }))
            .filter_map(|a| a.employee_id.clone())
            .collect();
        for a in &mut self.actions {
            a.fills.retain(|_, r| created.contains(&r.created_for));
        }
        self.actions.retain(|a| {
            !matches!(&a.action, Action::Update { changes } if changes.is_empty() && a.fills.is_empty())
        });
    }
}
