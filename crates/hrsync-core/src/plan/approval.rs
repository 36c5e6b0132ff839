//! Plan-bound approvals, the pure part: every plan limit applied in one place with the
//! approvals a run was given, and the short id of what a blocked run held back (a hash of the
//! held actions, so an approval names exactly those and goes stale when they change).

use super::guard::{limit_creates, limit_login_changes, limit_plan, limit_relinks};
use super::{FindingKind, Plan, Policy};
use sha2::{Digest, Sha256};

/// How many actions of each class a run may do beyond the limits (`None`: none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Approvals {
    /// Deactivations and suspensions.
    pub deactivations: Option<u32>,
    /// Creates.
    pub creates: Option<u32>,
    /// Relinks.
    pub relinks: Option<u32>,
    /// Login renames.
    pub login_changes: Option<u32>,
}

impl Approvals {
    /// Everything held is approved (an approved plan id).
    pub const ALL: Approvals = Approvals {
        deactivations: Some(u32::MAX),
        creates: Some(u32::MAX),
        relinks: Some(u32::MAX),
        login_changes: Some(u32::MAX),
    };
}

/// Applies every plan limit (relinks, login renames, deactivations, creates; the initial load
/// is exempt from the create limit). Returns the plan and why each held class was held.
pub fn limit_all(
    plan: Plan,
    policy: &Policy,
    initial_load: bool,
    approvals: Approvals,
) -> (Plan, Vec<String>) {
    let safety = &policy.safety;
    let (plan, relinks) = limit_relinks(plan, safety, &policy.anchor_attribute, approvals.relinks);
    let (plan, logins) = limit_login_changes(plan, safety, approvals.login_changes);
    let (plan, deactivations) = limit_plan(plan, safety, approvals.deactivations);
    let (plan, creates) = limit_creates(plan, safety, initial_load, approvals.creates);
    let why = relinks
        .map(|r| r.to_string())
        .into_iter()
        .chain(logins.map(|l| l.to_string()))
        .chain(deactivations.map(|b| b.to_string()))
        .chain(creates.map(|c| c.to_string()))
        .collect();
    (plan, why)
}

/// The id of what `plan` holds back: the first 12 hex digits of a SHA-256 over the held
/// findings (employee, Okta user, what and why), in a fixed order. `None` when nothing is held.
pub fn held_plan_id(plan: &Plan) -> Option<String> {
    let mut lines: Vec<String> = plan
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::HeldBack)
        .map(|f| {
            format!(
                "{}\t{}\t{}",
                f.employee_id.as_ref().map_or("", |e| e.as_str()),
                f.okta_id.as_ref().map_or("", |o| o.as_str()),
                f.detail
            )
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    lines.sort();
    let mut hash = Sha256::new();
    for line in &lines {
        hash.update(line.as_bytes());
        hash.update(b"\n");
    }
    let digest = hash.finalize();
    Some(digest[..6].iter().map(|b| format!("{b:02x}")).collect())
}

/// `3 held: 2 deactivate, 1 create` for messages and the journal.
pub fn held_summary(plan: &Plan) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in plan
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::HeldBack)
    {
        let kind = f.detail.split(' ').next().unwrap_or("action");
        *counts.entry(kind).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("{total} held: {}", parts.join(", "))
}
