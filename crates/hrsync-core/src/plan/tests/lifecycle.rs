//! Activation modes × Okta statuses × dates: creates, activations, rehires, rescinded hires,
//! leavers, suspensions, orphans, the service account, scope.

use super::*;
use crate::model::Phase;
use crate::model::UserStatus::{self, *};
use crate::policy::{ActivationMode, CreateTiming, OrphanPolicy, TerminationAction};

const NOW: &str = "2026-12-01T12:00:00Z";

fn with_mode(mode: ActivationMode) -> Policy {
    let mut p = policy();
    p.activation.mode = mode;
    p
}

#[test]
fn a_future_hire_is_created_staged_and_the_wakeup_is_their_activation_moment() {
    let e = emp("100", "Ada", "Lovelace").starting("2026-12-07");
    let p = run(vec![e], &[], NOW);
    assert_eq!(summary(&p), ["create:100:new_hire"]);
    let (profile, activate) = create_of(&p, "100");
    assert!(!activate);
    assert_eq!(profile["login"], "ada.lovelace@example.com");
    assert_eq!(profile["employeeNumber"], "100");
    assert_eq!(profile["firstName"], "Ada");
    assert_eq!(p.next_wakeup, Some(utc("2026-12-07T09:00:00Z")));
}

#[test]
fn an_existing_employee_seen_for_the_first_time_is_created_active() {
    let p = run(vec![emp("100", "Ada", "Lovelace")], &[], NOW);
    assert!(create_of(&p, "100").1);
    assert_eq!(p.next_wakeup, None);
}

#[test]
fn mode_always_creates_and_activates_at_once_even_before_the_start_date() {
    let p = with_mode(ActivationMode::Always);
    let e = emp("100", "Ada", "Lovelace").starting("2027-01-04");
    let plan = run_with(&p, vec![e.clone()], &[], NOW);
    assert!(create_of(&plan, "100").1);
    let staged = user_for("00u1", &e, Staged);
    let plan = run_with(&p, vec![e], &[staged], NOW);
    assert_eq!(summary(&plan), ["activate:100:status_active"]);
}

#[test]
fn mode_never_creates_staged_and_never_activates() {
    let p = with_mode(ActivationMode::Never);
    let e = emp("100", "Ada", "Lovelace");
    let plan = run_with(&p, vec![e.clone()], &[], NOW);
    assert!(!create_of(&plan, "100").1);
    let plan = run_with(&p, vec![e.clone()], &[user_for("00u1", &e, Staged)], NOW);
    assert!(plan.is_empty());
    // A user an admin activated is left alone.
    let plan = run_with(&p, vec![e], &[user_for("00u1", &e_active(), Active)], NOW);
    assert!(plan.is_empty(), "{:?}", summary(&plan));
}

fn e_active() -> crate::model::Employee {
    emp("100", "Ada", "Lovelace")
}

#[test]
fn mode_employee_status_follows_the_hr_status() {
    let p = with_mode(ActivationMode::EmployeeStatus);
    // A pre-hire whose HR status is inactive is created staged.
    let pre = emp("100", "Ada", "Lovelace")
        .starting("2026-12-07")
        .inactive();
    let plan = run_with(&p, vec![pre.clone()], &[], NOW);
    assert!(!create_of(&plan, "100").1);
    let plan = run_with(
        &p,
        vec![pre.clone()],
        &[user_for("00u1", &pre, Staged)],
        NOW,
    );
    assert!(plan.is_empty(), "{:?}", summary(&plan));
    // Active in HR: activated, even before the start date.
    let active = emp("100", "Ada", "Lovelace").starting("2026-12-07");
    let plan = run_with(
        &p,
        vec![active.clone()],
        &[user_for("00u1", &active, Staged)],
        NOW,
    );
    assert_eq!(summary(&plan), ["activate:100:status_active"]);
    // Inactive after the start date: a leaver, even with a future termination date.
    let gone = emp("100", "Ada", "Lovelace")
        .inactive()
        .terminating("2027-01-31");
    let plan = run_with(
        &p,
        vec![gone.clone()],
        &[user_for("00u1", &gone, Active)],
        NOW,
    );
    assert_eq!(summary(&plan), ["deactivate:100:status_inactive"]);
}

#[test]
fn mode_start_date_activates_a_staged_user_only_once_the_start_moment_passed() {
    let e = emp("100", "Ada", "Lovelace").starting("2026-12-01");
    let u = user_for("00u1", &e, Staged);
    assert!(run(vec![e.clone()], &[u.clone()], "2026-12-01T08:59:00Z").is_empty());
    assert_eq!(
        summary(&run(vec![e], &[u], "2026-12-01T09:00:00Z")),
        ["activate:100:start_date_reached"]
    );
}

#[test]
fn users_that_are_already_activated_in_any_form_are_not_activated_again() {
    let e = emp("100", "Ada", "Lovelace");
    for status in [Provisioned, Active, Recovery, PasswordExpired, LockedOut] {
        let plan = run(vec![e.clone()], &[user_for("00u1", &e, status)], NOW);
        assert!(plan.is_empty(), "{status}: {:?}", summary(&plan));
    }
}

#[test]
fn creation_waits_for_the_window_before_the_start_date() {
    let mut p = policy();
    p.activation.create = CreateTiming::DaysBeforeStart(7);
    let e = emp("100", "Ada", "Lovelace").starting("2026-12-14");
    let early = run_with(&p, vec![e.clone()], &[], NOW);
    assert!(early.is_empty());
    assert_eq!(finding_summary(&early), ["Skip:not_yet_due"]);
    assert_eq!(early.next_wakeup, Some(utc("2026-12-07T00:00:00Z")));
    let open = run_with(&p, vec![e], &[], "2026-12-07T00:00:00Z");
    assert_eq!(summary(&open), ["create:100:new_hire"]);
}

#[test]
fn a_rehire_reactivates_the_deactivated_user_then_updates_it_and_never_creates_another() {
    let old = emp("100", "Ada", "Lovelace").with("department", "Sales");
    let u = user_for("00u1", &old, Deprovisioned);
    let back = emp("100", "Ada", "Lovelace")
        .starting("2026-11-30")
        .terminating("2024-05-31");
    let plan = run(vec![back.clone()], &[u.clone()], NOW);
    assert_eq!(
        summary(&plan),
        ["activate:100:rehired", "update:100:rehired"]
    );
    let changes = changes_of(&plan, "100");
    assert_eq!(changes.keys().collect::<Vec<_>>(), ["department"]);
    // Before the new start date nothing happens yet (Okta cannot stage a deactivated user).
    let early = run(vec![back.starting("2026-12-07")], &[u], NOW);
    assert!(early.is_empty());
    assert_eq!(finding_summary(&early), ["Skip:not_yet_due"]);
    assert_eq!(early.next_wakeup, Some(utc("2026-12-07T09:00:00Z")));
}

#[test]
fn a_deactivated_leaver_gets_no_profile_update() {
    let e = emp("100", "Ada", "Lovelace").terminating("2026-01-31");
    let mut u = user_for("00u1", &e, Deprovisioned);
    u.profile.insert("department", serde_json::json!("Old"));
    let plan = run(vec![e], &[u], NOW);
    assert!(plan.is_empty(), "{:?}", summary(&plan));
}

#[test]
fn an_inactive_status_before_the_start_reads_as_a_pre_hire_and_keeps_its_staged_user() {
    let e = emp("100", "Ada", "Lovelace")
        .starting("2026-12-14")
        .inactive();
    assert!(run(vec![e.clone()], &[user_for("00u1", &e, Staged)], NOW).is_empty());
    // Created STAGED when there is no user yet.
    assert_eq!(summary(&run(vec![e], &[], NOW)), ["create:100:new_hire"]);
}

#[test]
fn a_hire_terminated_in_hr_before_the_start_gets_its_staged_user_deactivated() {
    let e = emp("100", "Ada", "Lovelace")
        .starting("2026-12-14")
        .in_phase(Phase::Terminated);
    let plan = run(vec![e.clone()], &[user_for("00u1", &e, Staged)], NOW);
    assert_eq!(summary(&plan), ["deactivate:100:rescinded_hire"]);
    // Never created when there is no user yet.
    assert!(run(vec![e], &[], NOW).is_empty());
}

#[test]
fn a_rescinded_hire_whose_record_vanished_gets_its_staged_user_deactivated() {
    let e = emp("100", "Ada", "Lovelace").starting("2026-12-14");
    let plan = run(vec![], &[user_for("00u1", &e, Staged)], NOW);
    assert_eq!(summary(&plan), ["deactivate:00u1:rescinded_hire"]);
}

#[test]
fn an_inactive_employee_with_a_future_termination_date_keeps_access_until_that_date() {
    let e = emp("100", "Ada", "Lovelace")
        .inactive()
        .terminating("2026-12-15");
    let plan = run(vec![e.clone()], &[user_for("00u1", &e, Active)], NOW);
    assert!(plan.is_empty());
    assert_eq!(plan.next_wakeup, Some(utc("2026-12-16T00:00:00Z")));
    let mut p = policy();
    p.termination.at = crate::policy::TerminationAt::Immediately;
    let plan = run_with(&p, vec![e.clone()], &[user_for("00u1", &e, Active)], NOW);
    assert_eq!(summary(&plan), ["deactivate:100:status_inactive"]);
}

#[test]
fn suspend_mode_suspends_leavers_and_unsuspends_them_when_reinstated() {
    let mut p = policy();
    p.termination.action = TerminationAction::Suspend;
    let gone = emp("100", "Ada", "Lovelace").terminating("2026-11-01");
    let plan = run_with(
        &p,
        vec![gone.clone()],
        &[user_for("00u1", &gone, Active)],
        NOW,
    );
    assert_eq!(summary(&plan), ["suspend:100:terminated"]);
    assert!(
        run_with(
            &p,
            vec![gone.clone()],
            &[user_for("00u1", &gone, Suspended)],
            NOW
        )
        .is_empty()
    );
    // Okta suspends only ACTIVE users: a locked-out leaver is reported, not deactivated.
    let locked = run_with(
        &p,
        vec![gone.clone()],
        &[user_for("00u1", &gone, LockedOut)],
        NOW,
    );
    assert!(locked.is_empty());
    assert_eq!(finding_summary(&locked), ["Skip:terminated"]);
    let back = emp("100", "Ada", "Lovelace");
    let plan = run_with(
        &p,
        vec![back.clone()],
        &[user_for("00u1", &back, Suspended)],
        NOW,
    );
    assert_eq!(summary(&plan), ["unsuspend:100:reinstated"]);
}

#[test]
fn a_user_suspended_by_an_admin_is_left_suspended_when_leavers_are_deactivated() {
    let e = emp("100", "Ada", "Lovelace");
    assert!(run(vec![e.clone()], &[user_for("00u1", &e, Suspended)], NOW).is_empty());
}

#[test]
fn termination_action_none_leaves_leavers_alone() {
    let mut p = policy();
    p.termination.action = TerminationAction::None;
    let gone = emp("100", "Ada", "Lovelace").terminating("2026-11-01");
    assert!(
        run_with(
            &p,
            vec![gone.clone()],
            &[user_for("00u1", &gone, Active)],
            NOW
        )
        .is_empty()
    );
}

#[test]
fn orphans_are_reported_by_default_and_deactivated_only_when_configured() {
    let ghost = user("00u9", "ghost@example.com", Some("999"), Active);
    let plan = run(vec![], &[ghost.clone()], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Orphan:orphan"]);
    let mut p = policy();
    p.termination.orphans = OrphanPolicy::Deactivate;
    let plan = run_with(&p, vec![], &[ghost], NOW);
    assert_eq!(summary(&plan), ["deactivate:00u9:orphan"]);
    // Deactivated orphans are not news.
    let gone = user("00u8", "gone@example.com", Some("998"), Deprovisioned);
    assert!(run_with(&p, vec![], &[gone], NOW).findings.is_empty());
}

#[test]
fn an_incremental_pass_never_deactivates_an_orphan_and_says_it_waits_for_the_full_pass() {
    let mut p = policy();
    p.termination.orphans = OrphanPolicy::Deactivate;
    let ghost = user("00u9", "ghost@example.com", Some("999"), Active);
    let staged = user("00u7", "staged@example.com", Some("997"), Staged);
    let users = [ghost, staged];
    let plan = plan_pass(&snapshot(vec![]), &users, &p, utc(NOW), Pass::Incremental);
    assert!(plan.is_empty(), "{:?}", plan.actions);
    assert_eq!(finding_summary(&plan), ["Orphan:orphan", "Orphan:orphan"]);
    assert!(
        plan.findings
            .iter()
            .all(|f| f.detail.contains("waits for the next full pass")),
        "{:?}",
        plan.findings
    );
    // The same users on a full pass: both deactivated.
    let full = plan_pass(&snapshot(vec![]), &users, &p, utc(NOW), Pass::Full);
    assert_eq!(full.actions.len(), 2);
}

#[test]
fn an_orphan_whose_hr_record_was_refused_is_never_deactivated() {
    let mut p = policy();
    p.termination.orphans = OrphanPolicy::Deactivate;
    let ghost = user("00u9", "ghost@example.com", Some("999"), Active);
    let refused = |id: Option<&str>| crate::snapshot::Rejected {
        location: "employees.csv:41".into(),
        employee_id: id.map(str::to_owned),
        field: None,
        reason: "has 8 fields; the header has 11".into(),
    };
    for rejected in [refused(Some("999")), refused(None)] {
        let mut snap = snapshot(vec![]);
        snap.rejected.push(rejected);
        let plan = plan(&snap, std::slice::from_ref(&ghost), &p, utc(NOW));
        assert!(plan.is_empty(), "{:?}", plan.actions);
        assert_eq!(finding_summary(&plan), ["Orphan:orphan"]);
    }
    // A refusal naming someone else does not protect a real orphan.
    let mut snap = snapshot(vec![]);
    snap.rejected.push(refused(Some("123")));
    let plan = plan(&snap, &[ghost], &p, utc(NOW));
    assert_eq!(summary(&plan), ["deactivate:00u9:orphan"]);
}

#[test]
fn the_service_account_is_never_deactivated_whatever_hr_says() {
    let mut p = policy();
    p.termination.orphans = OrphanPolicy::Deactivate;
    p.service_account_login = Some("HRSYNC-svc@example.com".into());
    let svc = user("00u7", "hrsync-svc@example.com", Some("7"), Active);
    let plan = run_with(&p, vec![], &[svc.clone()], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Skip:service_account"]);
    let e = emp("7", "Svc", "Account").terminating("2026-01-01");
    let plan = run_with(&p, vec![e], &[svc], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Skip:service_account"]);
}

#[test]
fn leaving_the_scope_is_leaving_and_never_being_in_scope_means_never_created() {
    let mut p = policy();
    p.scope = Some(super::super::scope::ScopeExpr::parse("department != 'Contractors'").unwrap());
    let contractor = emp("100", "Ada", "Lovelace").with("department", "Contractors");
    let plan = run_with(&p, vec![contractor.clone()], &[], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Skip:out_of_scope"]);
    let was_in = user_for("00u1", &emp("100", "Ada", "Lovelace"), Active);
    let plan = run_with(&p, vec![contractor], &[was_in], NOW);
    assert_eq!(summary(&plan), ["deactivate:100:out_of_scope"]);
}

#[test]
fn a_user_in_transition_gets_nothing_this_run_and_a_skip_says_so() {
    let e = emp("100", "Ada", "Lovelace").terminating("2026-11-01");
    let mut u = user_for("00u1", &e, Active);
    u.transitioning_to_status = Some(UserStatus::Deprovisioned);
    let plan = run(vec![e], &[u], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Skip:not_yet_due"]);
}

#[test]
fn actions_are_ordered_creates_updates_activations_then_deactivations() {
    let newbie = emp("5", "New", "Hire");
    let changed = emp("4", "Changed", "Name");
    let mut changed_user = user_for("00u4", &changed, Active);
    changed_user
        .profile
        .insert("lastName", serde_json::json!("Old"));
    let starter = emp("3", "Starts", "Today").starting("2026-12-01");
    let leaver = emp("1", "Left", "Already").terminating("2026-11-01");
    let rehire = emp("2", "Came", "Back").with("department", "Sales");
    let users = vec![
        changed_user,
        user_for("00u3", &starter, Staged),
        user_for("00u1", &leaver, Active),
        user_for("00u2", &emp("2", "Came", "Back"), Deprovisioned),
    ];
    let plan = run(vec![leaver, rehire, starter, changed, newbie], &users, NOW);
    assert_eq!(
        summary(&plan),
        [
            "create:5:new_hire",
            "update:4:profile_changed",
            "activate:2:rehired",
            "activate:3:start_date_reached",
            "update:2:rehired",
            "deactivate:1:terminated",
        ]
    );
    let phases: Vec<u8> = plan.actions.iter().map(phase).collect();
    assert!(phases.windows(2).all(|w| w[0] <= w[1]), "{phases:?}");
}
