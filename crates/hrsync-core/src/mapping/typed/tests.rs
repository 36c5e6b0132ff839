use super::*;
use crate::plan::testkit;
use serde_json::json;

fn of(value_type: ValueType) -> AttributeSchema {
    AttributeSchema {
        value_type,
        ..AttributeSchema::default()
    }
}

#[test]
fn integer_text_becomes_a_json_integer_and_other_text_is_refused_naming_the_type() {
    let s = of(ValueType::Integer);
    assert_eq!(convert("42", &s), Ok(json!(42)));
    assert_eq!(convert(" -7 ", &s), Ok(json!(-7)));
    let err = convert("4x2", &s).unwrap_err();
    assert_eq!(err.value, "4x2");
    assert!(err.to_string().contains("integer"), "{err}");
    assert!(convert("1.5", &s).is_err());
    assert!(
        convert("3000000000", &s).is_err(),
        "Okta integers are 32-bit"
    );
}

#[test]
fn true_and_false_in_any_case_become_booleans_and_nothing_else_does() {
    let s = of(ValueType::Boolean);
    assert_eq!(convert("true", &s), Ok(json!(true)));
    assert_eq!(convert("FALSE", &s), Ok(json!(false)));
    assert!(convert("yes", &s).is_err());
}

#[test]
fn numbers_keep_integers_whole_and_refuse_text_and_infinity() {
    let s = of(ValueType::Number);
    assert_eq!(convert("42", &s), Ok(json!(42)));
    assert_eq!(convert("1.25", &s), Ok(json!(1.25)));
    assert!(convert("inf", &s).is_err());
    assert!(convert("abc", &s).is_err());
}

#[test]
fn a_comma_separated_list_becomes_an_array_of_trimmed_strings() {
    let s = of(ValueType::Array);
    assert_eq!(convert("a, b,,c ", &s), Ok(json!(["a", "b", "c"])));
    assert_eq!(convert("", &s), Ok(json!([])));
}

#[test]
fn strings_stay_strings_and_are_refused_past_max_length() {
    let s = AttributeSchema {
        max_length: Some(3),
        ..of(ValueType::String)
    };
    assert_eq!(convert("abc", &s), Ok(json!("abc")));
    let err = convert("abcd", &s).unwrap_err();
    assert!(err.to_string().contains("at most 3"), "{err}");
}

#[test]
fn numbers_compare_by_value_and_arrays_item_by_item() {
    assert!(same(&json!(42), &json!(42.0)));
    assert!(!same(&json!(42), &json!(43)));
    assert!(same(&json!(["a", "b"]), &json!(["a", "b"])));
    assert!(!same(&json!(["a"]), &json!(["a", "b"])));
    assert!(
        !same(&json!("42"), &json!(42)),
        "a string is not an integer"
    );
}

#[test]
fn the_schema_lacks_a_mapped_attribute_and_names_its_config_line_and_declared_type() {
    let mut mapping = testkit::mapping();
    mapping
        .attributes
        .insert("badgeId".into(), testkit::attr("{badge}"));
    mapping.types.insert("badgeId".into(), ValueType::Integer);
    mapping
        .origins
        .insert("badgeId".into(), "hrsync.toml:31".into());
    let mut schema = UserSchema::default();
    for base in [
        "login",
        "email",
        "firstName",
        "lastName",
        "department",
        "employeeNumber",
    ] {
        schema.attributes.insert(base.into(), of(ValueType::String));
    }
    let missing = schema.missing(&mapping, "employeeNumber");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].name, "badgeId");
    assert_eq!(missing[0].value_type, ValueType::Integer);
    assert_eq!(
        missing[0].to_string(),
        "badgeId (mapping.badgeId at hrsync.toml:31)"
    );
    let anchorless = schema.missing(&mapping, "hrEmployeeId");
    assert!(
        anchorless
            .iter()
            .any(|m| m.anchor && m.name == "hrEmployeeId")
    );
}

#[test]
fn typing_a_mapping_by_the_schema_fills_each_known_attribute_only() {
    let mut mapping = testkit::mapping();
    mapping
        .attributes
        .insert("badgeId".into(), testkit::attr("{badge}"));
    let mut schema = UserSchema::default();
    schema
        .attributes
        .insert("badgeId".into(), of(ValueType::Integer));
    let typed = mapping.typed_by(&schema);
    assert_eq!(
        typed.attributes["badgeId"].schema.map(|s| s.value_type),
        Some(ValueType::Integer)
    );
    assert_eq!(typed.attributes["department"].schema, None);
    assert!(needs_conversion(&typed.attributes["badgeId"]));
    assert!(!needs_conversion(&typed.attributes["department"]));
}

#[test]
fn okta_type_names_read_back_and_only_scalars_can_be_unique() {
    for t in ValueType::ALL {
        assert_eq!(ValueType::parse(t.as_str()), Some(t));
    }
    assert_eq!(ValueType::parse("object"), None);
    assert!(ValueType::Integer.can_be_unique());
    assert!(!ValueType::Array.can_be_unique());
}
