//! References between actions: an attribute that names the manager's Okta id
//! (`{manager.okta_id}`), for a report whose manager is created in the same plan, becomes an
//! [`IdRef`] on the report's create or update, which apply fills from the manager's create
//! answer. So an initial load sends one write per new employee, and the plan says everything
//! apply will do. Pure.
//!
//! A reference always points at a create that runs earlier: a report's create only refers to a
//! manager created at a smaller depth of the same chain (see `order`), so a management cycle
//! in HR data never makes two creates wait for each other; such an attribute is left for the
//! next run, as is one whose template transforms the id (a filter or a value map).

use super::build::Builder;
use super::{Action, IdRef, PlannedAction, Reason};
use crate::mapping::{DesiredRef, FieldRef, render_attribute_into};
use foldhash::HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// Stands for the manager's future Okta id while rendering; never sent. Okta ids are
/// alphanumeric, so a template that keeps an id intact keeps this intact too.
const PLACEHOLDER: &str = "00uHRSYNCPLACEHOLDER0";

/// Mapped attributes whose template reads the manager's Okta id.
pub fn manager_id_attributes(policy: &super::Policy) -> BTreeSet<String> {
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

impl Builder<'_> {
    /// Adds the references to managers created in this plan. `depth` is each created
    /// employee's depth among the plan's creates (managers first); `awaiting_manager` are the
    /// linked employees `decide` compared cleanly while their manager had no Okta user.
    pub(super) fn add_references(
        &self,
        actions: &mut Vec<PlannedAction>,
        depth: &HashMap<&str, usize>,
        awaiting_manager: &[usize],
    ) {
        let attributes = manager_id_attributes(self.policy);
        if attributes.is_empty() || depth.is_empty() {
            return;
        }
        // Each employee's create or profile update, by employee id: one lookup per reference.
        let mut own: HashMap<&str, usize> = HashMap::default();
        for (k, a) in actions.iter().enumerate() {
            if let (Some(e), Action::Create { .. } | Action::Update { .. }) =
                (&a.employee_id, &a.action)
                && let Some((key, _)) = self.by_id.get_key_value(e.as_str())
            {
                own.entry(*key).or_insert(k);
            }
        }
        let created = depth
            .iter()
            .filter_map(|(id, d)| Some((*self.by_id.get(id)?, *d)));
        let candidates = created
            .map(|(i, own_depth)| (i, Some(own_depth)))
            .chain(awaiting_manager.iter().map(|&i| (i, None)));
        let mut added = Vec::new();
        for (i, own_depth) in candidates {
            let Some(m) = self.manager_of(i) else {
                continue;
            };
            let Some(&manager_depth) = depth.get(self.emps[m].id.as_str()) else {
                continue;
            };
            // A create refers only to a create of smaller depth: no two creates wait for each
            // other, whatever cycles HR data holds.
            if own_depth.is_some_and(|d| manager_depth >= d) {
                continue;
            }
            let fills = self.fills(i, m, &attributes);
            if fills.is_empty() {
                continue;
            }
            match own.get(self.emps[i].id.as_str()) {
                Some(&k) => actions[k].fills.extend(fills),
                None => {
                    if let Some(u) = self.user_of(i) {
                        let mut update = self.action(
                            Some(i),
                            u,
                            Action::Update {
                                changes: BTreeMap::new(),
                            },
                            Reason::ProfileChanged,
                        );
                        update.fills = fills;
                        added.push(update);
                    }
                }
            }
        }
        actions.append(&mut added);
    }

    /// The references of employee `i` to manager `m`'s future id, one per attribute whose
    /// rendered value holds the id once, untransformed.
    fn fills(&self, i: usize, m: usize, attributes: &BTreeSet<String>) -> BTreeMap<String, IdRef> {
        let current = self.user_of(i).map(|u| &self.users[u].profile);
        let mut ctx = self.context(i);
        ctx.manager_okta.id = Some(PLACEHOLDER);
        let mut buf = String::new();
        let mut fills = BTreeMap::new();
        for name in attributes {
            let Some(mapping) = self.policy.mapping.attributes.get(name) else {
                continue;
            };
            let Ok(Some(DesiredRef::Set(text))) =
                render_attribute_into(name, mapping, &ctx, &mut buf)
            else {
                continue;
            };
            let mut parts = text.split(PLACEHOLDER);
            if let (Some(prefix), Some(suffix), None) = (parts.next(), parts.next(), parts.next()) {
                fills.insert(
                    name.clone(),
                    IdRef {
                        created_for: self.emps[m].id.clone(),
                        prefix: prefix.to_owned(),
                        suffix: suffix.to_owned(),
                        old: current
                            .and_then(|p| p.get(name))
                            .filter(|v| !v.is_null())
                            .cloned(),
                    },
                );
            }
        }
        fills
    }
}
