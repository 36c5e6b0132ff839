//! Typed attributes: values converted to the type Okta's schema gives, compared by value (a
//! steady state plans nothing), and a value that does not convert refusing only its record.

use super::*;
use crate::mapping::typed::{AttributeSchema, UserSchema, ValueType};
use crate::model::UserStatus;
use serde_json::json;

/// The test policy with `badgeId = "{badge}"` (integer) and `remote = "{remote}"` (boolean).
fn typed_policy() -> Policy {
    let mut mapping = mapping();
    mapping.attributes.insert("badgeId".into(), attr("{badge}"));
    mapping.attributes.insert("remote".into(), attr("{remote}"));
    let mut schema = UserSchema::default();
    for (name, value_type) in [
        ("badgeId", ValueType::Integer),
        ("remote", ValueType::Boolean),
    ] {
        schema.attributes.insert(
            name.into(),
            AttributeSchema {
                value_type,
                custom: true,
                ..AttributeSchema::default()
            },
        );
    }
    Policy::with_defaults(mapping.typed_by(&schema))
}

#[test]
fn a_new_hire_is_created_with_an_integer_and_a_boolean_not_their_text() {
    let e = emp("E1", "Ada", "Lovelace")
        .with("badge", "42")
        .with("remote", "true");
    let plan = run_with(&typed_policy(), vec![e], &[], "2026-03-01T12:00:00Z");
    let (profile, _) = create_of(&plan, "E1");
    assert_eq!(profile["badgeId"], json!(42));
    assert_eq!(profile["remote"], json!(true));
}

#[test]
fn an_okta_user_holding_the_typed_values_needs_no_update() {
    let e = emp("E1", "Ada", "Lovelace")
        .with("badge", "42")
        .with("remote", "false");
    let mut u = user_for("00u1", &e, UserStatus::Active);
    u.profile.insert("badgeId", json!(42));
    u.profile.insert("remote", json!(false));
    let plan = run_with(&typed_policy(), vec![e], &[u], "2026-03-01T12:00:00Z");
    assert!(plan.actions.is_empty(), "{:?}", summary(&plan));
}

#[test]
fn an_okta_user_holding_the_text_of_an_integer_is_updated_to_the_integer() {
    let e = emp("E1", "Ada", "Lovelace").with("badge", "42");
    let mut u = user_for("00u1", &e, UserStatus::Active);
    u.profile.insert("badgeId", json!("42"));
    let plan = run_with(&typed_policy(), vec![e], &[u], "2026-03-01T12:00:00Z");
    let changes = changes_of(&plan, "E1");
    assert_eq!(changes["badgeId"].new, Some(json!(42)));
}

#[test]
fn a_value_that_is_not_an_integer_refuses_that_record_only_naming_employee_attribute_value_and_type()
 {
    let bad = emp("E1", "Ada", "Lovelace").with("badge", "B-42");
    let good = emp("E2", "Grace", "Hopper").with("badge", "7");
    let linked_bad = emp("E3", "Alan", "Turing").with("badge", "seven");
    let u3 = user_for("00u3", &linked_bad, UserStatus::Active);
    let plan = run_with(
        &typed_policy(),
        vec![bad, good, linked_bad],
        &[u3],
        "2026-03-01T12:00:00Z",
    );
    assert_eq!(summary(&plan), vec!["create:E2:new_hire"]);
    let refused: Vec<&Finding> = plan
        .findings
        .iter()
        .filter(|f| f.reason == Reason::MappingFailed)
        .collect();
    assert_eq!(refused.len(), 2, "{:?}", finding_summary(&plan));
    let detail = &refused[0].detail;
    for part in ["E1", "badgeId", "\"B-42\"", "integer"] {
        assert!(detail.contains(part), "{part} missing from {detail}");
    }
    assert!(
        refused[1].detail.contains("\"seven\""),
        "{}",
        refused[1].detail
    );
}
