use super::*;
use crate::apply::{ActionOutcome, ApplyReport, Outcome};
use crate::plan::{PlannedAction, Reason};
use chrono::{DateTime, TimeZone, Utc};

fn t(min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, min, 0).unwrap()
}

fn user(id: &str, title: &str, min: u32) -> OktaUser {
    serde_json::from_value(serde_json::json!({
        "id": id, "status": "ACTIVE", "lastUpdated": t(min).to_rfc3339(),
        "profile": {"login": format!("{id}@example.com"), "title": title, "city": "Oslo"}
    }))
    .unwrap()
}

#[test]
fn a_listed_copy_replaces_a_cached_one_only_when_it_is_newer() {
    let cached = vec![user("00u1", "answered", 5), user("00u2", "old", 1)];
    // The index's old copy of 00u1 (hrsync's answer is newer) and a newer 00u2, and a new user.
    let fresh = vec![
        user("00u1", "index", 3),
        user("00u2", "new", 4),
        user("00u3", "x", 4),
    ];
    let merged = crate::okta::merge_newer(cached, fresh);
    let titles: Vec<&str> = merged.iter().filter_map(|u| u.attr("title")).collect();
    assert_eq!(titles, ["answered", "new", "x"]);
}

#[test]
fn users_are_reduced_to_the_attributes_the_planner_reads() {
    let keep: BTreeSet<String> = ["login", "title"].map(String::from).into();
    let u = reduce(user("00u1", "CTO", 1), &keep);
    assert_eq!(u.attr("city"), None);
    assert_eq!(u.attr("title"), Some("CTO"));
}

fn outcome(okta_id: &str, action: Action, outcome: Outcome) -> ActionOutcome {
    ActionOutcome {
        action: PlannedAction {
            employee_id: None,
            okta_id: Some(OktaUserId(okta_id.into())),
            login: None,
            action,
            reason: Reason::Terminated,
            fills: Default::default(),
        },
        outcome,
    }
}

#[test]
fn the_answers_of_hrsyncs_writes_update_the_cache_and_a_user_gone_asks_for_a_full_pass() {
    let keep: BTreeSet<String> = ["login", "title"].map(String::from).into();
    let users = vec![user("00u1", "a", 1), user("00u2", "b", 1)];
    let report = ApplyReport {
        outcomes: vec![
            outcome(
                "00u1",
                Action::Deactivate,
                Outcome::Applied {
                    okta_id: None,
                    request_id: None,
                },
            ),
            outcome(
                "00u2",
                Action::Suspend,
                Outcome::Failed {
                    code: Some("E0000007".into()),
                    request_id: None,
                    message: "not found".into(),
                    permanent: true,
                },
            ),
        ],
        answers: vec![user("00u9", "created", 2)],
        ..ApplyReport::default()
    };
    let (update, gone) = answers_update(&report, &users, &keep);
    assert!(gone);
    assert_eq!(update.removals, [OktaUserId("00u2".into())]);
    let deactivated = update
        .upserts
        .iter()
        .find(|u| u.id.as_str() == "00u1")
        .unwrap();
    assert_eq!(deactivated.status, UserStatus::Deprovisioned);
    assert!(
        deactivated.last_updated > Some(t(1)),
        "newer than the index's copy"
    );
    assert!(update.upserts.iter().any(|u| u.id.as_str() == "00u9"));
    assert!(update.upserts.iter().all(|u| u.attr("city").is_none()));
}
