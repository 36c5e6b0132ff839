//! What hrsync itself linked before, used against an incomplete Okta listing: an employee whose
//! linked Okta user (from the journal's link table) is missing from this run's listing has that
//! user read by id before anything is planned, so a listing that left users out (an empty
//! DEPROVISIONED page, say) never makes hrsync create a second account. After a run, the links
//! it saw and made are recorded.

use crate::apply::ApplyReport;
use crate::apply::Outcome;
use crate::journal::{Journal, JournalError, LinkFact};
use crate::model::OktaUser;
use crate::okta::{self, OktaRead};
use crate::plan::{Action, anchor_of};
use crate::source::Snapshot;
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// Most linked users one run reads by id. More missing than this is not a few deleted or
/// lagging users but a broken listing: the run stops rather than plan from it.
pub const MAX_RECOVERED: usize = 50;

/// Why the missing linked users could not be recovered.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    /// The journal could not be read or written.
    #[error("journal")]
    Journal(#[from] JournalError),
    /// Okta could not be read.
    #[error("Okta: reading linked user {okta_id} of employee {employee_id} by id")]
    Okta {
        /// The employee.
        employee_id: String,
        /// The user read.
        okta_id: String,
        /// Okta's answer.
        #[source]
        source: okta::Error,
    },
    /// Too many linked users are missing from the listing.
    #[error(
        "the Okta listing lacks {missing} users hrsync linked before (e.g. {example}); refusing to plan from an incomplete listing (more than {MAX_RECOVERED} would be read one by one); check the token's permissions and Okta's status, then run again"
    )]
    Incomplete {
        /// How many.
        missing: usize,
        /// `00u… (employee 1001)`.
        example: String,
    },
}

/// Reads by id every linked user of an employee in the snapshot that the listing lacks and
/// adds those that exist to `users`; forgets links to users Okta says are gone. Returns how
/// many were added.
/// `known` is the journal's link table ([`Journal::known_links`]).
pub async fn recover_missing<D: OktaRead>(
    okta: &D,
    journal: &Journal,
    known: &HashSet<LinkFact>,
    snapshot: &Snapshot,
    users: &mut Vec<OktaUser>,
) -> Result<usize, RecoverError> {
    let employees: HashSet<&str> = snapshot.employees.iter().map(|e| e.id.as_str()).collect();
    let listed: HashSet<&str> = users.iter().map(|u| u.id.as_str()).collect();
    let missing: Vec<(String, String)> = known
        .iter()
        .filter(|f| {
            employees.contains(f.employee_id.as_str()) && !listed.contains(f.okta_id.as_str())
        })
        .map(|f| (f.employee_id.clone(), f.okta_id.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if missing.len() > MAX_RECOVERED {
        let (employee, okta_id) = &missing[0];
        return Err(RecoverError::Incomplete {
            missing: missing.len(),
            example: format!("{okta_id} (employee {employee})"),
        });
    }
    let mut added = 0;
    for (employee_id, okta_id) in missing {
        match okta.get_user(&okta_id).await {
            Ok(user) => {
                tracing::warn!(
                    employee_id = employee_id.as_str(),
                    okta_id = okta_id.as_str(),
                    status = %user.status,
                    "a linked Okta user was missing from the listing; read it by id"
                );
                users.push(user);
                added += 1;
            }
            Err(e) if e.is_not_found() => {
                tracing::info!(
                    employee_id = employee_id.as_str(),
                    okta_id = okta_id.as_str(),
                    "a linked Okta user no longer exists; its link is forgotten"
                );
                journal.forget_link(&okta_id)?;
            }
            Err(source) => {
                return Err(RecoverError::Okta {
                    employee_id,
                    okta_id,
                    source,
                });
            }
        }
    }
    Ok(added)
}

/// Records the links of every anchored user listed and of every user this run created, with
/// their logins and emails; only facts not in `known` are written.
pub fn record(
    journal: &Journal,
    known: &HashSet<LinkFact>,
    users: &[OktaUser],
    anchor: &str,
    report: Option<&ApplyReport>,
    at: DateTime<Utc>,
) -> Result<usize, JournalError> {
    // Made lazily, one at a time as the journal writes them: the first run of an org has
    // two per user (198,060 at 100k), tens of MB held at once otherwise.
    let fact = |employee: &str, okta_id: &str, address: Option<&str>| {
        let address = address
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty())?;
        let fact = LinkFact {
            employee_id: employee.to_owned(),
            okta_id: okta_id.to_owned(),
            address,
        };
        (!known.contains(&fact)).then_some(fact)
    };
    let listed = users.iter().flat_map(|u| {
        let pair = anchor_of(u, anchor).map(|employee| {
            [
                fact(&employee, u.id.as_str(), u.login()),
                fact(&employee, u.id.as_str(), u.attr("email")),
            ]
        });
        pair.into_iter().flatten().flatten()
    });
    let created = report
        .map(|r| r.outcomes.as_slice())
        .unwrap_or_default()
        .iter()
        .flat_map(|o| {
            let pair = match (&o.action.action, &o.outcome, &o.action.employee_id) {
                (
                    Action::Create { profile, .. },
                    Outcome::Applied {
                        okta_id: Some(id), ..
                    },
                    Some(e),
                ) => {
                    let text = |k: &str| profile.get(k).and_then(|v| v.as_str());
                    Some([
                        fact(e.as_str(), id.as_str(), text("login")),
                        fact(e.as_str(), id.as_str(), text("email")),
                    ])
                }
                _ => None,
            };
            pair.into_iter().flatten().flatten()
        });
    journal.record_links(listed.chain(created), at)
}
