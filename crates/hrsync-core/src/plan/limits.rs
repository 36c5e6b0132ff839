//! Plan limits, applied after planning: each class of risky action (deactivations and
//! suspensions, creates, relinks) is held back whole when a run has more than its limit, unless
//! approved for that run; the run is then Blocked and says how to approve. Pure; no I/O.

use super::{Action, Finding, FindingKind, Plan, PlannedAction, Reason};
use crate::policy::SafetyConfig;
use serde::Serialize;
use std::fmt;

/// How many actions of a class a run may do: the smaller of `per_run` and `percent` % of
/// `managed` users, but never fewer than `floor` (so that a small org is not blocked by a
/// percentage of a few users).
fn allowed(per_run: u32, percent: f64, managed: usize, floor: usize) -> usize {
    let by_percent = (percent / 100.0 * managed as f64).floor() as usize;
    (per_run as usize).min(by_percent.max(floor))
}

/// Moves the actions `which` selects into `HeldBack` findings that name `why`.
fn hold(plan: &mut Plan, which: impl Fn(&PlannedAction) -> bool, why: &dyn fmt::Display) {
    let (held, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut plan.actions)
        .into_iter()
        .partition(|a| which(a));
    plan.actions = kept;
    for a in held {
        let target = match (&a.okta_id, &a.login) {
            (Some(id), _) => format!("Okta user {id}"),
            (None, Some(login)) => format!("{login} (new)"),
            (None, None) => "a new user".to_owned(),
        };
        plan.findings.push(Finding {
            kind: FindingKind::HeldBack,
            detail: format!(
                "{} of {target} ({}) held back: {why}",
                a.action.kind(),
                a.reason.code()
            ),
            employee_id: a.employee_id,
            okta_id: a.okta_id,
            reason: Reason::HeldBackByLimit,
        });
    }
}

/// The destructive part of a plan was held back by a plan limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocked {
    /// Deactivations and suspensions planned.
    pub destructive: usize,
    /// How many a run may do (the smaller of the two limits).
    pub allowed: usize,
    /// `safety.max_deactivations_per_run`.
    pub max_per_run: u32,
    /// `safety.max_deactivation_percent`.
    pub max_percent: f64,
    /// Managed Okta users the percentage applies to.
    pub managed_users: usize,
    /// The approval given, if any (smaller than `destructive`).
    pub approved: Option<u32>,
}

impl Blocked {
    /// The command that approves this plan once.
    pub fn approve_command(&self) -> String {
        format!("hrsync sync --allow-deactivations {}", self.destructive)
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} deactivations/suspensions planned, more than the {} allowed (the smaller of {} per run and {} % of {} managed users)",
            self.destructive, self.allowed, self.max_per_run, self.max_percent, self.managed_users
        )?;
        if let Some(n) = self.approved {
            write!(f, " and the approval for {n}")?;
        }
        write!(f, "; to approve once: {}", self.approve_command())
    }
}

/// Applies the plan limits: when the destructive actions exceed them (and the approval does
/// not cover them all), moves every deactivation/suspension into `HeldBack` findings.
pub fn limit_plan(
    mut plan: Plan,
    safety: &SafetyConfig,
    approved_deactivations: Option<u32>,
) -> (Plan, Option<Blocked>) {
    let destructive = plan
        .actions
        .iter()
        .filter(|a| a.action.is_destructive())
        .count();
    let allowed = allowed(
        safety.max_deactivations_per_run,
        safety.max_deactivation_percent,
        plan.managed_users,
        0,
    );
    let approved_ok = approved_deactivations.is_some_and(|n| n as usize >= destructive);
    if destructive == 0 || destructive <= allowed || approved_ok {
        return (plan, None);
    }
    let blocked = Blocked {
        destructive,
        allowed,
        max_per_run: safety.max_deactivations_per_run,
        max_percent: safety.max_deactivation_percent,
        managed_users: plan.managed_users,
        approved: approved_deactivations,
    };
    hold(&mut plan, |a| a.action.is_destructive(), &blocked);
    (plan, Some(blocked))
}

/// A run may always create this many (within `max_creates_per_run`), so that a small org can
/// hire without approvals: the percentage of a few managed users is less than one person.
pub const MIN_CREATES_ALLOWED: usize = 10;

/// The creates of a plan were held back by the create limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreatesHeld {
    /// Creates planned.
    pub creates: usize,
    /// How many a run may do (the smaller of the two limits).
    pub allowed: usize,
    /// Managed Okta users the percentage applies to.
    pub managed_users: usize,
}

impl fmt::Display for CreatesHeld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} creates planned, more than the {} allowed (safety.max_creates_per_run / max_create_percent of {} managed users): if the HR export's ids or emails changed format, fix the export; if this is a real hiring wave, approve once: hrsync sync --allow-creates {}",
            self.creates, self.allowed, self.managed_users, self.creates
        )
    }
}

/// Applies the create limit: more creates than the smaller of `max_creates_per_run` and
/// `max_create_percent` of managed users (at least [`MIN_CREATES_ALLOWED`]), and than the
/// approval, move every create into
/// `HeldBack` findings. The initial load (`initial_load`: no run has finished applying yet) is
/// exempt, and a notice says so.
pub fn limit_creates(
    mut plan: Plan,
    safety: &SafetyConfig,
    initial_load: bool,
    approved: Option<u32>,
) -> (Plan, Option<CreatesHeld>) {
    let creates = plan
        .actions
        .iter()
        .filter(|a| matches!(a.action, Action::Create { .. }))
        .count();
    let allowed = allowed(
        safety.max_creates_per_run,
        safety.max_create_percent,
        plan.managed_users,
        MIN_CREATES_ALLOWED,
    );
    if creates == 0 || creates <= allowed || approved.is_some_and(|n| n as usize >= creates) {
        return (plan, None);
    }
    if initial_load {
        plan.findings.push(Finding {
            kind: FindingKind::Notice,
            employee_id: None,
            okta_id: None,
            reason: Reason::NewHire,
            detail: format!(
                "initial load: {creates} creates, more than the {allowed} a run may otherwise make; the create limit does not apply until a run has finished applying"
            ),
        });
        return (plan, None);
    }
    let held = CreatesHeld {
        creates,
        allowed,
        managed_users: plan.managed_users,
    };
    hold(
        &mut plan,
        |a| matches!(a.action, Action::Create { .. }),
        &held,
    );
    (plan, Some(held))
}

/// The relinks of a plan were held back by `max_relinks_per_run`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelinksHeld {
    /// Employees relinked in the plan.
    pub relinks: usize,
    /// `safety.max_relinks_per_run`.
    pub allowed: u32,
    /// One of them, `old id → new id`.
    pub example: String,
}

impl fmt::Display for RelinksHeld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} new ids match existing managed users by email, e.g. {}: did the id format change? Nothing was relinked (more than safety.max_relinks_per_run = {}); fix the export, or if these are real rehires or id changes, approve once: hrsync sync --allow-relinks {}",
            self.relinks, self.example, self.allowed, self.relinks
        )
    }
}

/// Holds every relink (and the relinked employees' other actions) when there are more than
/// `max_relinks_per_run` and the approval does not cover them. `anchor` is the anchor
/// attribute, whose change names the example.
pub fn limit_relinks(
    mut plan: Plan,
    safety: &SafetyConfig,
    anchor: &str,
    approved: Option<u32>,
) -> (Plan, Option<RelinksHeld>) {
    let relinked: Vec<&PlannedAction> = plan
        .actions
        .iter()
        .filter(|a| a.reason == Reason::Relinked)
        .collect();
    let relinks = relinked.len();
    if relinks == 0
        || relinks <= safety.max_relinks_per_run as usize
        || approved.is_some_and(|n| n as usize >= relinks)
    {
        return (plan, None);
    }
    let example = relinked
        .iter()
        .find_map(|a| match &a.action {
            Action::Update { changes } => changes.get(anchor).map(|c| {
                let text = |v: &Option<serde_json::Value>| match v {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => "-".to_owned(),
                };
                format!("{} → {}", text(&c.old), text(&c.new))
            }),
            _ => None,
        })
        .unwrap_or_default();
    let who: std::collections::BTreeSet<_> = relinked
        .iter()
        .filter_map(|a| a.employee_id.clone())
        .collect();
    let held = RelinksHeld {
        relinks,
        allowed: safety.max_relinks_per_run,
        example,
    };
    hold(
        &mut plan,
        |a| a.employee_id.as_ref().is_some_and(|e| who.contains(e)),
        &held,
    );
    (plan, Some(held))
}

/// A run may always rename this many logins (within `max_login_changes_per_run`): one person's
/// new address in a small org is not a broken feed.
pub const MIN_LOGIN_CHANGES_ALLOWED: usize = 2;

/// The login renames of a plan were held back by the login-change limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoginsHeld {
    /// Updates that rename a login.
    pub renames: usize,
    /// How many a run may do.
    pub allowed: usize,
    /// Managed Okta users the percentage applies to.
    pub managed_users: usize,
}

impl fmt::Display for LoginsHeld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} login changes planned, more than the {} allowed (safety.max_login_changes_per_run / max_login_change_percent of {} managed users): people sign in with their login, so a feed that suddenly sends other addresses would lock them out of SSO; check the HR export's email field, and if the change is real, approve once: hrsync sync --allow-login-changes {}",
            self.renames, self.allowed, self.managed_users, self.renames
        )
    }
}

/// Holds every update that renames a login (with the rest of that update) when there are more
/// than the smaller of `max_login_changes_per_run` and `max_login_change_percent` of managed
/// users (at least [`MIN_LOGIN_CHANGES_ALLOWED`]) and the approval does not cover them.
pub fn limit_login_changes(
    mut plan: Plan,
    safety: &SafetyConfig,
    approved: Option<u32>,
) -> (Plan, Option<LoginsHeld>) {
    let renames_login = |a: &PlannedAction| matches!(&a.action, Action::Update { changes } if changes.contains_key("login"));
    let renames = plan.actions.iter().filter(|a| renames_login(a)).count();
    let allowed = allowed(
        safety.max_login_changes_per_run,
        safety.max_login_change_percent,
        plan.managed_users,
        MIN_LOGIN_CHANGES_ALLOWED,
    );
    if renames <= allowed || approved.is_some_and(|n| n as usize >= renames) {
        return (plan, None);
    }
    let held = LoginsHeld {
        renames,
        allowed,
        managed_users: plan.managed_users,
    };
    hold(&mut plan, renames_login, &held);
    (plan, Some(held))
}
