//! The planner's entry point: [`plan`] links employees to Okta users, picks unique logins
//! (`assign`), lets [`super::decide`] decide per employee, then orders the result and computes the next
//! wake-up. Pure and deterministic: no I/O, no clock, no hash-order dependence in the output.

use super::Policy;
use super::facts::Facts;
use super::{Finding, FindingKind, Plan, Reason};
use crate::mapping::{MappingContext, Template};
use crate::model::{Employee, OktaUser, UserStatus};
use crate::snapshot::Snapshot;
use chrono::{DateTime, Utc};
use foldhash::{HashMap, HashMapExt, HashSet};
use std::borrow::Cow;

/// How an employee is linked to Okta.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Link {
    /// No Okta user yet.
    None,
    /// The Okta user (index into `users`) carrying the employee's id as anchor.
    User(usize),
    /// An unanchored user with the employee's login, adopted (`on_conflict = adopt`).
    Adopt(usize),
    /// An unanchored user with the employee's login, left alone; the string says why.
    Conflict(usize, String),
    /// Several live users carry the employee's anchor.
    Ambiguous(Vec<usize>),
    /// A managed user whose HR record is gone, with this employee's email: the same person
    /// under a new id (see `relink`).
    Relink(usize),
}

/// Shared state of one planning pass.
pub(super) struct Builder<'a> {
    pub policy: &'a Policy,
    pub now: DateTime<Utc>,
    pub users: &'a [OktaUser],
    /// Employees sorted by id, duplicates removed.
    pub emps: Vec<&'a Employee>,
    pub by_id: HashMap<&'a str, usize>,
    /// Each employee's manager (index into `emps`), when the manager is in the snapshot.
    pub managers: Vec<Option<usize>>,
    pub facts: Vec<Facts>,
    pub links: Vec<Link>,
    /// The login picked for each employee in this run, when one is wanted (borrowed from the
    /// Okta user when it keeps its login).
    pub logins: Vec<Option<Cow<'a, str>>>,
    /// The mapped templates that can fail for some record (see [`Template::can_fail`]).
    pub fallible: Vec<&'a Template>,
    pub findings: Vec<Finding>,
    /// Anchored users whose anchor names no employee.
    pub orphans: Vec<usize>,
    /// Whether each user carries an anchor.
    pub anchored: Vec<bool>,
    pub managed: usize,
    /// Ids of records the source refused: their Okta users are not orphans.
    pub refused_ids: HashSet<&'a str>,
    /// A refused record whose id could not be read: any orphan might be that person.
    pub refused_without_id: bool,
    /// Who holds which primary email (built on first use: only runs that create need it).
    pub emails: super::emails::LazyEmails,
    /// Whether `users` is every user of the org or a cache (orphans wait for a full pass).
    pub pass: super::Pass,
}

/// The anchor value of a user, if it carries one (strings and numbers count; empty does not),
/// in the canonical form of employee ids (trimmed, NFC; a whole number in integer form), so an
/// anchor written by hand or by another tool still links.
pub fn anchor_of<'u>(user: &'u OktaUser, attribute: &str) -> Option<Cow<'u, str>> {
    match user.profile.get(attribute)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => {
            let s = s.trim();
            Some(if s.is_ascii() {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(crate::model::canonical_text(s))
            })
        }
        serde_json::Value::Number(n) => Some(Cow::Owned(crate::model::number_text(n))),
        _ => None,
    }
}

/// Plans one run: from the HR snapshot and every Okta user (DEPROVISIONED included) to the
/// ordered actions, the findings and the next wake-up. The plan limits are not applied here
/// (see [`super::guard::limit_plan`]).
pub fn plan(snapshot: &Snapshot, users: &[OktaUser], policy: &Policy, now: DateTime<Utc>) -> Plan {
    plan_pass(snapshot, users, policy, now, super::Pass::Full)
}

/// [`plan`] from users that are `pass`: on an incremental pass (a cache refreshed with what
/// changed) no orphan is deactivated; everything else is decided as on a full pass.
pub fn plan_pass(
    snapshot: &Snapshot,
    users: &[OktaUser],
    policy: &Policy,
    now: DateTime<Utc>,
    pass: super::Pass,
) -> Plan {
    let mut b = Builder::new(snapshot, users, policy, now);
    b.pass = pass;
    b.link();
    b.relink();
    b.assign_logins();
    let mut decided = b.decide_all();
    b.findings.append(&mut decided.findings);
    let actions = super::sourced::hold_sourced(decided.actions, users, &mut b.findings);
    super::order::finish(b, actions, &decided.awaiting_manager)
}

impl<'a> Builder<'a> {
    fn new(
        snapshot: &'a Snapshot,
        users: &'a [OktaUser],
        policy: &'a Policy,
        now: DateTime<Utc>,
    ) -> Self {
        let mut findings = Vec::new();
        let mut sorted: Vec<&Employee> = snapshot.employees.iter().collect();
        // Stable: of several records with one id, the first in source order is kept.
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        let mut emps: Vec<&Employee> = Vec::with_capacity(sorted.len());
        for e in sorted {
            if emps.last().is_some_and(|last| last.id == e.id) {
                findings.push(Finding {
                    kind: FindingKind::Skip,
                    employee_id: Some(e.id.clone()),
                    okta_id: None,
                    reason: Reason::MappingFailed,
                    detail: format!(
                        "{}: duplicate employee id {}; only the first record is used",
                        e.origin, e.id
                    ),
                });
            } else {
                emps.push(e);
            }
        }
        let by_id: HashMap<&str, usize> = emps
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let managers = emps
            .iter()
            .map(|e| {
                let m = e.manager_id.as_ref()?;
                by_id.get(m.as_str()).copied()
            })
            .collect();
        let mut instants = super::timing::InstantCache::default();
        let facts = emps
            .iter()
            .map(|e| Facts::of_cached(e, policy, now, &mut instants))
            .collect();
        let n = emps.len();
        Self {
            policy,
            now,
            users,
            emps,
            by_id,
            managers,
            facts,
            links: vec![Link::None; n],
            logins: vec![None; n],
            fallible: policy
                .mapping
                .attributes
                .values()
                .map(|a| &a.template)
                .filter(|t| t.can_fail())
                .collect(),
            findings,
            orphans: Vec::new(),
            anchored: vec![false; users.len()],
            managed: 0,
            refused_ids: snapshot
                .rejected
                .iter()
                .filter_map(|r| r.employee_id.as_deref())
                .map(str::trim)
                .collect(),
            refused_without_id: snapshot.rejected.iter().any(|r| r.employee_id.is_none()),
            emails: Default::default(),
            pass: super::Pass::Full,
        }
    }

    /// Links by anchor; collects orphans. Most employees have exactly one anchored user and
    /// are linked directly; only those with several go through the tie-break.
    fn link(&mut self) {
        let mut several: HashMap<usize, Vec<usize>> = HashMap::new();
        for (u, user) in self.users.iter().enumerate() {
            let Some(anchor) = anchor_of(user, &self.policy.anchor_attribute) else {
                continue;
            };
            self.managed += 1;
            self.anchored[u] = true;
            match self.by_id.get(anchor.as_ref()) {
                None => self.orphans.push(u),
                Some(&i) => match self.links[i] {
                    Link::User(first) => several.entry(i).or_insert_with(|| vec![first]).push(u),
                    _ => self.links[i] = Link::User(u),
                },
            }
        }
        for (i, mut list) in several {
            list.sort_by(|a, b| self.users[*a].id.cmp(&self.users[*b].id));
            let live: Vec<usize> = list
                .iter()
                .copied()
                .filter(|u| self.users[*u].status != UserStatus::Deprovisioned)
                .collect();
            // All deactivated: the one deactivated last (Okta's statusChanged), then by id.
            let latest = list
                .iter()
                .copied()
                .max_by(|a, b| {
                    let (ua, ub) = (&self.users[*a], &self.users[*b]);
                    (ua.status_changed, &ub.id).cmp(&(ub.status_changed, &ua.id))
                })
                .unwrap_or(list[0]);
            self.links[i] = match live.len() {
                0 => Link::User(latest),
                1 => Link::User(live[0]),
                _ => Link::Ambiguous(live),
            };
        }
        self.orphans
            .sort_by(|a, b| self.users[*a].id.cmp(&self.users[*b].id));
    }

    /// The manager's index in `emps`, if the manager is in the snapshot.
    pub(super) fn manager_of(&self, i: usize) -> Option<usize> {
        self.managers[i]
    }

    /// The Okta user linked (or adopted) for employee `i`.
    pub(super) fn user_of(&self, i: usize) -> Option<usize> {
        match self.links[i] {
            Link::User(u) | Link::Adopt(u) | Link::Relink(u) => Some(u),
            _ => None,
        }
    }

    /// A mapping context whose manager Okta identity is unknown (for logins).
    pub(super) fn bare_context(&self, i: usize) -> MappingContext<'a> {
        MappingContext {
            employee: self.emps[i],
            has_manager: self.emps[i].manager_id.is_some(),
            manager: self.manager_of(i).map(|m| self.emps[m]),
            manager_okta: Default::default(),
        }
    }

    /// Whether the employee's attributes render without error (a login is picked only for
    /// employees whose profile can be written in this run). Only templates that can fail are
    /// rendered.
    fn maps_cleanly(&self, i: usize) -> bool {
        if self.fallible.is_empty() {
            return true;
        }
        let ctx = self.bare_context(i);
        self.fallible.iter().all(|t| t.render(&ctx).is_ok())
    }

    /// Whether employee `i` would get a new Okta user now.
    pub(super) fn wants_create(&self, i: usize) -> bool {
        let f = &self.facts[i];
        self.links[i] == Link::None && f.departed.is_none() && f.may_create(self.now)
    }
}

mod assign;
