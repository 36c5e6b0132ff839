use super::*;
use crate::plan::testkit::*;
use crate::plan::{Action, Plan, PlannedAction, Reason};
use crate::snapshot::Rejected;

fn safety() -> SafetyConfig {
    policy().safety
}

fn snap(employees: usize, rejected: usize) -> Snapshot {
    Snapshot {
        employees: (0..employees)
            .map(|i| emp(&i.to_string(), "A", "B"))
            .collect(),
        rejected: (0..rejected)
            .map(|i| Rejected {
                location: format!("x.csv:{i}"),
                employee_id: None,
                field: Some("id".into()),
                reason: "empty".into(),
            })
            .collect(),
    }
}

#[test]
fn an_empty_snapshot_is_refused() {
    assert_eq!(
        check_snapshot(&snap(0, 3), None, &safety()),
        Err(GuardError::Empty { rejected: 3 })
    );
}

#[test]
fn a_snapshot_that_shrank_below_the_ratio_is_refused() {
    assert!(matches!(
        check_snapshot(&snap(89, 0), Some(100), &safety()),
        Err(GuardError::Shrank {
            employees: 89,
            last_good: 100,
            ..
        })
    ));
    assert_eq!(check_snapshot(&snap(90, 0), Some(100), &safety()), Ok(()));
    assert_eq!(check_snapshot(&snap(5, 0), None, &safety()), Ok(()));
}

#[test]
fn too_many_rejected_records_are_refused_with_the_share() {
    let err = check_snapshot(&snap(97, 3), None, &safety()).unwrap_err();
    assert!(
        err.to_string().contains("3 of 100 HR records (3.0 %)"),
        "{err}"
    );
    assert_eq!(check_snapshot(&snap(98, 2), None, &safety()), Ok(()));
}

fn plan_with(deactivations: usize, creates: usize, managed: usize) -> Plan {
    let mut actions = Vec::new();
    for i in 0..creates {
        actions.push(PlannedAction {
            employee_id: Some(crate::model::EmployeeId::parse(&format!("c{i}")).unwrap()),
            okta_id: None,
            login: None,
            action: Action::Create {
                profile: Default::default(),
                activate: true,
            },
            reason: Reason::NewHire,
            fills: Default::default(),
        });
    }
    for i in 0..deactivations {
        actions.push(PlannedAction {
            employee_id: Some(crate::model::EmployeeId::parse(&format!("d{i}")).unwrap()),
            okta_id: Some(crate::model::OktaUserId(format!("00ud{i}"))),
            login: None,
            action: if i % 2 == 0 {
                Action::Deactivate
            } else {
                Action::Suspend
            },
            reason: Reason::Terminated,
            fills: Default::default(),
        });
    }
    Plan {
        at: utc("2026-12-01T00:00:00Z"),
        actions,
        findings: vec![],
        next_wakeup: None,
        managed_users: managed,
    }
}

#[test]
fn deactivations_within_both_limits_go_through() {
    let (p, blocked) = limit_plan(plan_with(5, 1, 100), &safety(), None);
    assert!(blocked.is_none());
    assert_eq!(p.counts().deactivate + p.counts().suspend, 5);
}

#[test]
fn too_many_deactivations_are_all_held_back_while_creates_still_go() {
    let (p, blocked) = limit_plan(plan_with(6, 2, 100), &safety(), None);
    let blocked = blocked.unwrap();
    assert_eq!((blocked.destructive, blocked.allowed), (6, 5));
    assert_eq!(p.counts().create, 2);
    assert_eq!(p.counts().deactivate + p.counts().suspend, 0);
    assert_eq!(p.counts().held_back, 6);
    assert!(
        p.findings
            .iter()
            .all(|f| f.reason == Reason::HeldBackByLimit)
    );
    assert!(
        blocked
            .to_string()
            .contains("hrsync sync --allow-deactivations 6")
    );
}

#[test]
fn the_absolute_limit_applies_to_large_orgs() {
    let (_, blocked) = limit_plan(plan_with(26, 0, 100_000), &safety(), None);
    assert_eq!(blocked.unwrap().allowed, 25);
}

#[test]
fn an_approval_for_at_least_as_many_lets_them_through_and_a_smaller_one_does_not() {
    let (p, blocked) = limit_plan(plan_with(6, 0, 100), &safety(), Some(6));
    assert!(blocked.is_none());
    assert_eq!(p.actions.len(), 6);
    let (p, blocked) = limit_plan(plan_with(6, 0, 100), &safety(), Some(5));
    assert_eq!(blocked.unwrap().approved, Some(5));
    assert!(p.actions.is_empty());
}

#[test]
fn a_snapshot_where_no_record_gives_a_login_names_the_template_and_the_missing_field() {
    let m = mapping();
    let good = snapshot(vec![
        emp("1", "Ada", "Lovelace").without("email"),
        emp("2", "Alan", "Turing"),
    ]);
    assert_eq!(check_logins(&good, &m), Ok(()), "one login is enough");
    let renamed = snapshot(vec![
        emp("1", "Ada", "Lovelace").without("email"),
        emp("2", "Alan", "Turing")
            .without("email")
            .with("work_email", "a@example.com"),
    ]);
    let err = check_logins(&renamed, &m).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no HR record gives a login: mapping.login = \"{email|lower}\" reads email, which no record has; every new hire would be skipped. Fix the column or field name in the HR export, or the login template in [mapping]"
    );
    assert_eq!(
        check_logins(&snapshot(vec![]), &m),
        Ok(()),
        "empty is the snapshot guard's"
    );
}

#[test]
fn a_record_with_several_problems_counts_once_against_the_rejected_share() {
    // 60 good records and one with two problems: 1 of 61 (1.6 %) is under 2 %.
    let mut s = snap(60, 0);
    for field in ["start_date", "site"] {
        s.rejected.push(Rejected {
            location: "x.csv:62".into(),
            employee_id: Some("62".into()),
            field: Some(field.into()),
            reason: "bad".into(),
        });
    }
    assert_eq!(check_snapshot(&s, None, &safety()), Ok(()));
}

#[test]
fn creates_over_the_limit_are_all_held_unless_approved_or_the_initial_load() {
    // 25 % of 100 managed users = 25, under the 50 per run.
    let (p, held) = limit_creates(plan_with(0, 25, 100), &safety(), false, None);
    assert!(held.is_none());
    assert_eq!(p.actions.len(), 25);
    let (p, held) = limit_creates(plan_with(0, 26, 100), &safety(), false, None);
    let held = held.unwrap();
    assert_eq!((held.creates, held.allowed), (26, 25));
    assert!(p.actions.is_empty());
    assert_eq!(p.findings.len(), 26);
    assert!(
        held.to_string().contains("hrsync sync --allow-creates 26"),
        "{held}"
    );
    let (p, held) = limit_creates(plan_with(0, 26, 100), &safety(), false, Some(26));
    assert!(held.is_none());
    assert_eq!(p.actions.len(), 26);
    // A small org may always hire a few.
    let (p, held) = limit_creates(plan_with(0, 10, 4), &safety(), false, None);
    assert!(held.is_none());
    assert_eq!(p.actions.len(), 10);
    let (_, held) = limit_creates(plan_with(0, 11, 4), &safety(), false, None);
    assert_eq!(held.map(|h| h.allowed), Some(10));
    // The first run of an empty journal loads everyone, and says so.
    let (p, held) = limit_creates(plan_with(0, 1000, 0), &safety(), true, None);
    assert!(held.is_none());
    assert_eq!(p.actions.len(), 1000);
    assert!(
        p.findings[0]
            .detail
            .starts_with("initial load: 1000 creates"),
        "{:?}",
        p.findings
    );
}

#[test]
fn a_snapshot_that_more_than_doubled_is_refused_once_the_org_is_not_tiny() {
    let s = snap(41, 0);
    assert!(matches!(
        check_snapshot(&s, Some(20), &safety()),
        Err(GuardError::Grew {
            employees: 41,
            last_good: 20,
            ..
        })
    ));
    assert_eq!(check_snapshot(&snap(40, 0), Some(20), &safety()), Ok(()));
    assert_eq!(
        check_snapshot(&snap(50, 0), Some(19), &safety()),
        Ok(()),
        "tiny orgs grow"
    );
}

#[test]
fn login_renames_over_the_limit_are_held_whole_unless_approved() {
    let rename = |i: usize| PlannedAction {
        employee_id: Some(crate::model::EmployeeId::parse(&format!("r{i}")).unwrap()),
        okta_id: Some(crate::model::OktaUserId(format!("00ur{i}"))),
        login: Some(format!("r{i}@example.com")),
        action: Action::Update {
            changes: [(
                "login".to_owned(),
                crate::plan::Change {
                    old: Some(serde_json::json!(format!("r{i}@example.com"))),
                    new: Some(serde_json::json!(format!("r{i}@private.example"))),
                },
            )]
            .into_iter()
            .collect(),
        },
        reason: Reason::ProfileChanged,
        fills: Default::default(),
    };
    let with_renames = |n: usize, managed: usize| {
        let mut p = plan_with(0, 0, managed);
        p.actions.extend((0..n).map(rename));
        p
    };
    // 10 % of 100 managed = 10.
    let (p, held) = limit_login_changes(with_renames(10, 100), &safety(), None);
    assert!(held.is_none());
    assert_eq!(p.actions.len(), 10);
    let (p, held) = limit_login_changes(with_renames(11, 100), &safety(), None);
    assert_eq!(
        held.as_ref().map(|h| (h.renames, h.allowed)),
        Some((11, 10))
    );
    assert!(p.actions.is_empty(), "zero renames");
    assert!(
        held.unwrap()
            .to_string()
            .contains("--allow-login-changes 11")
    );
    let (p, _) = limit_login_changes(with_renames(11, 100), &safety(), Some(11));
    assert_eq!(p.actions.len(), 11);
    // A small org: two renames go, every login of five at once does not.
    assert!(
        limit_login_changes(with_renames(2, 5), &safety(), None)
            .1
            .is_none()
    );
    assert!(
        limit_login_changes(with_renames(5, 5), &safety(), None)
            .1
            .is_some()
    );
}

#[test]
fn the_plan_id_names_the_held_actions_whatever_their_order() {
    use crate::plan::approval::{Approvals, held_plan_id, held_summary, limit_all};
    let p = policy();
    let (held, why) = limit_all(plan_with(6, 0, 100), &p, false, Approvals::default());
    assert_eq!(why.len(), 1, "{why:?}");
    let id = held_plan_id(&held).unwrap();
    assert_eq!(id.len(), 12);
    let mut reversed = held.clone();
    reversed.findings.reverse();
    assert_eq!(held_plan_id(&reversed).as_deref(), Some(id.as_str()));
    assert_eq!(held_summary(&held), "6 held: 3 deactivate, 3 suspend");
    let (other, _) = limit_all(plan_with(7, 0, 100), &p, false, Approvals::default());
    assert_ne!(held_plan_id(&other), Some(id));
    let (all, why) = limit_all(plan_with(7, 0, 100), &p, false, Approvals::ALL);
    assert!(why.is_empty());
    assert_eq!(held_plan_id(&all), None);
    assert_eq!(all.actions.len(), 7);
}
