use super::*;
use serde_json::json;

fn at() -> DateTime<Utc> {
    Utc::now()
}

fn body(props: Value) -> Map<String, Value> {
    json!({"definitions": {"custom": {"id": "#custom", "type": "object", "properties": props, "required": []}}})
        .as_object()
        .cloned()
        .unwrap()
}

fn no_duplicates(_: &str) -> bool {
    false
}

#[test]
fn the_default_schema_has_okta_base_properties_and_no_custom_ones() {
    let v = Schema::default().render("http://o");
    let base = &v["definitions"]["base"];
    assert_eq!(base["id"], "#base");
    assert_eq!(
        base["required"],
        json!(["login", "firstName", "lastName", "email"])
    );
    for name in [
        "login",
        "email",
        "employeeNumber",
        "department",
        "managerId",
        "manager",
        "title",
        "displayName",
        "mobilePhone",
        "costCenter",
        "division",
        "organization",
        "userType",
    ] {
        assert_eq!(base["properties"][name]["type"], "string", "{name}");
    }
    assert_eq!(base["properties"]["login"]["minLength"], 5);
    assert_eq!(base["properties"]["login"]["maxLength"], 100);
    assert_eq!(base["properties"]["email"]["format"], "email");
    assert_eq!(
        base["properties"]["firstName"]["permissions"],
        json!([{"principal": "SELF", "action": "READ_WRITE"}])
    );
    assert_eq!(v["definitions"]["custom"]["properties"], json!({}));
    assert_eq!(
        v["properties"]["profile"]["allOf"],
        json!([{"$ref": "#/definitions/base"}, {"$ref": "#/definitions/custom"}])
    );
    assert_eq!(v["$schema"], "http://json-schema.org/draft-04/schema#");
}

#[test]
fn a_patch_adds_typed_custom_properties_in_okta_shape() {
    let mut s = Schema::default();
    let b = body(json!({
        "hrEmployeeId": {"title": "HR id", "type": "string", "maxLength": 64, "unique": "UNIQUE_VALIDATED",
                         "permissions": [{"principal": "SELF", "action": "READ_ONLY"}]},
        "floor": {"title": "Floor", "type": "integer"},
        "skills": {"title": "Skills", "type": "array", "items": {"type": "string"}},
    }));
    s.apply_patch(&b, no_duplicates, at()).unwrap();
    let v = s.render("http://o");
    let hr = &v["definitions"]["custom"]["properties"]["hrEmployeeId"];
    assert_eq!(hr["unique"], "UNIQUE_VALIDATED");
    assert_eq!(hr["maxLength"], 64);
    assert_eq!(hr["master"], json!({"type": "PROFILE_MASTER"}));
    let floor = &v["definitions"]["custom"]["properties"]["floor"];
    assert_eq!(floor["type"], "integer");
    assert_eq!(floor["unique"], "NOT_UNIQUE");
    assert_eq!(
        v["definitions"]["custom"]["properties"]["skills"]["items"],
        json!({"type": "string"})
    );
    assert_eq!(s.unique_names(), vec!["hrEmployeeId".to_string()]);
}

#[test]
fn changing_the_type_of_an_existing_property_is_refused() {
    let mut s = Schema::default();
    s.apply_patch(
        &body(json!({"floor": {"title": "Floor", "type": "integer"}})),
        no_duplicates,
        at(),
    )
    .unwrap();
    let err = s
        .apply_patch(
            &body(json!({"floor": {"type": "string"}})),
            no_duplicates,
            at(),
        )
        .unwrap_err();
    assert_eq!(err.code, "E0000001");
    assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
    assert!(
        err.causes[0].contains("cannot be changed"),
        "{:?}",
        err.causes
    );
    assert_eq!(s.custom()["floor"].kind, PropertyType::Integer);
}

#[test]
fn a_base_property_cannot_be_retyped_removed_or_redeclared_as_custom() {
    let mut s = Schema::default();
    let retype = json!({"definitions": {"base": {"properties": {"title": {"type": "integer"}}}}});
    assert!(
        s.apply_patch(retype.as_object().unwrap(), no_duplicates, at())
            .is_err()
    );
    let remove = json!({"definitions": {"base": {"properties": {"title": null}}}});
    assert!(
        s.apply_patch(remove.as_object().unwrap(), no_duplicates, at())
            .is_err()
    );
    let clash = body(json!({"Title": {"title": "T", "type": "string"}}));
    assert!(s.apply_patch(&clash, no_duplicates, at()).is_err());
}

#[test]
fn a_failed_patch_changes_nothing_at_all() {
    let mut s = Schema::default();
    let b = body(
        json!({"good": {"title": "G", "type": "string"}, "bad": {"title": "B", "type": "date"}}),
    );
    assert!(s.apply_patch(&b, no_duplicates, at()).is_err());
    assert!(s.custom().is_empty());
}

#[test]
fn null_removes_a_custom_property_and_reports_it() {
    let mut s = Schema::default();
    s.apply_patch(
        &body(json!({"badge": {"title": "Badge", "type": "string"}})),
        no_duplicates,
        at(),
    )
    .unwrap();
    let applied = s
        .apply_patch(&body(json!({"badge": null})), no_duplicates, at())
        .unwrap();
    assert_eq!(applied.removed, vec!["badge".to_string()]);
    assert!(s.property("badge").is_none());
}

#[test]
fn unique_is_refused_for_booleans_and_arrays_and_beyond_five_properties() {
    let mut s = Schema::default();
    let b =
        body(json!({"remote": {"title": "R", "type": "boolean", "unique": "UNIQUE_VALIDATED"}}));
    assert!(s.apply_patch(&b, no_duplicates, at()).is_err());
    let six: Map<String, Value> = (0..6)
        .map(|i| {
            (
                format!("u{i}"),
                json!({"title": "U", "type": "string", "unique": true}),
            )
        })
        .collect();
    assert!(
        s.apply_patch(&body(Value::Object(six)), no_duplicates, at())
            .is_err()
    );
}

#[test]
fn a_new_property_needs_a_type_a_title_and_a_valid_unreserved_name() {
    let mut s = Schema::default();
    for props in [
        json!({"x1": {"title": "X"}}),
        json!({"x1": {"type": "string"}}),
        json!({"1x": {"title": "X", "type": "string"}}),
        json!({"status": {"title": "X", "type": "string"}}),
        json!({"arr": {"title": "X", "type": "array", "items": {"type": "integer"}}}),
    ] {
        assert!(
            s.apply_patch(&body(props.clone()), no_duplicates, at())
                .is_err(),
            "{props}"
        );
    }
}

#[test]
fn making_an_existing_property_unique_over_duplicates_is_accepted_but_not_enforced() {
    let mut s = Schema::default();
    s.apply_patch(
        &body(json!({"badge": {"title": "Badge", "type": "string"}})),
        no_duplicates,
        at(),
    )
    .unwrap();
    s.apply_patch(
        &body(json!({"badge": {"unique": "UNIQUE_VALIDATED"}})),
        |_| true,
        at(),
    )
    .unwrap();
    assert!(!s.custom()["badge"].unique);
    assert!(s.unique_names().is_empty());
}

#[test]
fn configured_properties_are_added_only_when_missing() {
    let mut s = Schema::default();
    let mut props = BTreeMap::new();
    props.insert("floor".to_string(), CustomProperty::integer());
    props.insert("title".to_string(), CustomProperty::integer());
    s.add_missing(&props, at());
    assert_eq!(s.custom().len(), 1);
    props.insert("floor".to_string(), CustomProperty::string());
    s.add_missing(&props, at());
    assert_eq!(s.custom()["floor"].kind, PropertyType::Integer);
}
