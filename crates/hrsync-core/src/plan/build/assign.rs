//! The planner's pick of unique logins: linked employees keep theirs (or get the template's
//! when it changed), new ones take the first free candidate; an unanchored Okta user holding
//! a new employee's login is adopted or reported as a conflict (`on_conflict`). Pure.

use super::{Builder, Link};
use crate::mapping::{Filled, Rendered};
use crate::model::{OktaUser, UserStatus};
use crate::plan::logins::{LoginRegistry, login_key_cow};
use crate::plan::{Finding, FindingKind, Reason};
use crate::policy::OnConflict;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::borrow::Cow;

impl<'a> Builder<'a> {
    /// Picks the login of employee `i` whose Okta user (if any) has login `own`. Fast path: the
    /// template login is the user's own (borrowed, and already taken in the registry as an
    /// Okta login), or is free for a new user; otherwise every candidate.
    fn pick_login(
        &self,
        registry: &mut LoginRegistry,
        i: usize,
        own: Option<&'a str>,
        buf: &mut String,
    ) -> Option<Cow<'a, str>> {
        if let Some(primary) = self.policy.mapping.attributes.get("login")
            && let Ok(Filled::Value) = primary.template.render_into(&self.bare_context(i), buf)
        {
            match own {
                Some(own) if own == buf.as_str() => return Some(Cow::Borrowed(own)),
                Some(own) if login_key_cow(own) == login_key_cow(buf) => {
                    return Some(Cow::Owned(buf.clone()));
                }
                None if registry.is_free(&login_key_cow(buf)) => {
                    registry.reserve(buf);
                    return Some(Cow::Owned(buf.clone()));
                }
                _ => {}
            }
        }
        let candidates = self.login_candidates(i);
        registry.pick(&candidates, own).map(Cow::Owned)
    }

    /// Login candidates: the `login` template, then the fallbacks (empty ones skipped).
    fn login_candidates(&self, i: usize) -> Vec<String> {
        let ctx = self.bare_context(i);
        let mapping = &self.policy.mapping;
        let primary = mapping.attributes.get("login").map(|a| &a.template);
        primary
            .into_iter()
            .chain(mapping.login_fallbacks.iter())
            .filter_map(|t| match t.render(&ctx) {
                Ok(Rendered::Value(v)) => Some(v),
                _ => None,
            })
            .collect()
    }

    /// Picks unique logins: linked employees first (they keep theirs), then new ones, each
    /// group in employee-id order; decides conflicts and adoptions on the template login.
    pub(super) fn assign_logins(&mut self) {
        let mut registry = LoginRegistry::new(self.users.iter().filter_map(OktaUser::login));
        let mut buf = String::new();
        let mut unanchored: HashMap<String, usize> = HashMap::new();
        for (u, user) in self.users.iter().enumerate() {
            if !self.anchored[u]
                && let Some(login) = user.login()
            {
                unanchored.entry(login.to_lowercase()).or_insert(u);
            }
        }
        for i in 0..self.emps.len() {
            let (Link::User(u) | Link::Relink(u)) = self.links[i] else {
                continue;
            };
            let user = &self.users[u];
            // Only users whose profile is updated in this run get a (possibly new) login.
            let updatable =
                user.status != UserStatus::Deprovisioned || self.facts[i].activate.is_some();
            if self.facts[i].departed.is_some()
                || user.transitioning_to_status.is_some()
                || !updatable
                || !self.maps_cleanly(i)
            {
                continue;
            }
            self.logins[i] = self.pick_login(&mut registry, i, user.login(), &mut buf);
        }
        let mut adopted: HashSet<usize> = HashSet::new();
        for i in 0..self.emps.len() {
            if !self.wants_create(i) || !self.maps_cleanly(i) {
                continue;
            }
            let candidates = self.login_candidates(i);
            let Some(primary) = candidates.first() else {
                continue;
            };
            // A user another employee adopts in this run is simply a taken login.
            if let Some(&u) = unanchored
                .get(&primary.to_lowercase())
                .filter(|u| !adopted.contains(*u))
            {
                let user = &self.users[u];
                let why = if self.policy.mapping.on_conflict == OnConflict::Report {
                    Some(format!(
                        "an Okta user {} without {} already has login {primary}; on_conflict = report leaves it alone (set on_conflict = \"adopt\" to manage it)",
                        user.id, self.policy.anchor_attribute
                    ))
                } else if user.status == UserStatus::Deprovisioned
                    || user.transitioning_to_status.is_some()
                {
                    Some(format!(
                        "the Okta user {} with login {primary} has no {} and is {}; reactivate or remove it by hand",
                        user.id,
                        self.policy.anchor_attribute,
                        user.transitioning_to_status.unwrap_or(user.status)
                    ))
                } else {
                    None
                };
                match why {
                    Some(why) => self.links[i] = Link::Conflict(u, why),
                    None => {
                        adopted.insert(u);
                        self.links[i] = Link::Adopt(u);
                        self.logins[i] = registry.pick(&candidates, user.login()).map(Cow::Owned);
                    }
                }
                continue;
            }
            // A create refused for a shared mailbox gets no login: none is reserved, and its
            // reports do not name a login that will not exist.
            if self.email_refusal(i).is_some() {
                continue;
            }
            self.logins[i] = registry.pick(&candidates, None).map(Cow::Owned);
            if let (Some(picked), Some(wanted)) = (&self.logins[i], candidates.first())
                && picked.as_ref() != wanted.as_str()
                && self.wants_create(i)
            {
                let employee = self.emps[i];
                self.findings.push(Finding {
                    kind: FindingKind::Notice,
                    employee_id: Some(employee.id.clone()),
                    okta_id: None,
                    reason: Reason::LoginConflict,
                    detail: format!(
                        "employee {} ({}): the login {wanted} is taken (by an Okta user or another employee in this snapshot, ignoring case and accents); the user is created as {picked}. Check the HR record's email if two people share it",
                        employee.id, employee.origin
                    ),
                });
            }
        }
    }
}
