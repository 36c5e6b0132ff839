use super::*;
use serde_json::json;
use std::collections::BTreeMap;

fn schema_with(props: &[(&str, CustomProperty)]) -> Schema {
    let custom: BTreeMap<String, CustomProperty> = props
        .iter()
        .map(|(n, p)| ((*n).to_owned(), p.clone()))
        .collect();
    Schema::new(custom, chrono::Utc::now())
}

fn rules(schema: &Schema) -> Rules<'_> {
    Rules {
        schema,
        login_must_be_email: true,
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn with(extra: Value) -> Map<String, Value> {
    let mut p =
        obj(json!({"login": "ada@x.co", "email": "ada@x.co", "firstName": "A", "lastName": "K"}));
    p.extend(obj(extra));
    p
}

#[test]
fn a_complete_profile_passes() {
    let s = Schema::default();
    let p = obj(
        json!({"login": "ada@x.co", "email": "ada@x.co", "firstName": "Ada", "lastName": "K", "mobilePhone": null}),
    );
    assert!(validate(&p, rules(&s), "newUser").is_ok());
}

#[test]
fn missing_required_fields_each_get_a_cause() {
    let s = Schema::default();
    let err = validate(&obj(json!({"login": "ada@x.co"})), rules(&s), "newUser").unwrap_err();
    assert_eq!(err.code, "E0000001");
    assert_eq!(err.summary, "Api validation failed: email");
    assert_eq!(err.causes.len(), 3);
    assert!(
        err.causes
            .contains(&"firstName: The field cannot be left blank".to_string())
    );
}

#[test]
fn an_undeclared_attribute_is_refused_unless_custom() {
    let p = with(json!({"notValid": "x"}));
    let err = validate(&p, rules(&Schema::default()), "newUser").unwrap_err();
    assert_eq!(err.summary, "Api validation failed: newUser");
    assert_eq!(
        err.causes,
        vec!["Property name 'notValid' is not defined in profile"]
    );
    let s = schema_with(&[("notValid", CustomProperty::string())]);
    assert!(validate(&p, rules(&s), "newUser").is_ok());
}

#[test]
fn a_login_that_is_not_an_email_is_refused_by_default_only() {
    let s = Schema::default();
    let p = obj(json!({"login": "ada.k", "email": "ada@x.co", "firstName": "A", "lastName": "K"}));
    assert!(validate(&p, rules(&s), "newUser").is_err());
    let r = Rules {
        schema: &s,
        login_must_be_email: false,
    };
    assert!(validate(&p, r, "newUser").is_ok());
}

#[test]
fn an_over_long_first_name_is_refused() {
    let p = obj(
        json!({"login": "ada@x.co", "email": "ada@x.co", "firstName": "A".repeat(51), "lastName": "K"}),
    );
    let err = validate(&p, rules(&Schema::default()), "newUser").unwrap_err();
    assert_eq!(err.summary, "Api validation failed: firstName");
}

#[test]
fn a_base_attribute_that_is_not_a_string_is_the_wrong_type() {
    let err = validate(
        &with(json!({"title": 7})),
        rules(&Schema::default()),
        "user",
    )
    .unwrap_err();
    assert_eq!(err.causes, vec!["title: Does not match required type"]);
}

#[test]
fn each_custom_type_accepts_its_json_type_and_refuses_others() {
    let s = schema_with(&[
        ("badge", CustomProperty::string()),
        ("floor", CustomProperty::integer()),
        ("fte", CustomProperty::number()),
        ("remote", CustomProperty::boolean()),
        ("skills", CustomProperty::string_array()),
    ]);
    let good = with(
        json!({"badge": "B-1", "floor": 3, "fte": 0.8, "remote": true, "skills": ["rust", "sql"]}),
    );
    assert!(validate(&good, rules(&s), "newUser").is_ok());
    for (name, bad) in [
        ("badge", json!(42)),
        ("floor", json!("3")),
        ("floor", json!(1.5)),
        ("floor", json!(4_000_000_000_i64)),
        ("fte", json!("0.8")),
        ("remote", json!("true")),
        ("skills", json!("rust")),
        ("skills", json!(["rust", 1])),
    ] {
        let err = validate(&with(json!({ name: bad })), rules(&s), "newUser").unwrap_err();
        assert_eq!(
            err.causes,
            vec![format!("{name}: Does not match required type")],
            "{name} = {bad}"
        );
    }
}

#[test]
fn a_null_custom_value_is_always_accepted_as_a_cleared_attribute() {
    let s = schema_with(&[("floor", CustomProperty::integer())]);
    assert!(validate(&with(json!({"floor": null})), rules(&s), "user").is_ok());
}

#[test]
fn a_custom_string_over_its_max_length_is_refused() {
    let s = schema_with(&[("badge", CustomProperty::string().max_length(4))]);
    assert!(validate(&with(json!({"badge": "B-12"})), rules(&s), "user").is_ok());
    let err = validate(&with(json!({"badge": "B-123"})), rules(&s), "user").unwrap_err();
    assert_eq!(err.summary, "Api validation failed: badge");
    assert_eq!(
        err.causes,
        vec!["badge: The field is too long (maximum length is 4)"]
    );
}

#[test]
fn a_required_custom_attribute_cannot_be_left_blank() {
    let s = schema_with(&[("badge", CustomProperty::string().required())]);
    let err = validate(&with(json!({})), rules(&s), "newUser").unwrap_err();
    assert_eq!(err.causes, vec!["badge: The field cannot be left blank"]);
}

#[test]
fn a_value_outside_the_enum_is_refused() {
    let mut p = CustomProperty::string_array();
    p.allowed = Some(vec![json!("a"), json!("b")]);
    let s = schema_with(&[("tags", p)]);
    assert!(validate(&with(json!({"tags": ["a"]})), rules(&s), "user").is_ok());
    assert!(validate(&with(json!({"tags": ["c"]})), rules(&s), "user").is_err());
}
