//! Decisions for people who leave and for orphans: deactivate, suspend or nothing for a
//! leaver's Okta user (by `[termination] action`, a rescinded hire's STAGED user always
//! deactivated); for an Okta user no employee claims, deactivate or report by
//! `[termination] orphans`, never on the strength of a refused HR record and never on an
//! incremental pass (it waits for the full pass). The service account is never touched.
//! Pure; decides, never applies.

use super::build::Builder;
use super::decide::Out;
use super::{Action, FindingKind, Reason};
use crate::model::UserStatus;
use crate::policy::{OnLeave, OrphanPolicy, TerminationAction};

impl Builder<'_> {
    /// Whether hrsync itself suspends users (leavers or people on leave), so that a suspended
    /// user of a working person is one it may unsuspend. A user suspended by hand while
    /// hrsync never suspends is left alone.
    pub(super) fn hrsync_suspends(&self) -> bool {
        self.policy.termination.action == TerminationAction::Suspend
            || self.policy.activation.on_leave == OnLeave::Suspend
    }

    /// A leaver (or an orphan, `i = None`) whose Okta user `u` may lose access.
    pub(super) fn decide_departure(
        &self,
        i: Option<usize>,
        u: usize,
        reason: Reason,
        before_start: bool,
        out: &mut Out,
    ) {
        let user = &self.users[u];
        let who = match i {
            Some(i) => format!("employee {}", self.emps[i].id),
            None => format!("Okta user {}", user.id),
        };
        let planned = match user.status {
            UserStatus::Deprovisioned => None,
            UserStatus::Staged
                if i.is_none() || reason == Reason::RescindedHire || before_start =>
            {
                Some((Action::Deactivate, Reason::RescindedHire))
            }
            _ if i.is_none() => match self.policy.termination.orphans {
                OrphanPolicy::Deactivate => Some((Action::Deactivate, Reason::Orphan)),
                OrphanPolicy::Report => {
                    return out.findings.push(self.finding(None, Some(u), FindingKind::Orphan, Reason::Orphan, format!(
                        "Okta user {} ({}) carries {} = {} but no employee in the snapshot has that id; reported only (termination.orphans = \"report\")",
                        user.id, user.status, self.policy.anchor_attribute,
                        super::build::anchor_of(user, &self.policy.anchor_attribute).unwrap_or_default()
                    )));
                }
            },
            status => match self.policy.termination.action {
                TerminationAction::None => None,
                TerminationAction::Deactivate => Some((Action::Deactivate, reason)),
                TerminationAction::Suspend => match status {
                    UserStatus::Active => Some((Action::Suspend, reason)),
                    UserStatus::Suspended | UserStatus::Staged => None,
                    other => {
                        return out.findings.push(self.finding(i, Some(u), FindingKind::Skip, reason, format!(
                            "{who} has left ({}) but Okta user {} is {other}; Okta suspends only ACTIVE users, so it is suspended once it is ACTIVE",
                            reason.code(), user.id
                        )));
                    }
                },
            },
        };
        let Some((action, reason)) = planned else {
            return;
        };
        if self.policy.is_service_account(user.login()) {
            return out.findings.push(self.finding(i, Some(u), FindingKind::Skip, Reason::ServiceAccount, format!(
                "{who}: Okta user {} is the service account; it is never deactivated or suspended ({} not done)",
                user.id, action.kind()
            )));
        }
        out.actions.push(self.action(i, u, action, reason));
    }

    pub(super) fn decide_orphan(&self, u: usize, out: &mut Out) {
        let user = &self.users[u];
        if user.transitioning_to_status.is_some() {
            return;
        }
        // A record the source refused (bad field, cut line) is not a leaver: never deactivate
        // on the strength of a broken record.
        let anchor = super::build::anchor_of(user, &self.policy.anchor_attribute);
        let refused = anchor
            .as_deref()
            .is_some_and(|a| self.refused_ids.contains(a));
        if user.status != UserStatus::Deprovisioned && (refused || self.refused_without_id) {
            let why = if refused {
                "its HR record was refused (see the rejected records)".to_owned()
            } else {
                "the HR snapshot has a refused record whose id could not be read".to_owned()
            };
            return out.findings.push(self.finding(None, Some(u), FindingKind::Orphan, Reason::Orphan, format!(
                "Okta user {} ({}) carries {} = {} but no valid employee has that id; left alone because {why}",
                user.id, user.status, self.policy.anchor_attribute, anchor.unwrap_or_default()
            )));
        }
        if self.pass == super::Pass::Incremental && user.status != UserStatus::Deprovisioned {
            let mut deferred = Out::default();
            self.decide_departure(None, u, Reason::Orphan, false, &mut deferred);
            out.findings.append(&mut deferred.findings);
            if let Some(a) = deferred.actions.first() {
                out.findings.push(self.finding(None, Some(u), FindingKind::Orphan, Reason::Orphan, format!(
                    "Okta user {} ({}) carries {} = {} but no employee in the snapshot has that id; {} waits for the next full pass (this run read only the Okta users that changed)",
                    user.id, user.status, self.policy.anchor_attribute, anchor.unwrap_or_default(), a.action.kind()
                )));
            }
            return;
        }
        self.decide_departure(None, u, Reason::Orphan, false, out);
    }
}
