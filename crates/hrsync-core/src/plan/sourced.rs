//! Users whose profile another directory or app masters (their `credentials.provider.type`
//! is not `OKTA`: Active Directory, LDAP, an importing app, an identity provider): every
//! write the planner decided for one becomes a conflict finding instead, naming the source,
//! so `plan` shows it and apply never sends it (Okta would answer 403 E0000023, or the source
//! would overwrite the change at its next import).
//!
//! Pure; it decides nothing else about the user.

use super::{Finding, FindingKind, PlannedAction, Reason};
use crate::model::OktaUser;
use std::collections::HashMap;

/// Moves the actions on profile-sourced users out of `actions` into `findings`.
pub(super) fn hold_sourced(
    actions: Vec<PlannedAction>,
    users: &[OktaUser],
    findings: &mut Vec<Finding>,
) -> Vec<PlannedAction> {
    let sourced: HashMap<&str, String> = users
        .iter()
        .filter_map(|u| Some((u.id.as_str(), u.profile_source()?)))
        .collect();
    if sourced.is_empty() {
        return actions;
    }
    let mut kept = Vec::with_capacity(actions.len());
    for action in actions {
        let source = action
            .okta_id
            .as_ref()
            .and_then(|id| sourced.get(id.as_str()));
        match source {
            Some(source) => findings.push(finding(&action, source)),
            None => kept.push(action),
        }
    }
    kept
}

fn finding(action: &PlannedAction, source: &str) -> Finding {
    let who = match (&action.employee_id, &action.login) {
        (Some(e), Some(login)) => format!("employee {e} ({login})"),
        (Some(e), None) => format!("employee {e}"),
        (None, Some(login)) => login.clone(),
        (None, None) => "this user".to_owned(),
    };
    let okta = action.okta_id.as_ref().map_or("", |o| o.as_str());
    Finding {
        kind: FindingKind::Conflict,
        employee_id: action.employee_id.clone(),
        okta_id: action.okta_id.clone(),
        reason: Reason::MasteredElsewhere,
        detail: format!(
            "{who}: Okta user {okta} is mastered by {source}, not by Okta; the planned {kind} is not sent (Okta refuses it with 403 E0000023, or {source} overwrites it): make the change in {source}, or make Okta the profile source for this user",
            kind = action.action.kind(),
        ),
    }
}
