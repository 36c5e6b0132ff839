//! The planner's entry point: [`plan`] links employees to Okta users, picks unique logins,
//! lets [`super::decide`] decide per employee, then orders the result and computes the next
//! wake-up. Pure and deterministic: no I/O, no clock, no hash-order dependence in the output.

use super::Policy;
use super::facts::Facts;
use super::logins::{LoginRegistry, login_key_cow};
use super::{Finding, FindingKind, Plan, Reason};
use crate::mapping::{Filled, MappingContext, Rendered, Template};
use crate::model::{Employee, OktaUser, UserStatus};
use crate::policy::OnConflict;
use crate::snapshot::Snapshot;
use chrono::{DateTime, Utc};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
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

    /// Whether employee `i` would get a new Okta user now.
    pub(super) fn wants_create(&self, i: usize) -> bool {
        let f = &self.facts[i];
        self.links[i] == Link::None && f.departed.is_none() && f.may_create(self.now)
    }

    /// Picks unique logins: linked employees first (they keep theirs), then new ones, each
    /// group in employee-id order; decides conflicts and adoptions on the template login.
    fn assign_logins(&mut self) {
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
