use super::*;
use serde_json::json;

fn flat(v: Value) -> BTreeMap<String, RawValue> {
    flatten_employee(v.as_object().unwrap())
}

fn one(s: &str) -> RawValue {
    RawValue::One(s.to_owned())
}

#[test]
fn wrapped_values_and_references_become_dotted_fields() {
    let f = flat(json!({
        "id": {"label": "ID", "value": 1042, "type": "integer", "universal_id": "id"},
        "first_name": {"label": "First name", "value": "Ada", "type": "standard"},
        "termination_date": {"label": "Termination date", "value": null, "type": "date"},
        "department": {"label": "Department", "type": "standard", "value":
            {"type": "Department", "attributes": {"id": 77, "name": "Data Platform"}}},
        "supervisor": {"label": "Supervisor", "type": "standard", "value":
            {"type": "Employee", "attributes": {
                "id": {"label": "ID", "value": 1001},
                "email": {"label": "Email", "value": "lee@example.com"}}}},
        "cost_centers": {"label": "Cost center", "type": "standard", "value": [
            {"type": "CostCenter", "attributes": {"id": 1, "name": "R&D", "percentage": 60}},
            {"type": "CostCenter", "attributes": {"id": 2, "name": "Ops", "percentage": 40}}]},
        "dynamic_12345": {"label": "Okta group", "value": "", "type": "standard"},
        "tags": {"label": "Tags", "value": ["a", "b"], "type": "list"}
    }));
    assert_eq!(f["id"], one("1042"));
    assert_eq!(f["first_name"], one("Ada"));
    assert!(!f.contains_key("termination_date"), "null is absent");
    assert!(!f.contains_key("dynamic_12345"), "blank is absent");
    assert_eq!(f["department.name"], one("Data Platform"));
    assert_eq!(f["department.id"], one("77"));
    assert_eq!(f["supervisor.id"], one("1001"));
    assert_eq!(f["supervisor.email"], one("lee@example.com"));
    assert_eq!(
        f["cost_centers.name"],
        RawValue::Many(vec!["R&D".to_owned(), "Ops".to_owned()])
    );
    assert_eq!(
        f["tags"],
        RawValue::Many(vec!["a".to_owned(), "b".to_owned()])
    );
}

#[test]
fn a_null_reference_is_absent() {
    let f = flat(json!({"supervisor": {"label": "Supervisor", "value": null, "type": "standard"}}));
    assert!(f.is_empty(), "{f:?}");
}
