//! The forecast: due instants of activations, leavers, creation windows, in the employee's zone.

use super::*;
use crate::model::Phase;
use crate::model::UserStatus::*;
use crate::plan::forecast::{Due, forecast};
use crate::policy::CreateTiming;

const NOW: &str = "2026-12-01T12:00:00Z";

fn ahead(
    p: &Policy,
    employees: Vec<crate::model::Employee>,
    users: &[OktaUser],
    days: i64,
) -> Vec<Due> {
    let now = utc(NOW);
    forecast(
        &snapshot(employees),
        users,
        p,
        now,
        now + chrono::Duration::days(days),
        None,
    )
}

fn lines(due: &[Due]) -> Vec<String> {
    due.iter()
        .map(|d| {
            format!(
                "{} {} {} {}:{} ({})",
                d.at.to_rfc3339(),
                d.local,
                d.employee_id,
                d.action,
                d.reason.code(),
                d.okta_id.as_ref().map_or("-", |o| o.as_str())
            )
        })
        .collect()
}

#[test]
fn a_staged_pre_hire_is_due_for_activation_at_nine_in_their_zone() {
    let e = emp("100", "Ada", "Lovelace")
        .starting("2026-12-14")
        .in_phase(Phase::PreHire)
        .zone(chrono_tz::Asia::Tokyo);
    let due = ahead(
        &policy(),
        vec![e.clone()],
        &[user_for("00u1", &e, Staged)],
        14,
    );
    assert_eq!(
        lines(&due),
        [
            "2026-12-14T00:00:00+00:00 2026-12-14 09:00 Asia/Tokyo 100 activate:start_date_reached (00u1)"
        ]
    );
    // Outside the window: nothing.
    assert!(
        ahead(
            &policy(),
            vec![e.clone()],
            &[user_for("00u1", &e, Staged)],
            12
        )
        .is_empty()
    );
}

#[test]
fn a_pre_hire_without_a_user_is_created_now_and_then_due_for_activation() {
    let e = emp("100", "Ada", "Lovelace")
        .starting("2026-12-14")
        .in_phase(Phase::PreHire);
    let due = ahead(&policy(), vec![e], &[], 30);
    assert_eq!(due.len(), 1, "{:?}", lines(&due));
    assert_eq!(due[0].action, "activate");
    assert_eq!(due[0].at, utc("2026-12-14T09:00:00Z"));
    assert_eq!(due[0].local, "2026-12-14 09:00 Europe/London");
}

#[test]
fn a_creation_window_is_due_before_the_activation() {
    let mut p = policy();
    p.activation.create = CreateTiming::DaysBeforeStart(3);
    let e = emp("100", "Ada", "Lovelace").starting("2026-12-14");
    let due = ahead(&p, vec![e], &[], 30);
    assert_eq!(
        due.iter()
            .map(|d| (d.action.as_str(), d.at))
            .collect::<Vec<_>>(),
        [
            ("create", utc("2026-12-11T00:00:00Z")),
            ("activate", utc("2026-12-14T09:00:00Z")),
        ]
    );
}

#[test]
fn a_leaver_is_due_for_deactivation_at_the_end_of_the_local_termination_date() {
    let e = emp("100", "Ada", "Lovelace")
        .in_phase(Phase::Notice)
        .terminating("2026-12-10")
        .zone(chrono_tz::America::New_York);
    let due = ahead(
        &policy(),
        vec![e.clone()],
        &[user_for("00u1", &e, Active)],
        14,
    );
    assert_eq!(
        lines(&due),
        [
            "2026-12-11T05:00:00+00:00 2026-12-11 00:00 America/New_York 100 deactivate:terminated (00u1)"
        ]
    );
}

#[test]
fn an_inactive_status_pre_hire_that_hr_never_activates_is_due_for_deactivation_at_the_start() {
    // With `status = { active, inactive }`, inactive after the start means terminated.
    let e = emp("100", "Ada", "Lovelace")
        .starting("2026-12-14")
        .inactive();
    let due = ahead(
        &policy(),
        vec![e.clone()],
        &[user_for("00u1", &e, Staged)],
        30,
    );
    assert_eq!(
        due.iter()
            .map(|d| (d.action.as_str(), d.reason.code()))
            .collect::<Vec<_>>(),
        [("deactivate", "status_inactive".to_owned())]
    );
}

#[test]
fn an_employee_in_conflict_is_not_forecast() {
    let e = emp("100", "Ada", "Lovelace").starting("2026-12-14");
    let a = user_for("00u1", &e, Staged);
    let mut b = user_for("00u2", &e, Staged);
    b.profile
        .insert("login", serde_json::json!("other@example.com"));
    assert!(ahead(&policy(), vec![e], &[a, b], 30).is_empty());
}

#[test]
fn pending_activations_count_in_scope_people_whose_activation_is_still_ahead() {
    let hired = emp("1", "Ada", "Lovelace").starting("2026-12-14");
    let started = emp("2", "Alan", "Turing").starting("2026-11-02");
    let snapshot = snapshot(vec![hired, started]);
    let at = utc("2026-12-01T12:00:00Z");
    assert_eq!(
        crate::plan::forecast::pending_activations(&snapshot, &policy(), at),
        1
    );
    let after = utc("2026-12-14T09:00:01Z");
    assert_eq!(
        crate::plan::forecast::pending_activations(&snapshot, &policy(), after),
        0,
        "activated at 09:00 London on the start date"
    );
}
