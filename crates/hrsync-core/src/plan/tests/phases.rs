//! Lifecycle phase × activation mode × Okta status: pre-hires (bob's `Inactive`/`hired`),
//! leave kept or suspended, garden leave, rescinded hires, rehires, leavers with two accounts.

use super::*;
use crate::model::Phase;
use crate::model::UserStatus::{self, *};
use crate::policy::ActivationMode::{self, *};
use crate::policy::OnLeave;

const NOW: &str = "2026-12-01T12:00:00Z";
const MODES: [ActivationMode; 4] = [Always, Never, EmployeeStatus, StartDate];

fn policy_for(mode: ActivationMode, on_leave: OnLeave) -> Policy {
    let mut p = policy();
    p.activation.mode = mode;
    p.activation.on_leave = on_leave;
    p
}

/// The actions for one employee with one Okta user (or none), as `kind:reason`, joined.
fn decide(p: &Policy, e: crate::model::Employee, status: Option<UserStatus>, at: &str) -> String {
    let users: Vec<OktaUser> = status
        .map(|s| user_for("00u1", &e, s))
        .into_iter()
        .collect();
    let plan = run_with(p, vec![e], &users, at);
    let kinds: Vec<String> = plan
        .actions
        .iter()
        .map(|a| match &a.action {
            Action::Create { activate, .. } => {
                format!(
                    "create({}):{}",
                    if *activate { "active" } else { "staged" },
                    a.reason.code()
                )
            }
            other => format!("{}:{}", other.kind(), a.reason.code()),
        })
        .collect();
    if kinds.is_empty() {
        "-".to_owned()
    } else {
        kinds.join(",")
    }
}

/// A bob pre-hire: `internal.lifecycleStatus` "hired", starting 2026-12-14.
fn pre_hire() -> crate::model::Employee {
    emp("100", "Ada", "Lovelace")
        .starting("2026-12-14")
        .in_phase(Phase::PreHire)
}

#[test]
fn a_pre_hire_is_created_staged_in_every_mode_but_always() {
    for (mode, want) in [
        (Always, "create(active):new_hire"),
        (Never, "create(staged):new_hire"),
        (EmployeeStatus, "create(staged):new_hire"),
        (StartDate, "create(staged):new_hire"),
    ] {
        let p = policy_for(mode, OnLeave::Keep);
        assert_eq!(decide(&p, pre_hire(), None, NOW), want, "{mode:?}");
    }
}

#[test]
fn a_staged_pre_hire_is_never_deactivated_while_hr_still_says_hired() {
    for mode in MODES {
        let p = policy_for(mode, OnLeave::Keep);
        let want = if mode == Always {
            "activate:status_active"
        } else {
            "-"
        };
        assert_eq!(decide(&p, pre_hire(), Some(Staged), NOW), want, "{mode:?}");
        // The day before the start, still nothing destructive.
        let eve = "2026-12-13T23:00:00Z";
        assert_eq!(
            decide(&p, pre_hire(), Some(Staged), eve),
            want,
            "{mode:?} eve"
        );
    }
}

#[test]
fn a_pre_hire_is_activated_at_nine_local_on_the_start_date_in_start_date_mode() {
    let p = policy_for(StartDate, OnLeave::Keep);
    let e = || pre_hire().zone(chrono_tz::America::New_York);
    // 09:00 in New York on 2026-12-14 is 14:00Z.
    assert_eq!(decide(&p, e(), Some(Staged), "2026-12-14T13:59:59Z"), "-");
    assert_eq!(
        decide(&p, e(), Some(Staged), "2026-12-14T14:00:00Z"),
        "activate:start_date_reached"
    );
    // In employee_status mode the pre-hire waits until HR says employed.
    let p = policy_for(EmployeeStatus, OnLeave::Keep);
    assert_eq!(decide(&p, e(), Some(Staged), "2026-12-15T12:00:00Z"), "-");
    let employed = e().in_phase(Phase::Employed);
    assert_eq!(
        decide(&p, employed, Some(Staged), "2026-12-15T12:00:00Z"),
        "activate:status_active"
    );
}

#[test]
fn the_next_wakeup_of_a_staged_pre_hire_is_its_activation_moment() {
    let p = policy_for(StartDate, OnLeave::Keep);
    let e = pre_hire().zone(chrono_tz::Europe::London);
    let plan = run_with(&p, vec![e.clone()], &[user_for("00u1", &e, Staged)], NOW);
    assert_eq!(plan.next_wakeup, Some(utc("2026-12-14T09:00:00Z")));
}

#[test]
fn a_person_on_leave_keeps_access_by_default() {
    let e = || emp("100", "Ada", "Lovelace").in_phase(Phase::OnLeave);
    for mode in MODES {
        let p = policy_for(mode, OnLeave::Keep);
        assert_eq!(decide(&p, e(), Some(Active), NOW), "-", "{mode:?}");
        assert_eq!(
            decide(&p, e(), Some(Suspended), NOW),
            "-",
            "{mode:?} suspended by hand"
        );
    }
}

#[test]
fn with_on_leave_suspend_leave_suspends_and_the_return_unsuspends() {
    let on_leave = || emp("100", "Ada", "Lovelace").in_phase(Phase::OnLeave);
    let back = || emp("100", "Ada", "Lovelace").in_phase(Phase::Employed);
    for mode in MODES {
        let p = policy_for(mode, OnLeave::Suspend);
        assert_eq!(
            decide(&p, on_leave(), Some(Active), NOW),
            "suspend:on_leave",
            "{mode:?}"
        );
        assert_eq!(
            decide(&p, on_leave(), Some(Suspended), NOW),
            "-",
            "{mode:?}"
        );
        assert_eq!(
            decide(&p, on_leave(), Some(Staged), NOW),
            "-",
            "{mode:?} not activated"
        );
        assert_eq!(
            decide(&p, on_leave(), Some(Deprovisioned), NOW),
            "-",
            "{mode:?} not reactivated"
        );
        let back_from_leave = if mode == Never {
            "-"
        } else {
            "unsuspend:reinstated"
        };
        assert_eq!(
            decide(&p, back(), Some(Suspended), NOW),
            back_from_leave,
            "{mode:?}"
        );
    }
    // A new hire already on leave is created STAGED.
    let p = policy_for(StartDate, OnLeave::Suspend);
    assert_eq!(decide(&p, on_leave(), None, NOW), "create(staged):new_hire");
}

#[test]
fn suspending_for_leave_counts_against_the_plan_limits() {
    let p = policy_for(StartDate, OnLeave::Suspend);
    let e = emp("100", "Ada", "Lovelace").in_phase(Phase::OnLeave);
    let plan = run_with(&p, vec![e.clone()], &[user_for("00u1", &e, Active)], NOW);
    assert!(plan.actions[0].action.is_destructive());
}

#[test]
fn garden_leave_stays_active_until_the_leaving_instant() {
    let e = || {
        emp("100", "Ada", "Lovelace")
            .in_phase(Phase::Notice)
            .terminating("2026-12-10")
            .zone(chrono_tz::Europe::London)
    };
    for mode in MODES {
        let p = policy_for(mode, OnLeave::Keep);
        assert_eq!(decide(&p, e(), Some(Active), NOW), "-", "{mode:?}");
        // End of the local termination date: 2026-12-11T00:00 London = 00:00Z.
        assert_eq!(
            decide(&p, e(), Some(Active), "2026-12-10T23:59:59Z"),
            "-",
            "{mode:?}"
        );
        assert_eq!(
            decide(&p, e(), Some(Active), "2026-12-11T00:00:00Z"),
            "deactivate:terminated",
            "{mode:?}"
        );
    }
    let p = policy_for(StartDate, OnLeave::Keep);
    let plan = run_with(&p, vec![e()], &[user_for("00u1", &e(), Active)], NOW);
    assert_eq!(plan.next_wakeup, Some(utc("2026-12-11T00:00:00Z")));
}

#[test]
fn a_terminated_phase_deactivates_and_before_the_start_is_a_rescinded_hire() {
    let gone = || emp("100", "Ada", "Lovelace").in_phase(Phase::Terminated);
    let rescinded = || pre_hire().in_phase(Phase::Terminated);
    for mode in MODES {
        let p = policy_for(mode, OnLeave::Keep);
        assert_eq!(
            decide(&p, gone(), Some(Active), NOW),
            "deactivate:status_inactive",
            "{mode:?}"
        );
        assert_eq!(
            decide(&p, rescinded(), Some(Staged), NOW),
            "deactivate:rescinded_hire",
            "{mode:?}"
        );
        assert_eq!(
            decide(&p, rescinded(), None, NOW),
            "-",
            "{mode:?} never created"
        );
    }
}

#[test]
fn a_rehire_in_phase_employed_reactivates_the_deactivated_user() {
    let e = || emp("100", "Ada", "Lovelace").in_phase(Phase::Employed);
    for (mode, want) in [
        (Always, "activate:rehired"),
        (Never, "-"),
        (EmployeeStatus, "activate:rehired"),
        (StartDate, "activate:rehired"),
    ] {
        let p = policy_for(mode, OnLeave::Keep);
        assert_eq!(decide(&p, e(), Some(Deprovisioned), NOW), want, "{mode:?}");
    }
}

#[test]
fn start_date_mode_never_activates_a_record_without_a_start_date() {
    let mut e = emp("100", "Ada", "Lovelace");
    e.start_date = None;
    let p = policy_for(StartDate, OnLeave::Keep);
    assert_eq!(decide(&p, e.clone(), Some(Staged), NOW), "-");
    assert_eq!(decide(&p, e, None, NOW), "create(staged):new_hire");
}

#[test]
fn every_live_user_anchored_to_a_leaver_is_deactivated_with_a_finding() {
    let e = emp("100", "Ada", "Lovelace").in_phase(Phase::Terminated);
    let a = user_for("00u1", &e, Active);
    let mut b = user_for("00u2", &e, Suspended);
    b.profile
        .insert("login", serde_json::json!("ada2@example.com"));
    let mut c = user_for("00u3", &e, Deprovisioned);
    c.profile
        .insert("login", serde_json::json!("ada3@example.com"));
    let plan = run(vec![e], &[a, b, c], NOW);
    assert_eq!(
        summary(&plan),
        [
            "deactivate:100:status_inactive",
            "deactivate:100:status_inactive"
        ]
    );
    assert_eq!(finding_summary(&plan), ["Notice:duplicate_anchor"]);
    assert!(
        plan.findings[0].detail.contains("00u1, 00u2"),
        "{:?}",
        plan.findings
    );
}

#[test]
fn two_live_users_anchored_to_an_employed_person_stay_a_conflict() {
    let e = emp("100", "Ada", "Lovelace").in_phase(Phase::Employed);
    let a = user_for("00u1", &e, Active);
    let mut b = user_for("00u2", &e, Active);
    b.profile
        .insert("login", serde_json::json!("ada2@example.com"));
    let plan = run(vec![e], &[a, b], NOW);
    assert!(plan.is_empty());
    assert_eq!(finding_summary(&plan), ["Conflict:duplicate_anchor"]);
}

#[test]
fn a_hire_withdrawn_with_a_termination_date_before_the_start_is_a_rescinded_hire() {
    let e = pre_hire()
        .in_phase(Phase::Terminated)
        .terminating("2026-12-01");
    for mode in MODES {
        let p = policy_for(mode, OnLeave::Keep);
        assert_eq!(
            decide(&p, e.clone(), Some(Staged), NOW),
            "deactivate:rescinded_hire",
            "{mode:?}"
        );
    }
}
