//! Per-employee decisions: create, update (attribute by attribute), activate, reactivate
//! (rehire), unsuspend, deactivate, suspend, or nothing, each with a reason; plus skips,
//! conflicts and orphans (what a leaver's or an orphan's user gets is in `departure`). Pure;
//! never applies plan limits (that is `guard`'s job).

use super::build::{Builder, Link};
use super::{Action, Finding, FindingKind, PlannedAction, Reason};
use crate::mapping::{Desired, DesiredProfile, ManagerOkta, MappingContext, desired_profile};
use crate::model::{EmployeeId, OktaUser, Profile, UserStatus};
use crate::policy::ActivationMode;
use serde_json::Value;

/// What deciding produces.
#[derive(Debug, Default)]
pub(super) struct Out {
    /// The actions, in decision order (`order` sorts them).
    pub actions: Vec<PlannedAction>,
    /// Everything deliberately not done.
    pub findings: Vec<Finding>,
    /// Employees whose Okta user's profile was compared cleanly while their manager (in the
    /// snapshot, not leaving) has no Okta user yet: the ones whose manager-id attributes a
    /// create of that manager in this plan can fill (see `references`).
    pub awaiting_manager: Vec<usize>,
}

impl Builder<'_> {
    /// Decides for every employee (in id order), then for every orphan.
    pub(super) fn decide_all(&self) -> Out {
        let mut out = Out::default();
        for i in 0..self.emps.len() {
            self.decide(i, &mut out);
        }
        for &u in &self.orphans {
            self.decide_orphan(u, &mut out);
        }
        out
    }

    pub(super) fn finding(
        &self,
        i: Option<usize>,
        u: Option<usize>,
        kind: FindingKind,
        reason: Reason,
        detail: String,
    ) -> Finding {
        Finding {
            kind,
            employee_id: i.map(|i| self.emps[i].id.clone()),
            okta_id: u.map(|u| self.users[u].id.clone()),
            reason,
            detail,
        }
    }

    pub(super) fn action(
        &self,
        i: Option<usize>,
        u: usize,
        action: Action,
        reason: Reason,
    ) -> PlannedAction {
        let user = &self.users[u];
        PlannedAction {
            employee_id: i.map(|i| self.emps[i].id.clone()),
            okta_id: Some(user.id.clone()),
            login: user.login().map(str::to_owned),
            action,
            reason,
            fills: Default::default(),
        }
    }

    /// The mapping context of employee `i`, with the manager's Okta identity as far as known.
    /// A manager who has left gives no Okta identity: the report's manager attributes are left
    /// as they are until HR names a new manager (and a leaver's several accounts, all being
    /// deactivated, never make the answer depend on which one Okta keeps).
    pub(super) fn context(&self, i: usize) -> MappingContext<'_> {
        let m = self.manager_of(i);
        let m_okta = m.filter(|m| self.facts[*m].departed.is_none());
        let manager_user = m_okta.and_then(|m| self.user_of(m)).map(|u| &self.users[u]);
        let manager_okta = ManagerOkta {
            login: m_okta
                .and_then(|m| self.logins[m].as_deref())
                .or_else(|| manager_user.and_then(OktaUser::login)),
            id: manager_user.map(|u| u.id.as_str()),
        };
        MappingContext {
            employee: self.emps[i],
            has_manager: self.emps[i].manager_id.is_some(),
            manager: m.map(|m| self.emps[m]),
            manager_okta,
        }
    }

    /// The desired profile of employee `i`, with the picked login and the anchor.
    fn profile(&self, i: usize) -> Result<DesiredProfile, String> {
        let mut p =
            desired_profile(&self.policy.mapping, &self.context(i)).map_err(|e| e.to_string())?;
        match &self.logins[i] {
            Some(login) => {
                p.attributes
                    .insert("login".to_owned(), Desired::Set(login.to_string()));
            }
            None => {
                p.attributes.remove("login");
            }
        }
        p.attributes.insert(
            self.policy.anchor_attribute.clone(),
            Desired::Set(self.emps[i].id.as_str().to_owned()),
        );
        Ok(p)
    }

    fn decide(&self, i: usize, out: &mut Out) {
        let e = self.emps[i];
        let f = &self.facts[i];
        let skip = |reason, detail| self.finding(Some(i), None, FindingKind::Skip, reason, detail);
        match &self.links[i] {
            Link::Ambiguous(users) => {
                let ids: Vec<&str> = users.iter().map(|u| self.users[*u].id.as_str()).collect();
                let (ids, anchor) = (ids.join(", "), &self.policy.anchor_attribute);
                match f.departed {
                    // A leaver keeps no account: every live one goes (the safe direction).
                    Some(reason) => {
                        out.findings.push(self.finding(Some(i), None, FindingKind::Notice, Reason::DuplicateAnchor, format!(
                            "employee {} has left ({}) and several live Okta users carry {anchor} = {}: {ids}; every one of them loses access as [termination] says",
                            e.id, reason.code(), e.id
                        )));
                        for &u in users {
                            self.decide_departure(Some(i), u, reason, f.before_start(self.now), out);
                        }
                    }
                    None => out.findings.push(self.finding(Some(i), None, FindingKind::Conflict, Reason::DuplicateAnchor, format!(
                        "employee {}: several live Okta users carry {anchor} = {}: {ids}; nothing is done for this employee until only one does (deactivate the extra account in Okta)",
                        e.id, e.id
                    ))),
                }
            }
            Link::Conflict(u, why) => {
                out.findings.push(self.finding(
                    Some(i),
                    Some(*u),
                    FindingKind::Conflict,
                    Reason::LoginConflict,
                    format!("employee {}: {why}", e.id),
                ));
            }
            Link::None => match f.departed {
                Some(Reason::OutOfScope) => out.findings.push(skip(
                    Reason::OutOfScope,
                    format!(
                        "employee {} is outside the configured scope; no Okta user is created",
                        e.id
                    ),
                )),
                Some(_) => {}
                None if !f.may_create(self.now) => out.findings.push(skip(
                    Reason::NotYetDue,
                    format!(
                        "employee {}: the Okta user is created from {}",
                        e.id,
                        f.create_from.map(|t| t.to_rfc3339()).unwrap_or_default()
                    ),
                )),
                None => self.decide_create(i, out),
            },
            Link::User(u) | Link::Adopt(u) | Link::Relink(u) => self.decide_linked(i, *u, out),
        }
    }

    fn decide_create(&self, i: usize, out: &mut Out) {
        let e = self.emps[i];
        let fail = |detail: String| {
            self.finding(
                Some(i),
                None,
                FindingKind::Skip,
                Reason::MappingFailed,
                detail,
            )
        };
        let profile = match self.profile(i) {
            Ok(p) => p,
            Err(msg) => {
                return out
                    .findings
                    .push(fail(format!("{msg}; no Okta user is created")));
            }
        };
        if let Some(Desired::Set(email)) = profile.attributes.get("email")
            && let Some(why) = self.shared_email(i, email)
        {
            return out.findings.push(self.finding(
                Some(i),
                None,
                FindingKind::Conflict,
                Reason::SharedEmail,
                why,
            ));
        }
        let Some(login) = self.logins[i].as_deref().map(str::to_owned) else {
            return out.findings.push(fail(format!(
                "employee {}: attribute login: the login template and its fallbacks give no usable login; no Okta user is created",
                e.id
            )));
        };
        let mut typed = Profile::new();
        for (k, d) in profile.attributes {
            let Desired::Set(v) = d else { continue };
            let schema = self
                .policy
                .mapping
                .attributes
                .get(&k)
                .and_then(|m| m.schema);
            let value = match schema {
                Some(schema) => match crate::mapping::typed::convert(&v, &schema) {
                    Ok(value) => value,
                    Err(err) => {
                        let why = super::diff::type_refusal(e.id.as_str(), &k, &err);
                        return out
                            .findings
                            .push(fail(format!("{why}; no Okta user is created")));
                    }
                },
                None => Value::String(v),
            };
            typed.insert(k, value);
        }
        let profile = typed;
        out.actions.push(PlannedAction {
            employee_id: Some(e.id.clone()),
            okta_id: None,
            login: Some(login),
            action: Action::Create {
                profile,
                activate: self.facts[i].activate.is_some(),
            },
            reason: Reason::NewHire,
            fills: Default::default(),
        });
    }

    fn decide_linked(&self, i: usize, u: usize, out: &mut Out) {
        let e = self.emps[i];
        let f = &self.facts[i];
        let user = &self.users[u];
        let adopted = matches!(self.links[i], Link::Adopt(_));
        let relinked = matches!(self.links[i], Link::Relink(_));
        if let Some(to) = user.transitioning_to_status {
            return out.findings.push(self.finding(Some(i), Some(u), FindingKind::Skip, Reason::NotYetDue, format!(
                "employee {}: Okta is still moving user {} to {to}; nothing is planned for it this run",
                e.id, user.id
            )));
        }
        if let Some(reason) = f.departed {
            return self.decide_departure(Some(i), u, reason, f.before_start(self.now), out);
        }
        let mut lifecycle = None;
        let mut update_reason = if adopted {
            Reason::Adopted
        } else if relinked {
            Reason::Relinked
        } else {
            Reason::ProfileChanged
        };
        let mut can_update = true;
        match user.status {
            UserStatus::Staged => lifecycle = f.activate.map(|r| (Action::Activate, r)),
            UserStatus::Deprovisioned => match f.activate {
                Some(_) => {
                    lifecycle = Some((Action::Activate, Reason::Rehired));
                    if !relinked {
                        update_reason = Reason::Rehired;
                    }
                }
                None => {
                    can_update = false;
                    let when = if self.policy.activation.mode == ActivationMode::Never {
                        "activation mode never: an admin reactivates it by hand"
                    } else {
                        "it is reactivated when activation is due"
                    };
                    let whose = if relinked {
                        " (the account of a former employee with the same email: it is relinked then)".to_owned()
                    } else {
                        String::new()
                    };
                    out.findings.push(self.finding(Some(i), Some(u), FindingKind::Skip, Reason::NotYetDue, format!(
                        "employee {} is active in HR but Okta user {} is deactivated{whose}; {when}",
                        e.id, user.id
                    )));
                }
            },
            UserStatus::Suspended if f.activate.is_some() && self.hrsync_suspends() => {
                lifecycle = Some((Action::Unsuspend, Reason::Reinstated));
            }
            UserStatus::Active if f.on_leave_suspended => {
                if self.policy.is_service_account(user.login()) {
                    out.findings.push(self.finding(Some(i), Some(u), FindingKind::Skip, Reason::ServiceAccount, format!(
                        "employee {} is on leave, but Okta user {} is the service account; it is never suspended",
                        e.id, user.id
                    )));
                } else {
                    lifecycle = Some((Action::Suspend, Reason::OnLeave));
                }
            }
            status if f.on_leave_suspended && status.is_activated() => {
                out.findings.push(self.finding(Some(i), Some(u), FindingKind::Skip, Reason::OnLeave, format!(
                    "employee {} is on leave (on_leave = \"suspend\") but Okta user {} is {status}; Okta suspends only ACTIVE users, so it is suspended once it is ACTIVE",
                    e.id, user.id
                )));
            }
            _ => {}
        }
        if can_update {
            match self.changes(i, user) {
                Ok(mut changes) => {
                    if self.manager_of(i).is_some_and(|m| {
                        self.facts[m].departed.is_none() && self.user_of(m).is_none()
                    }) {
                        out.awaiting_manager.push(i);
                    }
                    let new_email = changes
                        .get("email")
                        .and_then(|c| c.new.as_ref())
                        .and_then(Value::as_str);
                    if let Some(why) = new_email.and_then(|e| self.refused_email_change(i, u, e)) {
                        changes.remove("email");
                        out.findings.push(self.finding(
                            Some(i),
                            Some(u),
                            FindingKind::Conflict,
                            Reason::SharedEmail,
                            format!(
                                "{why}; the primary email of Okta user {} is not changed",
                                user.id
                            ),
                        ));
                    }
                    if !changes.is_empty() {
                        out.actions.push(self.action(
                            Some(i),
                            u,
                            Action::Update { changes },
                            update_reason,
                        ));
                    }
                }
                Err(msg) => out.findings.push(self.finding(
                    Some(i),
                    Some(u),
                    FindingKind::Skip,
                    Reason::MappingFailed,
                    format!("{msg}; the profile of Okta user {} is not updated", user.id),
                )),
            }
        }
        if let Some((action, reason)) = lifecycle {
            out.actions.push(self.action(Some(i), u, action, reason));
        }
    }
}

/// The employee id of an action, for ordering (orphans sort last).
pub(super) fn employee_key(a: &PlannedAction) -> (bool, Option<&EmployeeId>) {
    (a.employee_id.is_none(), a.employee_id.as_ref())
}
