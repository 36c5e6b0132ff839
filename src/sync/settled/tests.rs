use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn empty_plan(at: &str, wakeup: Option<&str>) -> Plan {
    Plan {
        at: utc(at),
        actions: Vec::new(),
        findings: Vec::new(),
        next_wakeup: wakeup.map(utc),
        managed_users: 3,
    }
}

fn finding(kind: FindingKind, reason: Reason) -> Finding {
    Finding {
        kind,
        employee_id: None,
        okta_id: None,
        reason,
        detail: "why".into(),
    }
}

#[test]
fn a_state_holds_from_its_instant_until_just_before_the_wake_up() {
    let plan = empty_plan("2026-12-01T12:00:00Z", Some("2026-12-02T09:00:00Z"));
    let Some(state) = Settled::of_plan(&plan, "hr".into(), "policy".into(), 0) else {
        panic!("an empty plan settles");
    };
    assert!(state.holds_at(utc("2026-12-01T12:00:00Z")));
    assert!(state.holds_at(utc("2026-12-02T08:59:59Z")));
    assert!(
        !state.holds_at(utc("2026-12-02T09:00:00Z")),
        "the boundary itself plans"
    );
    assert!(
        !state.holds_at(utc("2026-12-01T11:59:59Z")),
        "a clock moved back plans"
    );
}

#[test]
fn a_state_without_a_wake_up_holds_from_its_instant_on() {
    let plan = empty_plan("2026-12-01T12:00:00Z", None);
    let state = Settled::of_plan(&plan, "hr".into(), "p".into(), 0);
    assert!(state.is_some_and(|s| s.holds_at(utc("2027-06-01T00:00:00Z"))));
}

#[test]
fn a_plan_with_actions_held_back_or_quarantined_findings_leaves_no_state() {
    let mut held = empty_plan("2026-12-01T12:00:00Z", None);
    held.findings
        .push(finding(FindingKind::HeldBack, Reason::Terminated));
    assert!(Settled::of_plan(&held, "h".into(), "p".into(), 0).is_none());
    let mut quarantined = empty_plan("2026-12-01T12:00:00Z", None);
    quarantined
        .findings
        .push(finding(FindingKind::Skip, Reason::Quarantined));
    assert!(Settled::of_plan(&quarantined, "h".into(), "p".into(), 0).is_none());
    let mut skips = empty_plan("2026-12-01T12:00:00Z", None);
    skips
        .findings
        .push(finding(FindingKind::Skip, Reason::OutOfScope));
    let state = Settled::of_plan(&skips, "h".into(), "p".into(), 2);
    assert_eq!(
        state.map(|s| s.plan_at(utc("2026-12-01T13:00:00Z")).findings),
        Some(skips.findings.clone()),
        "a skip is reported again by the run that settles"
    );
}

#[test]
fn a_state_reads_back_as_it_was_written() {
    let mut plan = empty_plan("2026-12-01T12:00:00Z", Some("2026-12-02T09:00:00Z"));
    plan.findings
        .push(finding(FindingKind::Conflict, Reason::MasteredElsewhere));
    let state = Settled::of_plan(&plan, "hr".into(), "p".into(), 7);
    let text = serde_json::to_string(&state).unwrap_or_default();
    let back: Option<Settled> = serde_json::from_str(&text).ok().flatten();
    assert_eq!(back, state);
}

fn user(id: &str, title: &str) -> OktaUser {
    serde_json::from_value(serde_json::json!({
        "id": id, "status": "ACTIVE", "lastUpdated": "2026-12-01T10:00:00Z",
        "profile": {"login": format!("{id}@example.com"), "title": title}
    }))
    .unwrap()
}

#[test]
fn a_listing_is_cached_only_when_every_listed_user_is_its_row() {
    let cached = vec![user("00u1", "Chef"), user("00u2", "Cook")];
    assert!(listing_is_cached(&[user("00u2", "Cook")], &cached));
    assert!(listing_is_cached(&[], &cached));
    assert!(
        !listing_is_cached(&[user("00u2", "Baker")], &cached),
        "changed"
    );
    assert!(!listing_is_cached(&[user("00u3", "Cook")], &cached), "new");
    let mut later = user("00u1", "Chef");
    later.last_updated = Some(utc("2026-12-01T10:00:01Z"));
    assert!(!listing_is_cached(&[later], &cached), "touched");
}

fn snapshot(title: &str) -> Snapshot {
    use crate::model::{Employee, EmployeeId, EmploymentStatus, Fields, Phase};
    let name: std::sync::Arc<str> = "title".into();
    Snapshot {
        employees: vec![Employee {
            id: EmployeeId::parse("e1").unwrap(),
            fields: Fields::from_pairs([(name, title)]),
            status: EmploymentStatus::Phase(Phase::Employed),
            raw_status: "active".into(),
            start_date: None,
            termination_date: None,
            timezone: None,
            manager_id: None,
            origin: "hr.csv:2".into(),
        }],
        rejected: vec![],
    }
}

#[test]
fn the_snapshot_digest_changes_with_any_field_and_not_without() {
    let a = snapshot("Chef");
    assert_eq!(snapshot_digest(&a), snapshot_digest(&snapshot("Chef")));
    assert_ne!(snapshot_digest(&a), snapshot_digest(&snapshot("Cook")));
    let mut started = snapshot("Chef");
    started.employees[0].start_date = chrono::NaiveDate::from_ymd_opt(2026, 12, 2);
    assert_ne!(snapshot_digest(&a), snapshot_digest(&started));
    let mut refused = snapshot("Chef");
    refused.rejected.push(crate::source::Rejected {
        location: "hr.csv:3".into(),
        employee_id: None,
        field: Some("email".into()),
        reason: "not an email".into(),
    });
    assert_ne!(snapshot_digest(&a), snapshot_digest(&refused));
}
