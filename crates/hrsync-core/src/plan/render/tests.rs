//! The text form's blocks, markers, colour switch and escaping, on hand-built plans (whole
//! plans are checked against golden files in `plan::tests::golden`).

use super::*;
use crate::model::{EmployeeId, OktaUserId, Profile};
use crate::plan::{IdRef, Reason};
use serde_json::json;
use std::collections::BTreeMap;

fn eid(s: &str) -> EmployeeId {
    EmployeeId::parse(s).unwrap()
}

fn action(employee: Option<&str>, login: &str, action: Action, reason: Reason) -> PlannedAction {
    PlannedAction {
        employee_id: employee.map(eid),
        okta_id: Some(OktaUserId("00u42".to_owned())),
        login: Some(login.to_owned()),
        action,
        reason,
        fills: BTreeMap::new(),
    }
}

fn plan(actions: Vec<PlannedAction>) -> Plan {
    Plan {
        at: chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        actions,
        findings: Vec::new(),
        next_wakeup: None,
        managed_users: 1,
    }
}

fn update() -> PlannedAction {
    let mut changes = BTreeMap::new();
    let change =
        |old: Option<serde_json::Value>, new: Option<serde_json::Value>| Change { old, new };
    changes.insert(
        "department".to_owned(),
        change(Some(json!("Eng")), Some(json!("Sales"))),
    );
    changes.insert("title".to_owned(), change(None, Some(json!("Lead"))));
    changes.insert("costCenter".to_owned(), change(Some(json!("C-1")), None));
    let mut a = action(
        Some("1005"),
        "ada@example.com",
        Action::Update { changes },
        Reason::ProfileChanged,
    );
    a.fills.insert(
        "managerId".to_owned(),
        IdRef {
            created_for: eid("1009"),
            prefix: String::new(),
            suffix: String::new(),
            old: Some(json!("00uold")),
        },
    );
    a
}

#[test]
fn an_update_shows_one_attribute_per_line_with_its_marker_in_name_order() {
    let text = to_text(&plan(vec![update()]));
    let block: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(
        block,
        [
            "~ update 1005 ada@example.com (profile_changed)",
            "    - costCenter  (was \"C-1\")",
            "    ~ department: \"Eng\" → \"Sales\"",
            "    ~ managerId:  \"00uold\" → the Okta id of 1009's new user",
            "    + title       = \"Lead\"",
        ],
        "{text}"
    );
}

#[test]
fn a_create_lists_its_profile_and_says_whether_it_activates() {
    let mut profile = Profile::new();
    profile.insert("login".to_owned(), json!("x@example.com"));
    profile.insert("firstName".to_owned(), json!("X"));
    let mut create = action(
        Some("7"),
        "x@example.com",
        Action::Create {
            profile,
            activate: true,
        },
        Reason::NewHire,
    );
    create.okta_id = None;
    create.fills.insert(
        "dn".to_owned(),
        IdRef {
            created_for: eid("8"),
            prefix: "CN=".to_owned(),
            suffix: ",OU=x".to_owned(),
            old: None,
        },
    );
    let text = to_text(&plan(vec![create]));
    assert!(
        text.contains(
            "+ create 7 x@example.com (new_hire; activated at once)\n    + dn        = \"CN=\" + the Okta id of 8's new user + \",OU=x\"\n    + firstName = \"X\"\n    + login     = \"x@example.com\"\n"
        ),
        "{text}"
    );
}

#[test]
fn lifecycle_actions_are_one_line_blocks_separated_by_blank_lines() {
    let mut orphan = action(None, "old@example.com", Action::Deactivate, Reason::Orphan);
    orphan.login = None;
    let text = to_text(&plan(vec![
        action(
            Some("1"),
            "a@example.com",
            Action::Activate,
            Reason::StartDateReached,
        ),
        orphan,
    ]));
    assert!(
        text.ends_with(
            "~ activate 1 a@example.com (start_date_reached)\n\n- deactivate Okta user 00u42 (orphan)\n"
        ),
        "{text}"
    );
}

#[test]
fn colour_is_only_there_when_asked_for() {
    let p = plan(vec![update()]);
    assert!(!to_text(&p).contains('\x1b'));
    let coloured = to_text_with(
        &p,
        TextOptions {
            layout: Layout::Blocks,
            colour: true,
        },
    );
    assert!(coloured.contains("\x1b[33m~ update\x1b[0m"), "{coloured:?}");
    assert!(
        coloured.contains("\x1b[31m-\x1b[0m costCenter"),
        "{coloured:?}"
    );
    assert!(coloured.contains("\x1b[32m+\x1b[0m title"), "{coloured:?}");
}

#[test]
fn control_characters_from_hr_or_okta_cannot_reach_the_terminal() {
    let mut changes = BTreeMap::new();
    changes.insert(
        "title".to_owned(),
        Change {
            old: None,
            new: Some(json!("\x1b[2Jboss")),
        },
    );
    let a = action(
        Some("1"),
        "evil\x1b]0;x\x07@example.com",
        Action::Update { changes },
        Reason::ProfileChanged,
    );
    let text = to_text(&plan(vec![a]));
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("evil\\u{1b}]0;x\\u{7}@example.com"), "{text}");
}

#[test]
fn the_table_layout_keeps_one_line_per_action() {
    let text = to_text_with(
        &plan(vec![update()]),
        TextOptions {
            layout: Layout::Table,
            colour: false,
        },
    );
    assert!(text.contains("EMPLOYEE  LOGIN"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("1005")).count(),
        1,
        "{text}"
    );
}
