//! Property tests: for random snapshots, Okta states and policies, applying the plan in
//! memory and planning again gives an empty plan; planning is deterministic and independent of
//! input order; no action touches an unanchored user unless it adopts it.

use super::*;
use crate::model::{Employee, UserStatus};
use crate::plan::logins::login_key;
use crate::policy::{
    ActivationMode, CreateTiming, OnConflict, OrphanPolicy, TerminationAction, TerminationAt,
};
use proptest::prelude::*;
use std::collections::HashSet;

const FIRST: [&str; 4] = ["Ada", "Zoë", "Łukasz", "Bob"];
const LAST: [&str; 3] = ["Lovelace", "Ångström", "Wójcik"];
const EMAILS: [&str; 5] = [
    "ada@example.com",
    "zoe@example.com",
    "ZOË@example.com",
    "bob@example.com",
    "lukasz@example.com",
];
const DEPTS: [&str; 3] = ["Engineering", "Sales", "Contractors"];

fn day(offset: i64) -> String {
    (date("2026-12-01") + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

prop_compose! {
    fn arb_employee(id: usize)(
        first in 0..FIRST.len(),
        last in 0..LAST.len(),
        email in proptest::option::weighted(0.9, 0..EMAILS.len()),
        dept in 0..DEPTS.len(),
        active in proptest::bool::weighted(0.8),
        start in proptest::option::of(-20i64..20),
        term in proptest::option::weighted(0.3, -20i64..20),
        tz in 0..4usize,
        manager in proptest::option::of(1..7usize),
    ) -> Employee {
        let mut e = emp(&id.to_string(), FIRST[first], LAST[last]).with("department", DEPTS[dept]);
        e = match email {
            Some(k) => e.with("email", EMAILS[k]),
            None => e.without("email"),
        };
        e.start_date = start.map(|s| date(&day(s)));
        e.termination_date = term.map(|t| date(&day(t)));
        if !active {
            e = e.inactive();
        }
        e.timezone = [
            Some(chrono_tz::Pacific::Auckland),
            Some(chrono_tz::Europe::London),
            Some(chrono_tz::America::Los_Angeles),
            None,
        ][tz];
        if let Some(m) = manager.filter(|m| *m != id) {
            e = e.managed_by(&m.to_string());
        }
        e
    }
}

fn arb_employees() -> impl Strategy<Value = Vec<Employee>> {
    proptest::sample::subsequence((1..7usize).collect::<Vec<_>>(), 0..=6)
        .prop_flat_map(|ids| ids.into_iter().map(arb_employee).collect::<Vec<_>>())
}

prop_compose! {
    fn arb_user(n: usize)(
        anchor in proptest::option::weighted(0.7, 1..9usize),
        login in 0..(EMAILS.len() + 3),
        status in 0..UserStatus::ALL.len(),
        transitioning in proptest::bool::weighted(0.05),
        dept in 0..DEPTS.len(),
    ) -> OktaUser {
        let login = EMAILS.get(login).map(|s| s.to_string()).unwrap_or(format!("u{n}x{login}@example.com"));
        let mut u = user(&format!("00u{n}"), &login, None, UserStatus::ALL[status]);
        if let Some(a) = anchor {
            u.profile.insert("employeeNumber", serde_json::json!(a.to_string()));
        }
        u.profile.insert("department", serde_json::json!(DEPTS[dept]));
        if transitioning {
            u.transitioning_to_status = Some(UserStatus::Active);
        }
        u
    }
}

fn arb_users() -> impl Strategy<Value = Vec<OktaUser>> {
    (0..8usize)
        .prop_flat_map(|n| (0..n).map(arb_user).collect::<Vec<_>>())
        .prop_map(|users| {
            // Okta itself keeps logins unique (ignoring case and accents).
            let mut seen = HashSet::new();
            users
                .into_iter()
                .filter(|u| seen.insert(login_key(u.login().unwrap_or_default())))
                .collect()
        })
}

prop_compose! {
    fn arb_policy()(
        mode in 0..4usize,
        days_before in proptest::option::of(0u32..10),
        action in 0..3usize,
        immediately in any::<bool>(),
        orphans_deactivate in any::<bool>(),
        adopt in any::<bool>(),
        scoped in any::<bool>(),
        service in any::<bool>(),
    ) -> Policy {
        let mut p = policy();
        p.activation.mode = [
            ActivationMode::Always,
            ActivationMode::Never,
            ActivationMode::EmployeeStatus,
            ActivationMode::StartDate,
        ][mode];
        p.activation.create = days_before.map_or(CreateTiming::OnRecord, CreateTiming::DaysBeforeStart);
        p.termination.action = [TerminationAction::Deactivate, TerminationAction::Suspend, TerminationAction::None][action];
        p.termination.at = if immediately { TerminationAt::Immediately } else { TerminationAt::TerminationDate };
        p.termination.orphans = if orphans_deactivate { OrphanPolicy::Deactivate } else { OrphanPolicy::Report };
        p.mapping.on_conflict = if adopt { OnConflict::Adopt } else { OnConflict::Report };
        p.mapping.attributes.insert("manager".into(), attr("{manager.okta_login}"));
        p.mapping.attributes.insert("title".into(), attr("{manager.first_name|ascii}"));
        if scoped {
            p.scope = Some(crate::plan::scope::ScopeExpr::parse("department != 'Contractors'").unwrap());
        }
        if service {
            p.service_account_login = Some("bob@example.com".into());
        }
        p
    }
}

fn now(hours: i64) -> chrono::DateTime<chrono::Utc> {
    utc("2026-12-01T00:00:00Z") + chrono::Duration::hours(hours)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn applying_the_plan_converges_and_every_later_run_only_moves_logins(
        employees in arb_employees(),
        users in arb_users(),
        policy in arb_policy(),
        hours in -48i64..48,
    ) {
        let snap = snapshot(employees);
        let first = plan(&snap, &users, &policy, now(hours));
        let mut after = users.clone();
        apply(&first, &mut after);
        // A login freed by one run's renames goes to the user who wants it in the next run
        // (two users cannot trade logins in one step), which may free another: a chain, one
        // step per run, never longer than there are employees. Only such moves, and the
        // reports' attributes that name a moved login, may follow the first run.
        let mut previous = first;
        for _ in 0..=snap.employees.len() {
            let next = plan(&snap, &after, &policy, now(hours));
            if next.is_empty() {
                return Ok(());
            }
            let only_login_moves = next.actions.iter().all(|a| match &a.action {
                Action::Update { changes } => changes.keys().all(|k| k == "login" || k == "manager"),
                _ => false,
            });
            prop_assert!(only_login_moves, "before: {:#?}\nthen: {:#?}", previous.actions, next.actions);
            apply(&next, &mut after);
            previous = next;
        }
        prop_assert!(false, "no convergence after {} runs: {:#?}", snap.employees.len() + 1, previous.actions);
    }

    #[test]
    fn planning_is_deterministic_and_independent_of_input_order(
        employees in arb_employees(),
        users in arb_users(),
        policy in arb_policy(),
        hours in -48i64..48,
    ) {
        let a = plan(&snapshot(employees.clone()), &users, &policy, now(hours));
        let b = plan(&snapshot(employees.clone()), &users, &policy, now(hours));
        prop_assert_eq!(&a, &b);
        let mut e2 = employees;
        e2.reverse();
        let mut u2 = users;
        u2.reverse();
        let c = plan(&snapshot(e2), &u2, &policy, now(hours));
        prop_assert_eq!(render::to_json(&a), render::to_json(&c));
    }

    #[test]
    fn no_action_touches_an_unanchored_user_unless_it_adopts_it(
        employees in arb_employees(),
        users in arb_users(),
        policy in arb_policy(),
        hours in -48i64..48,
    ) {
        let p = plan(&snapshot(employees), &users, &policy, now(hours));
        let adopted: HashSet<_> = p
            .actions
            .iter()
            .filter(|a| a.reason == Reason::Adopted)
            .filter_map(|a| a.okta_id.clone())
            .collect();
        for a in &p.actions {
            let Some(id) = &a.okta_id else { continue };
            let u = users.iter().find(|u| &u.id == id).unwrap();
            let anchored = u.attr("employeeNumber").is_some();
            prop_assert!(anchored || adopted.contains(id), "{a:?} touches unanchored {u:?}");
            if a.action.is_destructive() {
                prop_assert!(
                    !policy.is_service_account(u.login()),
                    "service account touched: {a:?}"
                );
            }
        }
    }
}
