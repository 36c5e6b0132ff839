//! Users mastered by another directory or app: their writes become conflicts, everyone
//! else's go ahead.

use super::*;
use crate::model::{Credentials, Provider, UserStatus};

const NOW: &str = "2026-12-01T12:00:00Z";

fn sourced_by(mut user: OktaUser, kind: &str, name: &str) -> OktaUser {
    user.credentials = Credentials {
        provider: Some(Provider {
            kind: kind.to_owned(),
            name: Some(name.to_owned()),
        }),
    };
    user
}

#[test]
fn an_update_and_a_deactivation_of_directory_mastered_users_are_conflicts_not_actions() {
    let ada = emp("1", "Ada", "Lovelace").with("department", "Research");
    let alan = emp("2", "Alan", "Turing").with("department", "Research");
    let leaver = emp("3", "Grace", "Hopper");
    let users = vec![
        sourced_by(
            user_for("00u1", &emp("1", "Ada", "Lovelace"), UserStatus::Active),
            "ACTIVE_DIRECTORY",
            "corp.example.com",
        ),
        user_for("00u2", &emp("2", "Alan", "Turing"), UserStatus::Active),
        sourced_by(
            user_for("00u3", &leaver, UserStatus::Active),
            "LDAP",
            "LDAP",
        ),
    ];
    let plan = run(vec![ada, alan, leaver.inactive()], &users, NOW);
    assert_eq!(summary(&plan), ["update:2:profile_changed"]);
    let held: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| f.reason == Reason::MasteredElsewhere)
        .collect();
    assert_eq!(held.len(), 2, "{:#?}", plan.findings);
    assert!(held.iter().all(|f| f.kind == FindingKind::Conflict));
    let ada = held
        .iter()
        .find(|f| f.okta_id.as_ref().unwrap().as_str() == "00u1")
        .unwrap();
    assert!(
        ada.detail
            .contains("mastered by ACTIVE_DIRECTORY (corp.example.com)")
            && ada.detail.contains("planned update is not sent")
            && ada.detail.contains("403 E0000023"),
        "{}",
        ada.detail
    );
    let grace = held
        .iter()
        .find(|f| f.okta_id.as_ref().unwrap().as_str() == "00u3")
        .unwrap();
    assert!(
        grace
            .detail
            .contains("mastered by LDAP, not by Okta; the planned deactivate"),
        "{}",
        grace.detail
    );
}

#[test]
fn an_okta_provider_in_any_case_is_okta_itself() {
    let ada = emp("1", "Ada", "Lovelace").with("department", "Research");
    let users = [sourced_by(
        user_for("00u1", &emp("1", "Ada", "Lovelace"), UserStatus::Active),
        "okta",
        "OKTA",
    )];
    let plan = run(vec![ada], &users, NOW);
    assert_eq!(summary(&plan), ["update:1:profile_changed"]);
}
