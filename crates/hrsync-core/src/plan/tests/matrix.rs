//! The activation-mode × Okta-status × date table, spelled out case by case.

use super::*;
use crate::model::UserStatus::{self, *};
use crate::policy::ActivationMode::{self, *};

const NOW: &str = "2026-12-01T12:00:00Z";

/// The single action planned (or "-"), as `kind:reason`.
fn decision(mode: ActivationMode, e: crate::model::Employee, status: UserStatus) -> String {
    let mut p = policy();
    p.activation.mode = mode;
    let u = user_for("00u1", &e, status);
    let plan = run_with(&p, vec![e], &[u], NOW);
    assert!(plan.actions.len() <= 1, "{:?}", summary(&plan));
    plan.actions
        .first()
        .map(|a| format!("{}:{}", a.action.kind(), a.reason.code()))
        .unwrap_or_else(|| "-".to_owned())
}

const ACTIVATED: [UserStatus; 5] = [Provisioned, Active, Recovery, PasswordExpired, LockedOut];

#[test]
fn an_employee_past_the_start_date_is_activated_or_reactivated_per_mode() {
    let e = || emp("100", "Ada", "Lovelace");
    for (mode, staged, deprovisioned) in [
        (Always, "activate:status_active", "activate:rehired"),
        (Never, "-", "-"),
        (EmployeeStatus, "activate:status_active", "activate:rehired"),
        (StartDate, "activate:start_date_reached", "activate:rehired"),
    ] {
        assert_eq!(decision(mode, e(), Staged), staged, "{mode:?} STAGED");
        assert_eq!(
            decision(mode, e(), Deprovisioned),
            deprovisioned,
            "{mode:?} DEPROVISIONED"
        );
        assert_eq!(decision(mode, e(), Suspended), "-", "{mode:?} SUSPENDED");
        for status in ACTIVATED {
            assert_eq!(decision(mode, e(), status), "-", "{mode:?} {status}");
        }
    }
}

#[test]
fn an_employee_before_the_start_date_is_activated_only_in_modes_that_ignore_it() {
    let e = || emp("100", "Ada", "Lovelace").starting("2026-12-14");
    for (mode, staged, deprovisioned) in [
        (Always, "activate:status_active", "activate:rehired"),
        (Never, "-", "-"),
        (EmployeeStatus, "activate:status_active", "activate:rehired"),
        (StartDate, "-", "-"),
    ] {
        assert_eq!(decision(mode, e(), Staged), staged, "{mode:?} STAGED");
        assert_eq!(
            decision(mode, e(), Deprovisioned),
            deprovisioned,
            "{mode:?} DEPROVISIONED"
        );
        for status in ACTIVATED {
            assert_eq!(decision(mode, e(), status), "-", "{mode:?} {status}");
        }
    }
}

#[test]
fn a_leaver_loses_access_in_every_mode_and_every_live_status() {
    let e = || emp("100", "Ada", "Lovelace").terminating("2026-11-01");
    for mode in [Always, Never, EmployeeStatus, StartDate] {
        for status in UserStatus::ALL {
            let want = if status == Deprovisioned {
                "-"
            } else {
                "deactivate:terminated"
            };
            assert_eq!(decision(mode, e(), status), want, "{mode:?} {status}");
        }
    }
}

#[test]
fn an_inactive_hire_before_the_start_date_is_a_pre_hire_in_every_mode() {
    let e = || {
        emp("100", "Ada", "Lovelace")
            .starting("2026-12-14")
            .inactive()
    };
    assert_eq!(decision(Always, e(), Staged), "activate:status_active");
    for mode in [Never, EmployeeStatus, StartDate] {
        assert_eq!(decision(mode, e(), Staged), "-", "{mode:?}");
    }
}
