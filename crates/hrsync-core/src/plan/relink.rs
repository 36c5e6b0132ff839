//! Rehires under a new id, and id changes: a new employee (no anchored user) whose work email
//! is the email or login of a *managed* user whose HR record is gone is that person. The plan
//! relinks the user (stamps the new id as anchor; reactivates it when the person is due)
//! instead of creating a second account. Pure.
//!
//! Only unambiguous matches relink: one orphan for one employee. An orphan two employees
//! claim, or an employee two orphans match, stays unlinked (and the shared-email rule refuses
//! the create), for a person to sort out. Orphans whose record the source refused are not
//! candidates: that record is still theirs.

use super::build::{Builder, Link, anchor_of};
use crate::mapping::Rendered;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

impl Builder<'_> {
    /// Turns `Link::None` into `Link::Relink` where a new employee's email names exactly one
    /// orphan, and takes those users off the orphan list.
    pub(super) fn relink(&mut self) {
        if self.orphans.is_empty() {
            return;
        }
        let Some(email) = self.policy.mapping.attributes.get("email") else {
            return;
        };
        let mut by_address: HashMap<String, Vec<usize>> = HashMap::new();
        for &u in &self.orphans {
            let user = &self.users[u];
            let refused = anchor_of(user, &self.policy.anchor_attribute)
                .is_some_and(|a| self.refused_ids.contains(a.as_ref()));
            if user.transitioning_to_status.is_some() || refused {
                continue;
            }
            let mut seen = HashSet::new();
            for attr in ["email", "login"] {
                if let Some(v) = user.attr(attr) {
                    let key = v.trim().to_lowercase();
                    if !key.is_empty() && seen.insert(key.clone()) {
                        by_address.entry(key).or_default().push(u);
                    }
                }
            }
        }
        if by_address.is_empty() {
            return;
        }
        let mut claims: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..self.emps.len() {
            if self.links[i] != Link::None || self.facts[i].departed.is_some() {
                continue;
            }
            let Ok(Rendered::Value(address)) = email.template.render(&self.bare_context(i)) else {
                continue;
            };
            if let Some([u]) = by_address.get(&address.to_lowercase()).map(Vec::as_slice) {
                claims.entry(*u).or_default().push(i);
            }
        }
        let mut relinked = HashSet::new();
        for (u, claimants) in claims {
            if let [i] = claimants[..] {
                self.links[i] = Link::Relink(u);
                relinked.insert(u);
            }
        }
        self.orphans.retain(|u| !relinked.contains(u));
    }
}
