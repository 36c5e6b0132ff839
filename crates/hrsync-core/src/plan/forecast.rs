//! The time-driven actions ahead: which creations, activations, deactivations and suspensions
//! fall due between `now` and `until` if HR changes nothing, and at which instant. Pure.
//!
//! Exact by construction: it runs the real planner, not a copy of its rules. The plan at `now`
//! is applied to a virtual copy of the Okta users; then, for each employee with a date-driven
//! instant in the window (activation, termination, creation window), the planner runs again at
//! that instant for that employee and their anchored users only, and its lifecycle actions are
//! the forecast (and are applied to the virtual users before the employee's next instant).
//! Updates are never forecast: they follow HR changes, not the clock.

use super::{Action, FindingKind, Plan, Policy, Reason, plan};
use crate::model::{Employee, EmployeeId, OktaUser, OktaUserId, UserStatus};
use crate::snapshot::Snapshot;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// One action the clock will bring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    /// The instant it falls due (a run at or after it does it; the daemon wakes for it).
    pub at: DateTime<Utc>,
    /// The employee's zone, in which the instant is a local wall-clock time.
    pub timezone: String,
    /// `at` in the employee's zone (`2026-12-14 09:00 Europe/London`).
    pub local: String,
    /// The employee.
    pub employee_id: EmployeeId,
    /// The Okta user, when it exists already.
    pub okta_id: Option<OktaUserId>,
    /// The login concerned.
    pub login: Option<String>,
    /// `create`, `create+activate`, `activate`, `unsuspend`, `deactivate` or `suspend`.
    pub action: String,
    /// Why (the planner's reason code at that instant).
    pub reason: Reason,
}

/// The time-driven actions in `(now, until]`, in due order (then employee id). `only` limits it
/// to one employee (`explain`). Employees with a conflict at `now` are left out: nothing is
/// done for them until a person resolves it.
pub fn forecast(
    snapshot: &Snapshot,
    users: &[OktaUser],
    policy: &Policy,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    only: Option<&EmployeeId>,
) -> Vec<Due> {
    let now_plan = plan(snapshot, users, policy, now);
    let conflicted: BTreeSet<&EmployeeId> = now_plan
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Conflict)
        .filter_map(|f| f.employee_id.as_ref())
        .collect();
    let mut virtual_users = anchored_users(users, &policy.anchor_attribute);
    for a in &now_plan.actions {
        if let Some(id) = &a.employee_id {
            let list = virtual_users.entry(id.as_str().to_owned()).or_default();
            apply_lifecycle(list, a, now);
        }
    }
    let mut out = Vec::new();
    for e in &snapshot.employees {
        if only.is_some_and(|o| o != &e.id) || conflicted.contains(&e.id) {
            continue;
        }
        let facts = super::Facts::of(e, policy, now);
        let instants: BTreeSet<DateTime<Utc>> =
            facts.future_instants(now).filter(|t| *t <= until).collect();
        if instants.is_empty() {
            continue;
        }
        let mut mine = virtual_users.remove(e.id.as_str()).unwrap_or_default();
        for t in instants {
            let p = plan_one(e, &mine, policy, t);
            for a in &p.actions {
                if a.employee_id.as_ref() != Some(&e.id) {
                    continue;
                }
                if let Some(action) = lifecycle_name(&a.action) {
                    out.push(Due {
                        at: t,
                        timezone: facts.tz.name().to_owned(),
                        local: local_text(t, facts.tz),
                        employee_id: e.id.clone(),
                        okta_id: a.okta_id.clone(),
                        login: a.login.clone(),
                        action,
                        reason: a.reason,
                    });
                }
                apply_lifecycle(&mut mine, a, t);
            }
        }
    }
    out.sort_by(|a, b| (a.at, &a.employee_id).cmp(&(b.at, &b.employee_id)));
    out
}

/// `2026-12-14 09:00 Europe/London`.
pub fn local_text(t: DateTime<Utc>, tz: Tz) -> String {
    format!(
        "{} {}",
        t.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        tz.name()
    )
}

/// Plans one employee alone against the users anchored to them (so none is an orphan).
fn plan_one(e: &Employee, users: &[OktaUser], policy: &Policy, t: DateTime<Utc>) -> Plan {
    let one = Snapshot {
        employees: vec![e.clone()],
        rejected: Vec::new(),
    };
    plan(&one, users, policy, t)
}

/// Users by anchor value (the employee id they carry).
fn anchored_users(users: &[OktaUser], anchor: &str) -> HashMap<String, Vec<OktaUser>> {
    let mut out: HashMap<String, Vec<OktaUser>> = HashMap::new();
    for u in users {
        if let Some(id) = super::build::anchor_of(u, anchor) {
            out.entry(id.into_owned()).or_default().push(u.clone());
        }
    }
    out
}

/// The forecast name of a lifecycle action (`None` for an update).
fn lifecycle_name(action: &Action) -> Option<String> {
    Some(match action {
        Action::Create { activate: true, .. } => "create+activate".to_owned(),
        Action::Update { .. } => return None,
        other => other.kind().to_string(),
    })
}

/// Plays a planned action on the virtual users as Okta would: a create adds a user (with a
/// placeholder id), lifecycle actions change the status, updates change nothing that matters.
fn apply_lifecycle(users: &mut Vec<OktaUser>, a: &super::PlannedAction, at: DateTime<Utc>) {
    if let Action::Create { profile, activate } = &a.action {
        users.push(OktaUser {
            id: OktaUserId(format!("(new {})", users.len() + 1)),
            status: if *activate {
                UserStatus::Active
            } else {
                UserStatus::Staged
            },
            transitioning_to_status: None,
            created: Some(at),
            activated: None,
            status_changed: Some(at),
            last_updated: Some(at),
            profile: profile.clone().into(),
            credentials: Default::default(),
        });
        return;
    }
    let Some(u) = a
        .okta_id
        .as_ref()
        .and_then(|id| users.iter_mut().find(|u| &u.id == id))
    else {
        return;
    };
    let status = match a.action {
        Action::Activate | Action::Unsuspend => UserStatus::Active,
        Action::Deactivate => UserStatus::Deprovisioned,
        Action::Suspend => UserStatus::Suspended,
        Action::Create { .. } | Action::Update { .. } => return,
    };
    u.status = status;
    u.status_changed = Some(at);
}

/// How many in-scope employees, not terminated in HR, have their start-date activation
/// moment after `now` (the daemon's `hrsync_pending_activations`). Counted from the snapshot
/// alone, so a run the snapshot guard blocks still reports it.
pub fn pending_activations(snapshot: &Snapshot, policy: &Policy, now: DateTime<Utc>) -> usize {
    snapshot
        .employees
        .iter()
        .filter(|e| {
            e.status != crate::model::EmploymentStatus::Phase(crate::model::Phase::Terminated)
        })
        .filter(|e| policy.scope.as_ref().is_none_or(|s| s.matches(e)))
        .filter_map(|e| {
            let tz = e.timezone.unwrap_or(policy.default_timezone);
            super::timing::activation_moment(e.start_date, policy.activation.activate_at, tz)
        })
        .filter(|moment| *moment > now)
        .count()
}
