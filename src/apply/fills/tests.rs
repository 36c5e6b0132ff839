use super::*;
use crate::plan::Reason;
use std::collections::BTreeMap;

fn eid(s: &str) -> EmployeeId {
    EmployeeId::parse(s).unwrap()
}

fn create(employee: &str, manager: Option<&str>) -> PlannedAction {
    let mut fills = BTreeMap::new();
    if let Some(m) = manager {
        fills.insert(
            "managerId".to_owned(),
            IdRef {
                created_for: eid(m),
                prefix: String::new(),
                suffix: String::new(),
                old: None,
            },
        );
    }
    PlannedAction {
        employee_id: Some(eid(employee)),
        okta_id: None,
        login: None,
        action: Action::Create {
            profile: Default::default(),
            activate: false,
        },
        reason: Reason::NewHire,
        fills,
    }
}

#[test]
fn a_chain_runs_one_level_after_the_create_it_refers_to() {
    let (ceo, vp, ic, other) = (
        create("1", None),
        create("2", Some("1")),
        create("3", Some("2")),
        create("4", None),
    );
    let chains = vec![
        vec![(0, &ceo)],
        vec![(1, &other)],
        vec![(2, &vp)],
        vec![(3, &ic)],
    ];
    assert_eq!(levels(&chains), [0, 0, 1, 2]);
}

#[test]
fn a_reference_is_filled_from_the_answered_create_or_left_out_when_it_failed() {
    let created = CreatedIds::default();
    let report = create("2", Some("1"));
    let Action::Create { profile, .. } = &resolve(&report, &created).unwrap().action else {
        panic!("a create")
    };
    assert!(
        !profile.contains_key("managerId"),
        "the manager's create failed"
    );
    created.insert(eid("1"), OktaUserId("00uBoss".to_owned()));
    let sent = resolve(&report, &created).unwrap();
    let Action::Create { profile, .. } = &sent.action else {
        panic!("a create")
    };
    assert_eq!(profile["managerId"], "00uBoss");
    assert!(sent.fills.is_empty(), "what is sent carries no reference");
}

#[test]
fn an_update_made_only_of_a_reference_that_cannot_be_filled_is_skipped_with_the_reason() {
    let mut update = create("2", Some("1"));
    update.action = Action::Update {
        changes: BTreeMap::new(),
    };
    let why = resolve(&update, &CreatedIds::default()).unwrap_err();
    assert!(why.contains("managerId (1)"), "{why}");
}
