//! Scenario tests of the planner: modes × statuses × dates, linking, logins, ordering;
//! golden files of rendered plans; property tests.

// `&[user.clone()]` reads better in scenarios than `std::slice::from_ref(&user)`.
#![allow(clippy::cloned_ref_to_slice_refs)]

mod forecast;
mod golden;
mod histories;
mod lifecycle;
mod linking;
mod matrix;
mod phases;
mod props;
mod quarantine;
mod relink;
mod sourced;
mod timing;
mod typed;

use super::testkit::*;
use super::*;
use crate::model::OktaUser;

/// Plans with the default test policy.
fn run(employees: Vec<crate::model::Employee>, users: &[OktaUser], now: &str) -> Plan {
    plan(&snapshot(employees), users, &policy(), utc(now))
}

/// Plans with a tweaked policy.
fn run_with(
    p: &Policy,
    employees: Vec<crate::model::Employee>,
    users: &[OktaUser],
    now: &str,
) -> Plan {
    plan(&snapshot(employees), users, p, utc(now))
}

/// `kind:employee:reason` for every action, in order.
fn summary(plan: &Plan) -> Vec<String> {
    plan.actions
        .iter()
        .map(|a| {
            format!(
                "{}:{}:{}",
                a.action.kind(),
                a.employee_id
                    .as_ref()
                    .map(|e| e.to_string())
                    .or_else(|| a.okta_id.as_ref().map(|o| o.to_string()))
                    .unwrap_or_default(),
                a.reason.code()
            )
        })
        .collect()
}

/// `kind:reason` for every finding, in order.
fn finding_summary(plan: &Plan) -> Vec<String> {
    plan.findings
        .iter()
        .map(|f| format!("{:?}:{}", f.kind, f.reason.code()))
        .collect()
}

fn create_of(plan: &Plan, employee: &str) -> (crate::model::Profile, bool) {
    plan.actions
        .iter()
        .find_map(|a| match &a.action {
            Action::Create { profile, activate }
                if a.employee_id.as_ref().map(|e| e.as_str()) == Some(employee) =>
            {
                Some((profile.clone(), *activate))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no create for {employee}: {:?}", summary(plan)))
}

fn changes_of(plan: &Plan, employee: &str) -> std::collections::BTreeMap<String, Change> {
    plan.actions
        .iter()
        .find_map(|a| match &a.action {
            Action::Update { changes }
                if a.employee_id.as_ref().map(|e| e.as_str()) == Some(employee) =>
            {
                Some(changes.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no update for {employee}: {:?}", summary(plan)))
}
