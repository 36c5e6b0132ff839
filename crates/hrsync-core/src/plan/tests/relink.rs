//! Relinks: a rehire under a new id and an id-format change reuse the person's account; an
//! ambiguous or refused match never does.

use super::*;
use crate::model::UserStatus;
use crate::plan::guard::limit_relinks;
use crate::snapshot::Rejected;
use serde_json::json;

const NOW: &str = "2026-12-01T12:00:00Z";

#[test]
fn a_rehire_under_a_new_id_reactivates_and_relinks_the_old_account() {
    let old = emp("1000", "Ada", "Lovelace");
    let u = user_for("00u1", &old, UserStatus::Deprovisioned);
    let rehire = emp("2000", "Ada", "Lovelace");
    let plan = run(vec![rehire.clone()], &[u.clone()], NOW);
    assert_eq!(
        summary(&plan),
        ["activate:2000:rehired", "update:2000:relinked"],
        "{:?}",
        plan.findings
    );
    let Action::Update { changes } = &plan.actions[1].action else {
        panic!("an update expected")
    };
    assert_eq!(changes["employeeNumber"].old, Some(json!("1000")));
    assert_eq!(changes["employeeNumber"].new, Some(json!("2000")));
    // Applied, the next plan is empty: one account, linked by the new id.
    let mut after = vec![u];
    apply(&plan, &mut after);
    assert!(run(vec![rehire], &after, NOW).is_empty());
    assert_eq!(after.len(), 1);
}

#[test]
fn an_id_format_change_relinks_under_the_limit_and_holds_everything_over_it() {
    let people: Vec<_> = (0..6)
        .map(|i| emp(&format!("100{i}"), "Ada", &format!("Lovelace{i}")))
        .collect();
    let users: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, e)| user_for(&format!("00u{i}"), e, UserStatus::Active))
        .collect();
    let drifted: Vec<_> = people
        .iter()
        .map(|e| {
            let mut d = e.clone().with("id", &format!("0{}", e.id));
            d.id = crate::model::EmployeeId::parse(&format!("0{}", e.id)).unwrap();
            d
        })
        .collect();
    let plan = run(drifted.clone(), &users, NOW);
    assert_eq!(plan.actions.len(), 6, "{:?}", summary(&plan));
    assert!(plan.actions.iter().all(|a| a.reason == Reason::Relinked));
    assert!(plan.findings.iter().all(|f| f.kind != FindingKind::Orphan));
    let p = policy();
    let (limited, held) = limit_relinks(plan.clone(), &p.safety, &p.anchor_attribute, None);
    let held = held.unwrap();
    assert!(limited.actions.is_empty());
    assert_eq!(limited.findings.len(), 6);
    assert_eq!(
        held.to_string(),
        "6 new ids match existing managed users by email, e.g. 1000 → 01000: did the id format change? Nothing was relinked (more than safety.max_relinks_per_run = 5); fix the export, or if these are real rehires or id changes, approve once: hrsync sync --allow-relinks 6"
    );
    let (approved, held) = limit_relinks(plan, &p.safety, &p.anchor_attribute, Some(6));
    assert!(held.is_none());
    assert_eq!(approved.actions.len(), 6);
    // Five are within the limit.
    let plan = run(drifted[..5].to_vec(), &users[..5], NOW);
    let (limited, held) = limit_relinks(plan, &p.safety, &p.anchor_attribute, None);
    assert!(held.is_none());
    assert_eq!(limited.actions.len(), 5);
}

#[test]
fn an_orphan_whose_record_was_refused_is_not_relinked() {
    let old = emp("1000", "Ada", "Lovelace");
    let u = user_for("00u1", &old, UserStatus::Active);
    let mut snap = snapshot(vec![emp("2000", "Ada", "Lovelace")]);
    snap.rejected.push(Rejected {
        location: "e.csv:3".into(),
        employee_id: Some("1000".into()),
        field: Some("start_date".into()),
        reason: "bad".into(),
    });
    let plan = plan(&snap, &[u], &policy(), utc(NOW));
    assert!(plan.is_empty(), "{:?}", summary(&plan));
    assert!(
        finding_summary(&plan).contains(&"Conflict:shared_email".to_owned()),
        "{:?}",
        plan.findings
    );
}

#[test]
fn two_orphans_with_the_email_relink_neither_and_nothing_is_created() {
    let a = user_for(
        "00u1",
        &emp("1000", "Ada", "Lovelace"),
        UserStatus::Deprovisioned,
    );
    let mut b = user_for(
        "00u2",
        &emp("1001", "Ada", "Lovelace"),
        UserStatus::Deprovisioned,
    );
    b.profile.insert("login", json!("ada.l@example.com"));
    let plan = run(vec![emp("2000", "Ada", "Lovelace")], &[a, b], NOW);
    assert!(plan.is_empty(), "{:?}", summary(&plan));
    assert_eq!(
        finding_summary(&plan)
            .iter()
            .filter(|f| *f == "Conflict:shared_email")
            .count(),
        1
    );
}
