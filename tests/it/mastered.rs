//! Users mastered elsewhere (issue 17): an Okta user whose profile another directory masters
//! is a conflict in the plan and is never written; in an org where Okta answers 403 E0000023
//! to a write, one refusal is enough for the next plans to hold every write to that user.

use crate::support::{Fixture, three_employees};
use hrsync::emulator::{EmulatorConfig, Faults};
use hrsync::plan::{FindingKind, Reason};
use serde_json::json;

const NOW: &str = "2026-12-01T12:00:00Z";

#[tokio::test]
async fn a_directory_mastered_user_is_a_conflict_in_the_plan_and_is_never_written() {
    let fx = Fixture::start(&three_employees()).await;
    // Ada exists, anchored, but Active Directory masters her profile; her title differs.
    fx.emulator.seed(vec![json!({
        "id": "00uada",
        "status": "ACTIVE",
        "profile": {"login": "ada.kowalski@example.com", "email": "ada.kowalski@example.com",
                    "firstName": "Ada", "lastName": "Kowalski", "employeeNumber": "1001",
                    "title": "Old title"},
        "credentials": {"provider": {"type": "ACTIVE_DIRECTORY", "name": "corp.example.com"}}
    })]);
    let report = fx.sync(crate::support::at(NOW)).await.unwrap();
    let held: Vec<_> = report
        .plan
        .findings
        .iter()
        .filter(|f| f.reason == Reason::MasteredElsewhere)
        .collect();
    assert_eq!(held.len(), 1, "{:#?}", report.plan.findings);
    assert_eq!(held[0].kind, FindingKind::Conflict);
    assert!(
        held[0]
            .detail
            .contains("ACTIVE_DIRECTORY (corp.example.com)")
    );
    let stats = fx.emulator.stats();
    assert_eq!(
        stats.count_status("POST", "/api/v1/users/", 403),
        0,
        "no write was tried"
    );
    assert_eq!(report.counts.created, 2, "the others are provisioned");
}

#[tokio::test]
async fn after_one_e0000023_refusal_the_next_plan_holds_the_users_writes_as_conflicts() {
    let fx = Fixture::start_with(
        &three_employees(),
        EmulatorConfig::default().faults(Faults {
            profiles_mastered_elsewhere: true,
            ..Faults::default()
        }),
        "",
    )
    .await;
    // Everyone exists and is anchored; Zoë's department changed in HR.
    let first = fx.sync(crate::support::at(NOW)).await.unwrap();
    assert_eq!(first.counts.created, 3);
    fx.write_csv(&three_employees().replace(",Designer,Design,", ",Designer,Research,"));
    let refused = fx.sync(crate::support::at(NOW)).await.unwrap();
    assert_eq!(refused.counts.failed, 1, "Okta refused the update");
    let writes = fx.emulator.stats().writes();

    let next = fx.sync(crate::support::at(NOW)).await.unwrap();
    assert_eq!(fx.emulator.stats().writes(), writes, "nothing sent again");
    let held = next
        .plan
        .findings
        .iter()
        .find(|f| f.reason == Reason::MasteredElsewhere)
        .expect("a conflict finding");
    assert_eq!(held.kind, FindingKind::Conflict);
    assert!(held.detail.contains("hrsync retry 1003"), "{}", held.detail);
}
