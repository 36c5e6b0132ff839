//! Quarantine: an action failing the same way run after run is held with a finding; changed
//! inputs or a cleared streak send it again.

use super::*;
use crate::plan::quarantine::{FailureStreak, fingerprint, quarantine, subject};

const NOW: &str = "2026-12-01T12:00:00Z";

fn streak_for(action: &PlannedAction, failures: u32) -> FailureStreak {
    FailureStreak {
        subject: subject(action).unwrap_or_default().to_owned(),
        kind: action.action.kind().to_string(),
        fingerprint: fingerprint(action),
        error_code: Some("E0000001".to_owned()),
        message: "Api validation failed: newUser (title: too long)".to_owned(),
        failures,
        first_failed_at: utc("2026-11-30T09:00:00Z"),
        last_failed_at: utc("2026-12-01T09:00:00Z"),
    }
}

#[test]
fn an_action_that_failed_as_often_as_the_threshold_becomes_a_skip_finding_naming_the_fix() {
    let mut plan = run(
        vec![emp("1", "Ada", "Lovelace"), emp("2", "Alan", "Turing")],
        &[],
        NOW,
    );
    let streaks = [streak_for(&plan.actions[0], 3)];
    let moved = quarantine(&mut plan, &streaks, 3);
    assert_eq!(moved, 1);
    assert_eq!(summary(&plan), ["create:2:new_hire"]);
    let f = plan.findings.last().expect("a finding");
    assert_eq!((f.kind, f.reason), (FindingKind::Skip, Reason::Quarantined));
    assert!(
        f.detail.contains("failed in 3 runs in a row"),
        "{}",
        f.detail
    );
    assert!(f.detail.contains("E0000001"), "{}", f.detail);
    assert!(f.detail.contains("`hrsync retry 1`"), "{}", f.detail);
}

#[test]
fn a_streak_below_the_threshold_or_a_threshold_of_zero_quarantines_nothing() {
    let mut plan = run(vec![emp("1", "Ada", "Lovelace")], &[], NOW);
    let two = [streak_for(&plan.actions[0], 2)];
    assert_eq!(quarantine(&mut plan, &two, 3), 0);
    let many = [streak_for(&plan.actions[0], 9)];
    assert_eq!(quarantine(&mut plan, &many, 0), 0);
    assert_eq!(plan.actions.len(), 1);
}

#[test]
fn a_changed_record_changes_the_fingerprint_and_ends_the_quarantine() {
    let before = run(vec![emp("1", "Ada", "Lovelace")], &[], NOW);
    let streaks = [streak_for(&before.actions[0], 5)];
    let mut after = run(vec![emp("1", "Ada", "Byron")], &[], NOW);
    assert_ne!(
        fingerprint(&before.actions[0]),
        fingerprint(&after.actions[0])
    );
    assert_eq!(quarantine(&mut after, &streaks, 3), 0);
    assert_eq!(summary(&after), ["create:1:new_hire"]);
}

#[test]
fn the_same_inputs_give_the_same_fingerprint_in_every_run() {
    let a = run(vec![emp("1", "Ada", "Lovelace")], &[], NOW);
    let b = run(vec![emp("1", "Ada", "Lovelace")], &[], NOW);
    assert_eq!(fingerprint(&a.actions[0]), fingerprint(&b.actions[0]));
    assert_eq!(fingerprint(&a.actions[0]).len(), 24);
}

#[test]
fn one_e0000023_refusal_holds_every_later_write_to_that_user_as_a_conflict() {
    let users = [user_for(
        "00u1",
        &emp("1", "Ada", "Lovelace"),
        crate::model::UserStatus::Active,
    )];
    let changed = || vec![emp("1", "Ada", "Lovelace").with("department", "Research")];
    let mut plan = run(changed(), &users, NOW);
    assert_eq!(plan.actions.len(), 1);
    let mut streak = streak_for(&plan.actions[0], 1);
    streak.error_code = Some("E0000023".to_owned());
    streak.message =
        "Okta 403 E0000023: Operation failed because user profile is mastered under another system"
            .to_owned();
    // A different change (another fingerprint) to the same user is held too, at once.
    let mut again = run(
        vec![emp("1", "Ada", "Lovelace").with("department", "Design")],
        &users,
        NOW,
    );
    assert_eq!(quarantine(&mut again, &[streak.clone()], 3), 1);
    assert!(again.actions.is_empty());
    let held = &again.findings[again.findings.len() - 1];
    assert_eq!(
        (held.kind, held.reason),
        (FindingKind::Conflict, Reason::MasteredElsewhere)
    );
    assert!(
        held.detail.contains("403 E0000023") && held.detail.contains("hrsync retry 1"),
        "{}",
        held.detail
    );
    // With the quarantine turned off, it is held all the same.
    assert_eq!(quarantine(&mut plan, &[streak], 0), 1);
}
