//! Identity on an incremental pass: before a plan made from the cache creates anyone, every
//! login a create would take (and its email, when it differs) is read from Okta by login (`GET /api/v1/users/{login}`, always
//! fresh, unlike the search index). A user found there — made by hand during the index lag,
//! or missed by the cache for any reason — is added to the run's users and the run plans
//! again, so it is linked, adopted or reported as a conflict instead of duplicated.
//!
//! It reads only; the planner decides. When it cannot vouch for a create (more than
//! [`super::reads::MAX_CREATE_LOOKUPS`] creates, a login Okta cannot read by login, or
//! lookups that keep finding users), it says so and the run lists every user instead.

use crate::model::OktaUser;
use crate::okta::{self, OktaRead};
use crate::plan::{Action, Plan};
use std::collections::BTreeSet;

/// Rounds of look-up and re-plan before the run lists every user instead.
pub(super) const MAX_ROUNDS: usize = 3;

/// What the look-ups found.
pub(super) enum Checked {
    /// No create's login is taken in Okta by a user the run does not know.
    Clear,
    /// These users hold logins a create would take: add them and plan again.
    Found(Vec<OktaUser>),
    /// The creates cannot be vouched for by look-ups; list every user instead (why).
    ListAll(String),
}

/// The login each create of `plan` would take, and its email when that differs (an account
/// made by hand often has the email as its login).
fn create_logins(plan: &Plan) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in &plan.actions {
        let Action::Create { profile, .. } = &a.action else {
            continue;
        };
        let text = |k: &str| profile.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        out.extend(text("login").or_else(|| a.login.clone()));
        out.extend(text("email"));
    }
    out
}

/// Reads every login a create of `plan` would take (those in `checked` already were) and
/// says what was found; adds the logins read to `checked`.
pub(super) async fn check<D: OktaRead>(
    okta: &D,
    plan: &Plan,
    checked: &mut BTreeSet<String>,
) -> Result<Checked, okta::Error> {
    let logins: Vec<String> = create_logins(plan)
        .into_iter()
        .filter(|l| !checked.contains(&l.to_lowercase()))
        .collect();
    if logins.is_empty() {
        return Ok(Checked::Clear);
    }
    if checked.len() + logins.len() > super::reads::MAX_CREATE_LOOKUPS {
        return Ok(Checked::ListAll(format!(
            "{} creates to check against Okta, more than {} read one by one",
            checked.len() + logins.len(),
            super::reads::MAX_CREATE_LOOKUPS
        )));
    }
    if let Some(l) = logins.iter().find(|l| l.contains('/') || l.contains('?')) {
        return Ok(Checked::ListAll(format!(
            "the login {l} of a create cannot be read by login"
        )));
    }
    let answers = futures::future::join_all(logins.iter().map(|l| okta.get_user(l))).await;
    let mut found = Vec::new();
    for (login, answer) in logins.iter().zip(answers) {
        checked.insert(login.to_lowercase());
        match answer {
            Ok(user) => {
                tracing::warn!(
                    login = login.as_str(),
                    okta_id = %user.id,
                    status = %user.status,
                    "a create's login is taken by an Okta user the cache did not hold as it is; planning again with it"
                );
                found.push(user);
            }
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(if found.is_empty() {
        Checked::Clear
    } else {
        Checked::Found(found)
    })
}
