use super::*;
use serde_json::json;

fn flat(value: Value) -> BTreeMap<String, RawValue> {
    flatten_employee(value.as_object().unwrap())
}

fn one(s: &str) -> RawValue {
    RawValue::One(s.to_owned())
}

#[test]
fn nested_top_level_and_slash_keys_all_become_dotted_paths() {
    let fields = flat(json!({
        "id": "3401928374650192837",
        "companyId": 600123,
        "email": "ada.kowalski@example.com",
        "work": {
            "department": "209184712",
            "siteId": 1842211,
            "isManager": false,
            "reportsTo": {"id": "3401928374650100001", "email": "lee.moreau@example.com"}
        },
        "internal": {"status": "Active", "terminationDate": null},
        "/employee/lastDayOfWork": {"value": "2026-06-30"}
    }));
    assert_eq!(fields["root.id"], one("3401928374650192837"));
    assert_eq!(fields["root.companyId"], one("600123"));
    assert_eq!(fields["root.email"], one("ada.kowalski@example.com"));
    assert_eq!(fields["work.department"], one("209184712"));
    assert_eq!(fields["work.siteId"], one("1842211"));
    assert_eq!(fields["work.isManager"], one("false"));
    assert_eq!(
        fields["work.reportsTo.email"],
        one("lee.moreau@example.com")
    );
    assert_eq!(fields["internal.status"], one("Active"));
    assert_eq!(fields["employee.lastDayOfWork"], one("2026-06-30"));
    assert!(
        !fields.contains_key("internal.terminationDate"),
        "null is absent"
    );
}

#[test]
fn a_nested_value_wins_over_the_same_field_in_slash_notation() {
    let fields = flat(json!({
        "work": {"department": "nested"},
        "/work/department": {"value": "flat"},
        "/work/title": {"value": "only-flat"},
        "/root/email": {"value": "flat@example.com"},
        "email": "top@example.com"
    }));
    assert_eq!(fields["work.department"], one("nested"));
    assert_eq!(fields["work.title"], one("only-flat"));
    assert_eq!(fields["root.email"], one("top@example.com"));
}

#[test]
fn lists_of_scalars_are_kept_as_items_and_empty_values_are_absent() {
    let fields = flat(json!({
        "work": {"custom": {"field_1": ["11", "12"], "field_2": [], "field_3": "  "}},
        "history": [{"a": 1}],
        "humanReadable": {"work": {"department": "Data Platform"}},
        "/": {"value": "x"}
    }));
    assert_eq!(
        fields["work.custom.field_1"],
        RawValue::Many(vec!["11".to_owned(), "12".to_owned()])
    );
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(fields["work.custom.field_1"].clone().into_text(), "11, 12");
}
